import TrailIngest

/// What one ingest run did, for the final summary and `--format json`.
package struct IngestSummary: Sendable {
    /// A file that was not ingested in full, or was skipped, with the reason.
    package struct FileNote: Sendable, Equatable {
        package var path: String
        package var state: FileState
        package var reason: String
        /// Records kept from the file (for partial files).
        package var records: Int
    }

    /// A problem that did not stop a file from being read.
    package struct Warning: Sendable, Equatable {
        package var path: String
        package var message: String
    }

    package var filesFound = 0
    package var unchangedFiles = 0
    package var countsByState: [FileState: Int] = [:]
    package var recordsRead = 0
    package var newEvents = 0
    package var duplicates = 0
    package var decompressedBytes = 0
    package var problems: [FileNote] = []
    package var skipped: [FileNote] = []
    package var warnings: [Warning] = []
    package var elapsedSeconds = 0.0

    package init() {}

    package func count(of state: FileState) -> Int {
        countsByState[state, default: 0]
    }

    /// Whether some file could not be read in full (exit status 1).
    package var hasErrors: Bool {
        count(of: .failed) + count(of: .partial) > 0
    }

    /// Folds one file's result into the totals.
    mutating func add(_ file: DiscoveredFile, outcome: FileOutcome, tally: CaseWriter.FileTally) {
        countsByState[outcome.state, default: 0] += 1
        recordsRead += outcome.recordCount
        newEvents += tally.newEvents
        duplicates += tally.duplicates
        decompressedBytes += outcome.decompressedBytes
        let reason = outcome.message ?? ""
        switch outcome.state {
        case .failed, .partial:
            problems.append(
                FileNote(path: file.relativePath, state: outcome.state, reason: reason, records: outcome.recordCount)
            )
        case .skipped:
            skipped.append(FileNote(path: file.relativePath, state: .skipped, reason: reason, records: 0))
        case .ok:
            break
        }
        let messages = outcome.warnings + tally.conflictingDuplicates
        warnings += messages.map { Warning(path: file.relativePath, message: $0) }
    }
}
