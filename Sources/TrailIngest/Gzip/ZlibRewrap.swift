import CDeflate

/// Rewrites a file of one gzip member as a zlib stream of the same deflate data, without
/// inflating or compressing anything.
///
/// gzip (RFC 1952) and zlib (RFC 1950) wrap the same deflate format: a gzip member is a header,
/// the deflate data and a trailer of CRC-32 and length; a zlib stream is two bytes, the deflate
/// data and the Adler-32 of the uncompressed bytes. Keeping a log file's own deflate data as a
/// zlib stream stores its records as compactly as CloudTrail delivered them, for the price of an
/// Adler-32 over the decompressed bytes, and anything that reads zlib (SQLite's
/// `sqlar_uncompress`, Python's `zlib.decompress`) reads them back.
package enum ZlibRewrap {
    /// The Adler-32 of nothing, where a running checksum starts.
    package static let initialAdler32: UInt32 = 1

    /// `adler` continued over `bytes`.
    ///
    /// The corresponding C function is libdeflate's `libdeflate_adler32`.
    package static func adler32(_ adler: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return adler }
        return libdeflate_adler32(adler, base, bytes.count)
    }

    /// The length of the gzip header at the start of `file`, or `nil` when it is not a whole,
    /// valid gzip header followed by room for the 8-byte trailer.
    package static func headerLength(of file: UnsafeRawBufferPointer) -> Int? {
        guard file.count >= 18, file[0] == 0x1F, file[1] == 0x8B, file[2] == 8 else { return nil }
        let flags = file[3]
        guard flags & 0xE0 == 0 else { return nil }
        var position = 10
        if flags & 0x04 != 0 {
            guard position + 2 <= file.count else { return nil }
            position += 2 + (Int(file[position]) | Int(file[position + 1]) << 8)
        }
        for flag: UInt8 in [0x08, 0x10] where flags & flag != 0 {
            while position < file.count && file[position] != 0 { position += 1 }
            position += 1
        }
        if flags & 0x02 != 0 { position += 2 }
        return position + 8 <= file.count ? position : nil
    }

    /// The zlib stream holding the deflate data of `file`, a single gzip member with nothing
    /// after it whose decompressed bytes have Adler-32 `adler`; `nil` when its header is not
    /// valid.
    package static func zlibStream(ofMember file: UnsafeRawBufferPointer, adler32 adler: UInt32) -> [UInt8]? {
        guard let start = headerLength(of: file) else { return nil }
        var stream: [UInt8] = [0x78, 0x01]
        stream.reserveCapacity(file.count - start - 8 + 6)
        stream.append(contentsOf: file[start..<(file.count - 8)])
        stream.append(contentsOf: [
            UInt8(adler >> 24), UInt8(adler >> 16 & 0xFF), UInt8(adler >> 8 & 0xFF), UInt8(adler & 0xFF),
        ])
        return stream
    }
}
