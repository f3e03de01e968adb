/// A file found below a dump root, with what its path says about it.
package struct DiscoveredFile: Sendable {
    /// The path as walked, for opening.
    package var path: String
    /// The dump root: the folder holding `AWSLogs`, or the folder given.
    package var root: String
    /// The path below ``root``, which is what the database and messages show.
    package var relativePath: String
    package var size: Int64
    /// Modification time in nanoseconds, for noticing that a known file is unchanged.
    package var modificationTime: Int64
    package var layout: PathLayout

    /// Whether the name promises gzip data, so that other content is an error, not a skip.
    package var isNamedGzip: Bool {
        relativePath.lowercased().hasSuffix(".gz")
    }

    /// Whether the name looks like a CloudTrail log file at all.
    package var isNamedLikeLog: Bool {
        let name = relativePath.lowercased()
        return name.hasSuffix(".gz") || name.hasSuffix(".json")
    }
}
