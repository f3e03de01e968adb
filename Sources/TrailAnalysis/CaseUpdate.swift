import TrailIngest
import TrailStore

/// Brings a case database up to date with dumps: ingests what is new, then rebuilds what is
/// derived from the events (the session graph) when the ingest added any.
package enum CaseUpdate {
    /// Runs the ingest and, when it stored new events, rebuilds the session graph.
    ///
    /// The graph is built on a second connection while the ingest builds its last indexes:
    /// the two are the serial end of a run, and each mostly keeps one core busy.
    ///
    /// - Parameters: as ``CaseIngest/run(onStart:onFile:whileIndexing:)``.
    /// - Returns: The ingest's summary.
    package static func run(
        _ options: CaseIngest.Options,
        onStart: (_ toRead: Int, _ unchanged: Int) -> Void = { _, _ in },
        onFile: (DiscoveredFile, FileOutcome, CaseIngest.Progress) -> Void = { _, _, _ in }
    ) throws -> IngestSummary {
        let path = options.databasePath
        return try CaseIngest(options: options).run(onStart: onStart, onFile: onFile) { newEvents in
            guard newEvents > 0 else { return }
            try SessionStore.rebuild(databasePath: path, busyTimeoutMilliseconds: CaseWriter.sharedWriteTimeout)
        }
    }
}
