import CDeflate

/// The memory one decoding thread reuses from file to file.
///
/// Input and output chunks and a zlib stream: dumps hold tens of thousands of small files, and
/// allocating and clearing these for each one cost more than inflating the file.
package final class DecodingBuffers {
    var input: [UInt8]
    var output: [UInt8]
    let inflater = Inflater()
    /// The whole decompressed content of a small gzip file, grown as needed up to
    /// ``wholeFileLimit``.
    var whole: [UInt8] = []
    /// libdeflate's whole-buffer decompressor: about twice as fast as zlib's streaming inflate.
    let wholeDecompressor: OpaquePointer?

    /// The largest content inflated in one call rather than streamed.
    static let wholeFileLimit = 8 << 20

    /// Creates buffers of `chunkSize` bytes each.
    package init(chunkSize: Int) {
        input = [UInt8](repeating: 0, count: chunkSize)
        output = [UInt8](repeating: 0, count: chunkSize)
        wholeDecompressor = libdeflate_alloc_decompressor()
    }

    deinit {
        if let wholeDecompressor { libdeflate_free_decompressor(wholeDecompressor) }
    }

    /// The inflater, ready for a new file's first gzip member.
    func freshInflater() throws(GzipError) -> Inflater {
        if inflater.isInitialized {
            try inflater.reset()
        } else {
            try inflater.start()
        }
        return inflater
    }
}

@available(*, unavailable)
extension DecodingBuffers: Sendable {}
