/// How ingest ended for one file.
package enum FileState: String, Sendable, CaseIterable {
    /// Every record was read.
    case ok
    /// Some records were read before damage stopped the reading.
    case partial
    /// Nothing could be read.
    case failed
    /// Not a CloudTrail log file (digest, Insights, notification, unrelated); not an error.
    case skipped
}

/// What decoding one file found, apart from its records.
package struct FileOutcome: Sendable {
    package var state: FileState
    /// Why the file was skipped, or what is wrong with it; one line, without the path.
    package var reason: String?
    /// The byte offset of the damage, when there is one.
    package var damageOffset: Int?
    /// Whether ``damageOffset`` counts bytes of the decompressed data rather than of the file.
    package var damageIsInDecompressedData = false
    /// Problems that did not stop the reading: extra gzip members, trailing data, duplicate keys.
    package var warnings: [String] = []
    /// The shape the records were found in, then `+gzip` when the file is gzip: `records`
    /// (`{"Records":[…]}`), `lookup-events`, `cloudwatch-logs`, `eventbridge`, `array` (a JSON
    /// array of records), `jsonl` (one record per line) or `record` (one record), as in
    /// `records+gzip`; `nil` when no shape was recognised, as for skipped files.
    package var format: String?
    /// SHA-256 of the file's bytes, when the whole file could be read.
    package var fileSHA256: String?
    /// SHA-256 of the decompressed first gzip member (the whole text for a plain JSON file):
    /// what CloudTrail's digest files sign.
    package var contentSHA256: String?
    /// The file's deflate data as a zlib stream (``ZlibRewrap``), when the decoder was asked to
    /// keep it (``FileDecoder/Configuration/keepsZlibContent``) and the file is one whole gzip
    /// member, with nothing after it, read in a single chunk: the records are then the bytes at
    /// their offsets of its decompressed data.
    package var zlibContent: [UInt8]?
    package var recordCount = 0
    package var gzipMembers = 0
    package var decompressedBytes = 0

    package init(state: FileState, reason: String? = nil) {
        self.state = state
        self.reason = reason
    }

    /// The one-line message for the user, `reason (at byte N)`.
    package var message: String? {
        guard let reason else { return nil }
        guard let damageOffset else { return reason }
        let unit = damageIsInDecompressedData ? " of the decompressed data" : ""
        return "\(reason) (at byte \(damageOffset)\(unit))"
    }
}
