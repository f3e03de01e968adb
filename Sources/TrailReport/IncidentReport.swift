import TrailAnalysis
import TrailCore

/// Renders the files of the report folder other than `index.html`: `report.json`, `report.md`,
/// `timeline.jsonl` and `timeline.csv`, and the summary `report` prints on the terminal.
package enum IncidentReport {
    /// `report.json`: the contract object, pretty enough for `jq`, one document.
    package static func json(_ report: CaseReport) -> String {
        report.jsonValue.rendered() + "\n"
    }

    /// `timeline.jsonl`: every timeline row of every incident, one Timesketch event a line, each
    /// tagged with its incident's id and severity.
    package static func jsonl(_ report: CaseReport) -> String {
        var output = ""
        for incident in report.incidents {
            let extra: [(String, JSONValue)] = [
                ("incident", .string(incident.id)), ("incidentSeverity", .string(incident.severity)),
            ]
            for row in incident.timeline {
                output += TimelineReport.timesketchLine(row, extra: extra).rendered()
                output += "\n"
            }
        }
        return output
    }

    /// `timeline.csv`: the same rows as the JSONL, with formula-like cells neutralised.
    package static func csv(_ report: CaseReport) -> String {
        let columns = ["incident", "incidentSeverity"] + TimelineReport.csvColumns
        let rows = report.incidents.flatMap { incident in
            incident.timeline.map { [incident.id, incident.severity] + TimelineReport.csvCells($0) }
        }
        return TabularText.csv(columns: columns, rows: rows)
    }

    /// The one line a CI log shows, such as `trailhound: 2 incidents (1 critical, 1 high) in 1234
    /// events from 12 files; 1 file failed`.
    package static func summaryLine(_ report: CaseReport) -> String {
        let counts = report.severityCounts.map { "\($0.1) \($0.0)" }.joined(separator: ", ")
        let incidents = report.incidents.count
        var line = "trailhound: \(incidents) incident\(incidents == 1 ? "" : "s")"
        if !counts.isEmpty { line += " (\(counts))" }
        line += " in \(report.dump.events) events from \(report.dump.files) files"
        let failed = report.dump.filesFailed + report.dump.filesPartial
        if failed > 0 { line += "; \(failed) file\(failed == 1 ? "" : "s") not read in full" }
        return line
    }

    /// The incidents as a terminal table, every cell stripped of control characters.
    package static func table(_ report: CaseReport) -> String {
        guard !report.incidents.isEmpty else { return "No incidents.\n" }
        let rows = report.incidents.map { incident in
            [
                incident.id, incident.severity, incident.origin.label, String(incident.sessions.count),
                incident.techniques.prefix(4).map(\.technique.techniqueID).joined(separator: " "),
                String(incident.eventCount), incident.firstSeen ?? "", incident.lastSeen ?? "",
            ]
        }
        return TabularText.table(
            columns: ["id", "severity", "origin", "sessions", "techniques", "events", "first seen", "last seen"],
            rows: rows
        )
    }
}
