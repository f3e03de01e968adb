import TrailAnalysis
import TrailCore

/// Renders `trailhound timeline` for people (table, Markdown) and tools (JSON, JSONL, CSV).
package enum TimelineReport {
    package enum Format: String, CaseIterable, Sendable {
        case table, json, jsonl, csv, md
    }

    package static func render(_ timeline: Timeline, as format: Format) -> String {
        switch format {
        case .json:
            return JSONValue.array(timeline.rows.map { .object($0.members) }).rendered() + "\n"
        case .jsonl:
            return timeline.rows.map { timesketchLine($0).rendered() + "\n" }.joined()
        case .csv:
            return TabularText.csv(columns: csvColumns, rows: timeline.rows.map(csvCells))
        case .table:
            return TabularText.table(columns: tableColumns, rows: timeline.rows.map(tableCells))
        case .md:
            return markdown(timeline)
        }
    }

    /// A Timesketch line: `message`, `datetime` and `timestamp_desc`, then `extra` fields (such
    /// as the incident), then the row's fields.
    package static func timesketchLine(_ row: TimelineRow, extra: [(String, JSONValue)] = []) -> JSONValue {
        .object(
            [
                ("message", .string(message(row))), ("datetime", .optional(row.time)),
                ("timestamp_desc", .string("Event Time")),
            ] + extra + row.members
        )
    }

    private static func message(_ row: TimelineRow) -> String {
        var text = "\(row.eventName ?? "?") by \(row.principalARN ?? row.accessKeyID ?? "unknown")"
        if let address = row.sourceIPAddress { text += " from \(address)" }
        if let error = row.errorCode { text += " failed: \(error)" }
        return text
    }

    package static let csvColumns = [
        "time", "eventID", "accountId", "region", "eventSource", "eventName", "errorCode", "sourceIPAddress",
        "userAgent", "principalArn", "accessKeyId", "chain", "summary", "technique", "file", "recordIndex",
    ]

    package static func csvCells(_ row: TimelineRow) -> [String] {
        [
            row.time ?? "", row.eventID ?? "", row.accountID ?? "", row.region ?? "", row.eventSource ?? "",
            row.eventName ?? "", row.errorCode ?? "", row.sourceIPAddress ?? "", row.userAgent ?? "",
            row.principalARN ?? "", row.accessKeyID ?? "", row.chain.joined(separator: " > "), row.summary,
            row.technique.map { "\($0.techniqueID) \($0.name)" } ?? "", row.file ?? "",
            row.recordIndex.map(String.init) ?? "",
        ]
    }

    private static let tableColumns = [
        "time", "account", "event", "error", "source IP", "user agent", "actor", "chain", "technique", "summary",
    ]

    private static func tableCells(_ row: TimelineRow) -> [String] {
        [
            row.time ?? "", row.accountID ?? "", row.eventName ?? "", row.errorCode ?? "", row.sourceIPAddress ?? "",
            row.userAgent ?? "", row.principalARN ?? row.accessKeyID ?? "", row.chain.joined(separator: ">"),
            row.technique?.techniqueID ?? "", row.summary,
        ]
    }

    private static func markdown(_ timeline: Timeline) -> String {
        var lines = [
            "# Timeline of \(MarkdownText.code(timeline.subject))", "",
            "| time | event | error | source IP | user agent | actor | chain | summary |",
            "|---|---|---|---|---|---|---|---|",
        ]
        lines += timeline.rows.map { row in
            let cells = [
                row.time ?? "", row.eventName ?? "", row.errorCode ?? "", row.sourceIPAddress ?? "",
                row.userAgent ?? "", row.principalARN ?? row.accessKeyID ?? "", row.chain.joined(separator: " > "),
                row.summary,
            ]
            return "| " + cells.map(MarkdownText.escaped).joined(separator: " | ") + " |"
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The Markdown table of `rows`, for the report.
    package static func markdownTable(_ rows: some Sequence<TimelineRow>) -> [String] {
        var lines = [
            "| time | event | error | source IP | user agent | actor | chain | technique | summary |",
            "|---|---|---|---|---|---|---|---|---|",
        ]
        for row in rows {
            let cells = [
                row.time ?? "", row.eventName ?? "", row.errorCode ?? "", row.sourceIPAddress ?? "",
                row.userAgent ?? "", row.principalARN ?? row.accessKeyID ?? "", row.chain.joined(separator: " > "),
                row.technique?.techniqueID ?? "", row.summary,
            ]
            lines.append("| " + cells.map(MarkdownText.escaped).joined(separator: " | ") + " |")
        }
        return lines
    }
}
