import TrailIngest
import TrailStore

/// Brings a case database up to date with dumps: ingests what is new, then rebuilds what is
/// derived from the events (the session graph) when the ingest added any.
package enum CaseUpdate {
    /// Runs the ingest and, when it stored new events, rebuilds the session graph.
    ///
    /// - Parameters: as ``CaseIngest/run(onStart:onFile:)``.
    /// - Returns: The ingest's summary.
    package static func run(
        _ options: CaseIngest.Options,
        onStart: (_ toRead: Int, _ unchanged: Int) -> Void = { _, _ in },
        onFile: (DiscoveredFile, FileOutcome, CaseIngest.Progress) -> Void = { _, _, _ in }
    ) throws -> IngestSummary {
        let summary = try CaseIngest(options: options).run(onStart: onStart, onFile: onFile)
        if summary.newEvents > 0 {
            try SessionStore.rebuild(databasePath: options.databasePath)
        }
        return summary
    }
}
