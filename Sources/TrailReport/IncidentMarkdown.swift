import TrailAnalysis
import TrailCore

/// Renders `report.md`: the report for a ticket or a chat, every log value escaped.
package enum IncidentMarkdown {
    /// The most timeline rows shown per incident; the JSONL and CSV files hold them all.
    package static let timelineLimit = 200

    package static func render(_ report: CaseReport) -> String {
        var lines = ["# trailhound report", "", "Generated \(report.generatedAt).", ""]
        lines += summary(report.dump)
        lines += ["", "## Incidents", ""]
        if report.incidents.isEmpty {
            lines.append("No incidents: nothing in the dump showed attacker techniques outside routine activity.")
        } else {
            lines += [
                "| id | severity | origin | sessions | events | first seen | last seen |",
                "|---|---|---|---|---|---|---|",
            ]
            lines += report.incidents.map { incident in
                let cells = [
                    incident.id, incident.severity, incident.origin.label, String(incident.sessions.count),
                    String(incident.eventCount), incident.firstSeen ?? "", incident.lastSeen ?? "",
                ]
                return "| " + cells.map(MarkdownText.escaped).joined(separator: " | ") + " |"
            }
        }
        for incident in report.incidents {
            lines += [""] + section(incident, report: report)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The files per format, as in `records+gzip 12, lookup-events 1`.
    private static func formatList(_ dump: DumpSummary) -> String {
        let counts: [String] = dump.formats.map { "\($0.0) \($0.1)" }
        return counts.isEmpty ? "none" : counts.joined(separator: ", ")
    }

    private static func summary(_ dump: DumpSummary) -> [String] {
        var lines = [
            "## The dump", "",
            "- Files: \(dump.files) (\(dump.filesOK) ok, \(dump.filesPartial) partial, \(dump.filesFailed) failed, "
                + "\(dump.filesSkipped) skipped)",
            "- Formats: " + formatList(dump),
            "- Events: \(dump.events); sessions: \(dump.sessions); principals: \(dump.principals)",
            "- Accounts: " + dump.accounts.map(MarkdownText.code).joined(separator: ", "),
            "- Regions: " + dump.regions.map(MarkdownText.code).joined(separator: ", "),
            "- Time span: \(dump.firstEventTime ?? "?") to \(dump.lastEventTime ?? "?")",
        ]
        if !dump.failed.isEmpty {
            lines += ["", "Files not read in full:", ""]
            lines += dump.failed.map { file in
                "- \(MarkdownText.code(file.path)) (\(file.status), \(file.records) records kept): "
                    + MarkdownText.escaped(file.reason)
            }
        }
        return lines
    }

    private static func section(_ incident: Incident, report: CaseReport) -> [String] {
        var lines = [
            "## \(incident.id): \(incident.severity), \(MarkdownText.escaped(incident.origin.label))", "",
            "- Origin: \(incident.origin.type ?? "unknown") \(MarkdownText.code(incident.originKey))",
            "- Activity: \(incident.eventCount) calls (\(incident.errorCount) failed) from "
                + "\(incident.firstSeen ?? "?") to \(incident.lastSeen ?? "?") in "
                + incident.accounts.map(MarkdownText.code).joined(separator: ", "),
            "- Source IPs: " + incident.sourceIPAddresses.prefix(10).map(MarkdownText.code).joined(separator: ", "),
        ]
        lines += incident.reasons.map { "- " + MarkdownText.escaped($0) }
        lines += ["", "### Sessions", ""] + sessionTree(incident)
        lines += [
            "", "### Techniques", "", "| severity | tactic | technique | seen as | count | routine | first seen |",
        ]
        lines.append("|---|---|---|---|---|---|---|")
        lines += incident.techniques.map { sighting in
            let cells = [
                sighting.technique.severity, sighting.technique.tactic,
                "\(sighting.technique.techniqueID) \(sighting.technique.name)", sighting.names.joined(separator: ", "),
                String(sighting.count), String(sighting.routineCount), sighting.firstSeen ?? "",
            ]
            return "| " + cells.map(MarkdownText.escaped).joined(separator: " | ") + " |"
        }
        lines += ["", "### Indicators", ""]
        if let investigation = report.investigations[incident.id] {
            lines += InvestigationReport.markdownBody(investigation)
        } else {
            lines.append("Not investigated: no call of the incident's tree was found.")
        }
        lines += ["", "### Timeline", ""]
        if incident.timeline.count > timelineLimit {
            lines += [
                "The first \(timelineLimit) of \(incident.timeline.count) calls; timeline.csv and timeline.jsonl "
                    + "hold them all.", "",
            ]
        }
        lines += TimelineReport.markdownTable(incident.timeline.prefix(timelineLimit))
        lines += ["", "### Isolation", ""]
        if let plan = report.plans[incident.id] {
            lines += demoted(IsolationReport.markdown(plan))
        } else {
            lines.append(MarkdownText.escaped(report.planProblems[incident.id] ?? "No plan."))
        }
        return lines
    }

    /// The session tree as a nested list: each session under the one whose credentials issued it.
    private static func sessionTree(_ incident: Incident) -> [String] {
        let keys = Set(incident.sessions.map(\.accessKeyId))
        var children: [String: [Session]] = [:]
        var roots: [Session] = []
        for session in incident.sessions {
            if let parent = session.parentAccessKeyId, keys.contains(parent), parent != session.accessKeyId {
                children[parent, default: []].append(session)
            } else {
                roots.append(session)
            }
        }
        guard !roots.isEmpty else { return ["No temporary credentials: the origin used long-term credentials only."] }
        var lines: [String] = []
        var visited: Set<String> = []
        func visit(_ session: Session, depth: Int) {
            guard visited.insert(session.accessKeyId).inserted else { return }
            var marks: [String] = []
            if session.crossAccount { marks.append("**cross-account**") }
            if session.roleChaining { marks.append("**role chaining**") }
            let name = session.sessionArn ?? session.roleArn ?? session.kind ?? "session"
            lines.append(
                String(repeating: "  ", count: depth) + "- " + MarkdownText.code(session.accessKeyId) + " "
                    + MarkdownText.escaped(name) + " (\(session.kind ?? "issuer unknown"), account "
                    + "\(MarkdownText.escaped(session.accountId ?? "?")), \(session.eventCount) calls)"
                    + (marks.isEmpty ? "" : " " + marks.joined(separator: ", "))
            )
            for child in children[session.accessKeyId] ?? [] { visit(child, depth: depth + 1) }
        }
        for root in roots { visit(root, depth: 0) }
        return lines
    }

    /// Markdown with every heading one level deeper, outside code blocks, to nest it in a section.
    private static func demoted(_ markdown: String) -> [String] {
        var inCode = false
        return markdown.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            if line.hasPrefix("```") { inCode.toggle() }
            return !inCode && line.hasPrefix("#") ? "###" + line : String(line)
        }
    }
}
