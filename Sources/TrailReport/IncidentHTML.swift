import TrailAnalysis
import TrailCore

/// Renders `index.html`: the report for a person, one self-contained page that opens from disk.
///
/// The page has inline CSS only: no script, no font, no image, nothing loaded from anywhere, and
/// a Content Security Policy that forbids all of it. Every value from the logs is escaped through
/// ``HTMLText``, and ids and links are built only from characters that cannot leave an attribute.
package enum IncidentHTML {
    /// The most timeline rows shown per incident; `timeline.csv` and `timeline.jsonl` hold all.
    package static let timelineLimit = 500

    /// The page for `report`.
    package static func render(_ report: CaseReport) -> String {
        var parts = [head(), "<body>", "<main>", header(report)]
        parts += dumpSection(report.dump)
        parts += incidentIndex(report)
        parts += report.incidents.map { incidentSection($0, report: report) }
        parts += [
            "<footer><p class=\"note\">Written by trailhound from the case database alone. "
                + "The machine-readable files next to this page: report.json, report.md, "
                + "timeline.csv, timeline.jsonl.</p></footer>",
            "</main>", "</body>", "</html>",
        ]
        return parts.joined(separator: "\n") + "\n"
    }

    // MARK: - Page

    /// The policy that keeps the page inert even if some markup got through: nothing may load
    /// or run, and only the inline stylesheet applies.
    private static let contentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'"

    /// The page's head, with the inline stylesheet and the policy; `title` is a constant.
    static func head(title: String = "trailhound report") -> String {
        """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta http-equiv="Content-Security-Policy" content="\(contentSecurityPolicy)">
        <meta name="referrer" content="no-referrer">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(HTMLText.escaped(title))</title>
        <style>
        \(stylesheet)
        </style>
        </head>
        """
    }

    private static func header(_ report: CaseReport) -> String {
        let counts = report.severityCounts.map { severity, count in
            "\(count) \(severityBadge(severity))"
        }
        let incidents = report.incidents.count
        var summary = "\(incidents) incident\(incidents == 1 ? "" : "s")"
        if !counts.isEmpty { summary += ": " + counts.joined(separator: " ") }
        return """
            <header class="page">
            <h1>trailhound report</h1>
            <p class="muted">Generated \(HTMLText.escaped(report.generatedAt))</p>
            <p class="headline">\(summary)</p>
            </header>
            """
    }

    // MARK: - The dump

    private static func dumpSection(_ dump: DumpSummary) -> [String] {
        let files =
            "\(dump.files) <span class=\"muted\">(\(dump.filesOK) ok, "
            + "\(dump.filesPartial) partial, \(dump.filesFailed) failed, "
            + "\(dump.filesSkipped) skipped)</span>"
        let formats = dump.formats.map { "\(HTMLText.escaped($0.0)) \($0.1)" }
        let first = HTMLText.escaped(dump.firstEventTime ?? "?")
        let last = HTMLText.escaped(dump.lastEventTime ?? "?")
        var parts = [
            "<section id=\"dump\">", "<h2>The dump</h2>",
            facts([
                ("Read from", codeList(dump.roots)), ("Files", files),
                ("Formats", formats.isEmpty ? "none" : formats.joined(separator: ", ")),
                ("Events", String(dump.events)), ("Sessions", String(dump.sessions)),
                ("Principals", String(dump.principals)), ("Accounts", codeList(dump.accounts)),
                ("Regions", codeList(dump.regions)), ("Time span", "\(first) to \(last)"),
            ]),
        ]
        parts += failedFiles(dump)
        parts.append("</section>")
        return parts
    }

    private static func failedFiles(_ dump: DumpSummary) -> [String] {
        guard !dump.failed.isEmpty else {
            return ["<p>Every file was read in full.</p>"]
        }
        var parts = ["<h3>Files not read in full</h3>"]
        let unread = dump.filesFailed + dump.filesPartial
        if unread > dump.failed.count {
            parts.append(
                "<p class=\"note\">The first \(dump.failed.count) of \(unread) are listed.</p>"
            )
        }
        let rows = dump.failed.map { file in
            [
                cell(file.path, className: "mono"), statusCell(file.status), cell(file.reason),
                cell(String(file.records), className: "num"),
            ]
        }
        let columns = ["path", "status", "reason", "records kept"]
        parts.append(table(columns: columns, rows: rows, className: "failed-files"))
        return parts
    }

    private static func statusCell(_ status: String) -> String {
        let className = "status status-" + HTMLText.identifier(status)
        return "<td><span class=\"\(className)\">\(HTMLText.escaped(status))</span></td>"
    }

    // MARK: - Incident index

    private static func incidentIndex(_ report: CaseReport) -> [String] {
        var parts = ["<section id=\"incidents\">", "<h2>Incidents</h2>"]
        guard !report.incidents.isEmpty else {
            parts += [
                "<p class=\"none\">No incidents: nothing in the dump showed attacker techniques "
                    + "outside routine activity.</p>",
                "</section>",
            ]
            return parts
        }
        let rows = report.incidents.map { incident in
            [
                "<td><a href=\"#\(HTMLText.identifier(incident.id))\">"
                    + "\(HTMLText.escaped(incident.id))</a></td>",
                "<td>\(severityBadge(incident.severity))</td>", cell(incident.origin.label),
                cell(String(incident.sessions.count), className: "num"),
                cell(String(incident.techniques.count), className: "num"),
                cell(String(incident.eventCount), className: "num"),
                cell(incident.firstSeen ?? "", className: "time"),
                cell(incident.lastSeen ?? "", className: "time"),
                "<td>\(codeList(incident.accounts))</td>",
            ]
        }
        let columns = [
            "id", "severity", "origin", "sessions", "techniques", "events", "first seen",
            "last seen", "accounts",
        ]
        parts += [table(columns: columns, rows: rows, className: "incidents"), "</section>"]
        return parts
    }

    // MARK: - Building blocks

    /// A severity as a coloured badge; the class comes only from the known severities.
    static func severityBadge(_ severity: String) -> String {
        "<span class=\"sev \(severityClass(severity))\">\(HTMLText.escaped(severity))</span>"
    }

    /// `sev-high` and the like, or `sev-unknown` for a severity not in the technique table.
    static func severityClass(_ severity: String) -> String {
        TechniqueTable.severities.contains(severity) ? "sev-" + severity : "sev-unknown"
    }

    /// A table whose cells are already rendered `<td>` elements.
    ///
    /// - Parameters:
    ///   - columns: The header texts, escaped here.
    ///   - rows: Each row's `<td>` elements, built with ``HTMLText``.
    ///   - className: The table's class, a constant of the renderer.
    ///   - rowClasses: Each row's classes, constants of the renderer; none when empty.
    static func table(
        columns: [String],
        rows: [[String]],
        className: String,
        rowClasses: [String] = []
    ) -> String {
        var lines = ["<table class=\"\(HTMLText.identifier(className))\">", "<thead><tr>"]
        lines += columns.map { HTMLText.element("th", $0) }
        lines.append("</tr></thead><tbody>")
        for (index, row) in rows.enumerated() {
            let rowClass = index < rowClasses.count ? " class=\"\(rowClasses[index])\"" : ""
            lines.append("<tr\(rowClass)>" + row.joined() + "</tr>")
        }
        lines.append("</tbody></table>")
        return lines.joined(separator: "\n")
    }

    /// A `<td>` holding `text`, escaped.
    static func cell(_ text: String, className: String? = nil) -> String {
        HTMLText.element("td", text, className: className)
    }

    /// A definition list of label and already-rendered value pairs.
    static func facts(_ items: [(String, String)]) -> String {
        let rows = items.map { label, value in
            "<dt>\(HTMLText.escaped(label))</dt><dd>\(value)</dd>"
        }
        return "<dl class=\"facts\">" + rows.joined() + "</dl>"
    }

    /// Values as inline code, comma-separated; `none` when there are none.
    static func codeList(_ values: [String]) -> String {
        guard !values.isEmpty else { return "<span class=\"muted\">none</span>" }
        return values.map(code).joined(separator: ", ")
    }

    /// A value as inline code.
    static func code(_ value: String) -> String {
        HTMLText.element("code", value)
    }
}
