/// Reads one file: sniffs its content, inflates gzip, splits and parses the records, and hashes
/// what CloudTrail's digests sign.
///
/// Records go to a sink as soon as they are complete; nothing holds the whole file in memory.
/// Damage ends the reading of the file, but every record completed before it has already been
/// handed out and stays valid.
package struct FileDecoder: Sendable {
    package struct Configuration: Sendable {
        /// Input and output chunk size.
        package var chunkSize = 256 << 10
        /// The most decompressed bytes accepted from one file: evidence may be a gzip bomb.
        package var maximumDecompressedSize = 16 << 30
        package var maximumRecordSize = RecordSplitter.defaultMaximumRecordSize
        /// Whether a gzip file that fits in one input chunk hands its deflate data back as a
        /// zlib stream (``FileOutcome/zlibContent``), at the cost of an Adler-32 of its content.
        package var keepsZlibContent = false

        package init() {}
    }

    /// A decoding failure: what is wrong, and where.
    struct Damage: Error {
        var reason: String
        var offset: Int?
        /// Whether the offset counts decompressed bytes rather than bytes of the file.
        var isInDecompressedData = false
    }

    package let configuration: Configuration

    package init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// Decodes `file`, calling `sink` with each record in order.
    ///
    /// - Parameters:
    ///   - file: The file to read.
    ///   - buffers: Memory to reuse across files on one thread; fresh buffers when `nil`.
    ///   - sink: Receives each record as soon as it is complete.
    /// - Throws: Only what `sink` throws; problems with the file are in the outcome.
    package func decode(
        _ file: DiscoveredFile,
        buffers: DecodingBuffers? = nil,
        sink: (EventRecord) throws -> Void
    ) throws -> FileOutcome {
        switch file.layout.area {
        case .digests: return FileOutcome(state: .skipped, reason: "CloudTrail digest file")
        case .insights: return FileOutcome(state: .skipped, reason: "CloudTrail Insights file")
        default: break
        }
        let input: ReadOnlyFile
        do {
            input = try ReadOnlyFile(path: file.path)
        } catch {
            return FileOutcome(state: .failed, reason: "unable to open the file: \(error.message)")
        }
        var reader = ContentReader(input: input, configuration: configuration)
        let buffers = buffers ?? DecodingBuffers(chunkSize: configuration.chunkSize)
        return try reader.read(file, buffers: buffers, sink: sink)
    }
}
