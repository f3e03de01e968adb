import TrailAnalysis
import TrailCore

/// Renders `trailhound timeline` for people (table, Markdown) and tools (JSON, JSONL, CSV).
package enum TimelineReport {
    package enum Format: String, CaseIterable, Sendable {
        case table, json, jsonl, csv, md
    }

    package static func render(_ timeline: Timeline, as format: Format) -> String {
        var output = ""
        write(timeline, as: format, to: &output)
        return output
    }

    /// Writes the timeline to `output` row by row, for timelines of many thousand rows.
    package static func write(_ timeline: Timeline, as format: Format, to output: inout some TextOutputStream) {
        let rows = timeline.rows
        switch format {
        case .json:
            output.write("[")
            Parallel.write(rows.count, to: &output) { range in
                var text = ""
                for index in range {
                    if index > 0 { text += "," }
                    text += JSONValue.object(rows[index].members).rendered()
                }
                return text
            }
            output.write("]\n")
        case .jsonl:
            Parallel.write(rows.count, to: &output) { range in
                var text = ""
                for index in range { text += timesketchLine(rows[index]).rendered() + "\n" }
                return text
            }
        case .csv:
            TabularText.writeCSV(columns: csvColumns, count: rows.count, to: &output) { csvCells(rows[$0]) }
        case .table:
            TabularText.writeTable(columns: tableColumns, count: rows.count, to: &output) { tableCells(rows[$0]) }
        case .md:
            writeMarkdown(timeline, to: &output)
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

    private static func writeMarkdown(_ timeline: Timeline, to output: inout some TextOutputStream) {
        output.write("# Timeline of \(MarkdownText.code(timeline.subject))\n\n")
        output.write("| time | event | error | source IP | user agent | actor | chain | summary |\n")
        output.write("|---|---|---|---|---|---|---|---|\n")
        let rows = timeline.rows
        Parallel.write(rows.count, to: &output) { range in
            var text = ""
            for row in rows[range] {
                let cells = [
                    row.time ?? "", row.eventName ?? "", row.errorCode ?? "", row.sourceIPAddress ?? "",
                    row.userAgent ?? "", row.principalARN ?? row.accessKeyID ?? "", row.chain.joined(separator: " > "),
                    row.summary,
                ]
                text += "| " + cells.map(MarkdownText.escaped).joined(separator: " | ") + " |\n"
            }
            return text
        }
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
