import TrailAnalysis
import TrailCore

/// Renders `trailhound investigate` as a terminal table, JSON, Markdown or a standalone HTML
/// page, and the indicators section of each incident in `report.md` and `index.html`.
///
/// Every log-derived string (subjects, addresses, user agents, sentences quoting them) is
/// escaped for its output: ``TerminalText`` for the table, ``MarkdownText``, ``HTMLText``.
package enum InvestigationReport {
    package enum Format: String, CaseIterable, Sendable {
        case table, json, md, html
    }

    /// The most event IDs shown per indicator outside JSON.
    static let eventIDLimit = 5

    package static func render(_ investigation: Investigation, as format: Format) -> String {
        switch format {
        case .json: investigation.jsonValue.rendered() + "\n"
        case .table: table(investigation)
        case .md:
            (["# Investigation of \(MarkdownText.code(investigation.subject))", ""] + markdownBody(investigation))
                .joined(separator: "\n") + "\n"
        case .html: html(investigation)
        }
    }

    // MARK: - Terminal

    private static func table(_ investigation: Investigation) -> String {
        var text = "Investigation of \(TerminalText.sanitized(investigation.subject)): \(investigation.severity)\n"
        for (name, value) in facts(investigation) {
            text += "\(name): \(TerminalText.sanitized(value))\n"
        }
        text += "\n"
        if investigation.indicators.isEmpty {
            text += "No indicators.\n"
        } else {
            let rows = investigation.indicators.enumerated().map { index, indicator in
                [String(index + 1), indicator.severity, indicator.kind.title, evidenceText(indicator)]
            }
            text += TabularText.table(columns: ["#", "severity", "indicator", "evidence"], rows: rows)
            text += "\n"
            for (index, indicator) in investigation.indicators.enumerated() {
                text += "\(index + 1). \(TerminalText.sanitized(indicator.explanation))\n"
            }
        }
        if !investigation.limitations.isEmpty {
            text += "\nNot checked or not known:\n"
            text += investigation.limitations.map { "- \(TerminalText.sanitized($0))\n" }.joined()
        }
        return text
    }

    /// The investigation's scope and baseline as name and value, unescaped.
    private static func facts(_ investigation: Investigation) -> [(String, String)] {
        var baseline =
            "\(investigation.baselineDays) days from \(investigation.baselineStart), "
            + "\(investigation.baselineEventCount) calls; first activity \(investigation.firstActivity ?? "none")"
        if investigation.baselineIsTooShort { baseline += " (too short to judge)" }
        return [
            ("Scope", "\(investigation.scopeStart) to \(investigation.scopeEnd), \(investigation.scopeRule)"),
            ("Scope calls", String(investigation.scopeEventCount)),
            ("Baseline", baseline),
        ]
    }

    private static func evidenceText(_ indicator: Indicator) -> String {
        let shown = indicator.eventIDs.prefix(eventIDLimit).joined(separator: " ")
        let more = indicator.eventIDs.count - min(indicator.eventIDs.count, eventIDLimit)
        return more > 0 ? "\(shown) +\(more)" : shown
    }

    // MARK: - Markdown

    /// The investigation without a title, for `investigate --format md` and each incident of
    /// `report.md`.
    package static func markdownBody(_ investigation: Investigation) -> [String] {
        var lines = ["- Severity: \(investigation.severity)"]
        lines += facts(investigation).map { "- \($0.0): \(MarkdownText.escaped($0.1))" }
        lines.append("")
        if investigation.indicators.isEmpty {
            lines.append("No indicators.")
        } else {
            lines += ["| severity | indicator | explanation | evidence |", "|---|---|---|---|"]
            lines += investigation.indicators.map { indicator in
                let cells = [indicator.severity, indicator.kind.title, indicator.explanation, evidenceText(indicator)]
                return "| " + cells.map(MarkdownText.escaped).joined(separator: " | ") + " |"
            }
        }
        if !investigation.limitations.isEmpty {
            lines += ["", "Not checked or not known:", ""]
            lines += investigation.limitations.map { "- " + MarkdownText.escaped($0) }
        }
        return lines
    }

    // MARK: - HTML

    private static func html(_ investigation: Investigation) -> String {
        let parts = [
            IncidentHTML.head(title: "trailhound investigation"), "<body>", "<main>",
            "<header class=\"page\"><h1>Investigation of \(IncidentHTML.code(investigation.subject))</h1></header>",
            "<section class=\"incident\">", htmlSection(investigation, headingLevel: 2), "</section>",
            "</main>", "</body>", "</html>",
        ]
        return parts.joined(separator: "\n") + "\n"
    }

    /// The investigation as an HTML fragment, headed at `headingLevel`, for the standalone page
    /// and each incident of `index.html`.
    package static func htmlSection(_ investigation: Investigation, headingLevel: Int) -> String {
        let heading = "h\(min(max(headingLevel, 2), 4))"
        var parts = [
            "<\(heading)>Indicators \(IncidentHTML.severityBadge(investigation.severity))</\(heading)>",
            IncidentHTML.facts(facts(investigation).map { ($0.0, HTMLText.escaped($0.1)) }),
        ]
        if investigation.indicators.isEmpty {
            parts.append("<p>No indicators.</p>")
        } else {
            let rows = investigation.indicators.map { indicator in
                [
                    "<td>\(IncidentHTML.severityBadge(indicator.severity))</td>",
                    IncidentHTML.cell(indicator.kind.title),
                    IncidentHTML.cell(indicator.explanation),
                    "<td class=\"ids\">"
                        + indicator.eventIDs.prefix(eventIDLimit).map(IncidentHTML.code).joined(separator: " ")
                        + (indicator.eventIDs.count > eventIDLimit
                            ? " <span class=\"muted\">+\(indicator.eventIDs.count - eventIDLimit) more</span>" : "")
                        + "</td>",
                ]
            }
            parts.append(
                IncidentHTML.table(
                    columns: ["severity", "indicator", "explanation", "evidence"],
                    rows: rows,
                    className: "indicators"
                )
            )
        }
        if !investigation.limitations.isEmpty {
            parts.append("<p class=\"note\">Not checked or not known:</p>")
            parts.append(
                "<ul class=\"reasons\">" + investigation.limitations.map { HTMLText.element("li", $0) }.joined()
                    + "</ul>"
            )
        }
        return parts.joined(separator: "\n")
    }
}
