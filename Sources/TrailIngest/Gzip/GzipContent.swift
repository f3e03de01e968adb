/// Reads small gzip or plain files whole, such as CloudTrail digest files.
package enum GzipContent {
    /// The problems reading a whole file can meet.
    package enum ReadError: Error, Equatable, CustomStringConvertible {
        case unreadable(String)
        case corrupt(String)
        case tooLarge(Int)

        package var description: String {
            switch self {
            case .unreadable(let message): "unable to read the file: \(message)"
            case .corrupt(let message): "gzip data is corrupt: \(message)"
            case .tooLarge(let limit): "the decompressed data exceeds the limit of \(limit) bytes"
            }
        }
    }

    /// The decompressed first gzip member of the file at `path` (or its bytes when it is not
    /// gzip), and whether anything follows that member.
    package static func read(path: String, limit: Int = 64 << 20) throws(ReadError) -> (
        content: [UInt8], hasExtraData: Bool
    ) {
        let bytes: [UInt8]
        do {
            bytes = try readFile(path, limit: limit)
        } catch {
            throw .unreadable(error.message)
        }
        guard bytes.count >= 2, bytes[0] == 0x1F, bytes[1] == 0x8B else { return (bytes, false) }
        return try inflateFirstMember(bytes, limit: limit)
    }

    private static func readFile(_ path: String, limit: Int) throws(SystemError) -> [UInt8] {
        let file = try ReadOnlyFile(path: path)
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        while result.count <= limit {
            var count = 0
            var failure: SystemError?
            chunk.withUnsafeMutableBytes { buffer in
                do throws(SystemError) { count = try file.read(into: buffer) } catch { failure = error }
            }
            if let failure { throw failure }
            if count == 0 { break }
            result += chunk.prefix(count)
        }
        return result
    }

    private static func inflateFirstMember(_ bytes: [UInt8], limit: Int) throws(ReadError) -> ([UInt8], Bool) {
        let inflater = Inflater()
        do { try inflater.start() } catch { throw .corrupt("unable to start zlib") }
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        var position = 0
        while position < bytes.count {
            let step = bytes.withUnsafeBytes { input in
                buffer.withUnsafeMutableBytes {
                    inflater.inflate(UnsafeRawBufferPointer(rebasing: input[position...]), into: $0)
                }
            }
            output += buffer.prefix(step.produced)
            position += step.consumed
            if let corruption = step.corruption { throw .corrupt(corruption) }
            if output.count > limit { throw .tooLarge(limit) }
            if step.isMemberEnd { return (output, position < bytes.count) }
            if step.consumed == 0 && step.produced == 0 { break }
        }
        throw .corrupt("the data is truncated")
    }
}
