import CZlib
import Foundation

/// Gzip compression for building test inputs in code.
package enum Gzip {
    /// Compresses `data` as one gzip member.
    package static func compress(_ data: [UInt8], level: Int32 = 6) -> [UInt8] {
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        defer {
            deflateEnd(stream)
            stream.deinitialize(count: 1)
            stream.deallocate()
        }
        precondition(trailhound_deflateInit2(stream, level, 15 + 16) == Z_OK, "deflateInit2 failed")
        var output = [UInt8](repeating: 0, count: Int(deflateBound(stream, uLong(data.count))) + 64)
        var input = data
        let produced = input.withUnsafeMutableBufferPointer { inputBuffer in
            output.withUnsafeMutableBufferPointer { outputBuffer in
                stream.pointee.next_in = inputBuffer.baseAddress
                stream.pointee.avail_in = uInt(inputBuffer.count)
                stream.pointee.next_out = outputBuffer.baseAddress
                stream.pointee.avail_out = uInt(outputBuffer.count)
                let status = deflate(stream, Z_FINISH)
                precondition(status == Z_STREAM_END, "deflate did not finish: \(status)")
                return outputBuffer.count - Int(stream.pointee.avail_out)
            }
        }
        return Array(output.prefix(produced))
    }

    /// Compresses UTF-8 text.
    package static func compress(_ text: String) -> [UInt8] {
        compress(Array(text.utf8))
    }
}

extension Gzip {
    /// The data of every gzip member in `data`, one after another, or `nil` when it is not
    /// complete, valid gzip data.
    package static func decompress(_ data: [UInt8]) -> [UInt8]? {
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        defer {
            inflateEnd(stream)
            stream.deinitialize(count: 1)
            stream.deallocate()
        }
        guard trailhound_inflateInit2(stream, 15 + 16) == Z_OK else { return nil }

        var input = data
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        return input.withUnsafeMutableBufferPointer { inputBuffer -> [UInt8]? in
            stream.pointee.next_in = inputBuffer.baseAddress
            stream.pointee.avail_in = uInt(inputBuffer.count)
            while true {
                let status = chunk.withUnsafeMutableBufferPointer { chunkBuffer in
                    stream.pointee.next_out = chunkBuffer.baseAddress
                    stream.pointee.avail_out = uInt(chunkBuffer.count)
                    return inflate(stream, Z_NO_FLUSH)
                }
                output += chunk.prefix(chunk.count - Int(stream.pointee.avail_out))
                switch status {
                case Z_OK:
                    continue
                case Z_STREAM_END where stream.pointee.avail_in == 0:
                    return output
                case Z_STREAM_END:
                    // Another member follows, as gunzip reads concatenated members.
                    guard inflateReset(stream) == Z_OK else { return nil }
                default:
                    return nil
                }
            }
        }
    }
}

/// zlib streams (RFC 1950), for checking what the case database keeps.
package enum Zlib {
    /// `data` inflated through zlib's `uncompress`, which also checks the Adler-32; `nil` unless
    /// it holds exactly `size` bytes.
    package static func inflate(_ data: [UInt8], size: Int) -> [UInt8]? {
        var output = [UInt8](repeating: 0, count: max(size, 1))
        var length = uLongf(size)
        let status = output.withUnsafeMutableBufferPointer { out in
            data.withUnsafeBufferPointer { input in
                uncompress(out.baseAddress, &length, input.baseAddress, uLong(input.count))
            }
        }
        guard status == Z_OK, Int(length) == size else { return nil }
        return Array(output.prefix(size))
    }
}
