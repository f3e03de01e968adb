import TrailAnalysis
import TrailCore

/// Renders `trailhound verify`.
package enum IntegrityReportText {
    package static func json(_ report: IntegrityReport) -> String {
        report.jsonValue.rendered() + "\n"
    }

    /// A summary per account and region, then every problem, one per line.
    package static func table(_ report: IntegrityReport) -> String {
        let columns = ["account", "region", "from", "to", "verdict", "counts"]
        let rows = report.summaries.map { summary in
            [
                summary.accountID ?? "?", summary.region ?? "?", summary.from ?? "", summary.to ?? "", summary.verdict,
                summary.counts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "),
            ]
        }
        var text = TabularText.table(columns: columns, rows: rows)
        text += "\nOverall: \(report.verdict). Signatures \(report.signatures).\n"
        var problems: [String] = []
        problems += report.logFiles.filter { $0.verdict != "valid" }.map {
            "\($0.path): \($0.verdict)" + ($0.detail.map { ": \($0)" } ?? "")
        }
        problems += report.digests.compactMap { digest in
            let issues = [
                digest.location == "moved" ? "moved" : nil,
                ["valid", "not-checked"].contains(digest.signature) ? nil : "signature \(digest.signature)",
                ["matches", "matches-compressed", "first", "not-checked"].contains(digest.previousHash)
                    ? nil : "previous digest hash \(digest.previousHash)",
            ].compactMap { $0 }
            return issues.isEmpty
                ? nil : "\(digest.path): " + issues.joined(separator: ", ") + (digest.detail.map { " (\($0))" } ?? "")
        }
        problems += report.gaps.map {
            "\($0.accountID ?? "?") \($0.region ?? "?"): no digest covers \($0.from) to \($0.to)"
        }
        problems += report.missingDigests.map {
            "\($0.path): digest missing from the chain (referenced by \($0.referencedBy))"
        }
        if !problems.isEmpty {
            text += "\nProblems:\n" + problems.map { "  " + TerminalText.sanitized($0) }.joined(separator: "\n") + "\n"
        }
        return text
    }
}
