import TrailCore
import TrailIngest
import TrailStore

/// Renders the summary of `trailhound ingest`.
package enum IngestReport {
    /// The `--format json` object; its field names are a documented contract.
    package static func json(_ summary: IngestSummary, databasePath: String) -> String {
        let files: JSONValue = .object(
            [("found", .int(summary.filesFound)), ("unchanged", .int(summary.unchangedFiles))]
                + FileState.allCases.map { ($0.rawValue, .int(summary.count(of: $0))) }
        )
        let object: JSONValue = .object([
            ("database", .string(databasePath)),
            ("files", files),
            ("events", .int(summary.newEvents)),
            ("records", .int(summary.recordsRead)),
            ("duplicates", .int(summary.duplicates)),
            ("decompressedBytes", .int(summary.decompressedBytes)),
            ("elapsedSeconds", .double((summary.elapsedSeconds * 1000).rounded() / 1000)),
            ("failed", .array(summary.problems.map(note))),
            ("skipped", .array(summary.skipped.map(note))),
            (
                "warnings",
                .array(
                    summary.warnings.map { .object([("path", .string($0.path)), ("warning", .string($0.message))]) }
                )
            ),
        ])
        return object.rendered() + "\n"
    }

    private static func note(_ note: IngestSummary.FileNote) -> JSONValue {
        .object([
            ("path", .string(note.path)),
            ("reason", .string(note.reason)),
            ("status", .string(note.state.rawValue)),
            ("records", .int(note.records)),
        ])
    }

    /// The human summary printed at the end of an ingest.
    package static func text(_ summary: IngestSummary, databasePath: String, listLimit: Int = 20) -> String {
        var lines = [
            "Ingested into \(TerminalText.sanitized(databasePath)) in \(formatted(summary.elapsedSeconds)) s",
            "  files:  \(summary.count(of: .ok)) ok, \(summary.count(of: .partial)) partial, "
                + "\(summary.count(of: .failed)) failed, \(summary.count(of: .skipped)) skipped, "
                + "\(summary.unchangedFiles) unchanged",
            "  events: \(summary.newEvents) new, \(summary.duplicates) duplicate (\(summary.recordsRead) records read)",
        ]
        lines += section("not read in full", summary.problems.map { ($0.path, $0.reason) }, limit: listLimit)
        lines += section("skipped", summary.skipped.map { ($0.path, $0.reason) }, limit: listLimit)
        lines += section("warnings", summary.warnings.map { ($0.path, $0.message) }, limit: listLimit)
        return lines.joined(separator: "\n") + "\n"
    }

    private static func section(_ title: String, _ entries: [(String, String)], limit: Int) -> [String] {
        guard !entries.isEmpty else { return [] }
        var lines = ["  \(title):"]
        lines += entries.prefix(limit).map { "    \(TerminalText.sanitized($0.0)): \(TerminalText.sanitized($0.1))" }
        if entries.count > limit { lines.append("    … and \(entries.count - limit) more") }
        return lines
    }

    private static func formatted(_ seconds: Double) -> String {
        String((seconds * 10).rounded() / 10)
    }
}
