import TrailAnalysis
import TrailCore

/// One incident's section: what it is, why it was reported, its session tree and its
/// techniques; its timeline and its isolation plan follow (`IncidentHTML+Timeline.swift`,
/// `IncidentHTML+Isolation.swift`).
extension IncidentHTML {
    /// The most source IP addresses listed in an incident's facts or a technique's row.
    static let addressLimit = 10

    /// The most event IDs listed in a technique's row; report.json holds the rest.
    static let eventIDLimit = 3

    /// The section of `incident`, whose id is the target of its link in the index.
    static func incidentSection(_ incident: Incident, report: CaseReport) -> String {
        let anchor = HTMLText.identifier(incident.id)
        let label = HTMLText.escaped(incident.origin.label)
        var parts = [
            "<section class=\"incident\" id=\"\(anchor)\">",
            "<h2>\(HTMLText.escaped(incident.id)) \(severityBadge(incident.severity)) "
                + "<span class=\"origin-label\">\(label)</span></h2>",
            incidentFacts(incident),
        ]
        if !incident.reasons.isEmpty {
            let items = incident.reasons.map { HTMLText.element("li", $0) }
            parts.append("<h3>Why it was reported</h3>")
            parts.append("<ul class=\"reasons\">" + items.joined() + "</ul>")
        }
        parts += sessionTree(incident)
        parts += techniques(incident)
        if let investigation = report.investigations[incident.id] {
            parts.append(InvestigationReport.htmlSection(investigation, headingLevel: 3))
        }
        parts += timeline(incident)
        parts += isolation(for: incident, report: report)
        parts.append("</section>")
        return parts.joined(separator: "\n")
    }

    private static func incidentFacts(_ incident: Incident) -> String {
        let type = HTMLText.escaped(incident.origin.type ?? "type unknown")
        let origin = code(incident.originKey) + " <span class=\"muted\">\(type)</span>"
        let activity =
            "\(incident.eventCount) calls, \(incident.errorCount) failed, from "
            + HTMLText.escaped(incident.firstSeen ?? "?") + " to "
            + HTMLText.escaped(incident.lastSeen ?? "?")
        var chain = "longest chain \(incident.chainDepth)"
        if incident.crossAccount {
            chain += ", <strong class=\"cross\">crosses accounts</strong>"
        }
        return facts([
            ("Origin", origin), ("Activity", activity),
            ("Accounts", codeList(incident.accounts)),
            ("Source IPs", limitedCodeList(incident.sourceIPAddresses, limit: addressLimit)),
            ("Sessions", "\(incident.sessions.count), " + chain),
        ])
    }

    // MARK: - Session tree

    private static func sessionTree(_ incident: Incident) -> [String] {
        var parts = ["<h3>Session tree</h3>"]
        guard !incident.sessions.isEmpty else {
            return parts + [
                "<p>No temporary credentials: the origin used long-term credentials only.</p>"
            ]
        }
        let graph = SessionTreeSVG(incident: incident)
        parts.append(
            "<p class=\"legend\">Each arrow leads from credentials to the session they obtained: "
                + "<span class=\"key-edge\"></span>issued "
                + "<span class=\"key-edge chained\"></span>role chaining "
                + "<span class=\"key-edge cross-account\"></span>cross-account hop. "
                + "A box shows the role and session name, the access key, then the account, "
                + "how it was obtained and its calls; point at it for the full text.</p>"
        )
        if graph.omittedCount > 0 {
            let total = incident.sessions.count
            parts.append(
                "<p class=\"note\">\(total - graph.omittedCount) of \(total) sessions are drawn; "
                    + "\(graph.omittedCount) were left out to keep the graph readable "
                    + "(report.json lists them all).</p>"
            )
        }
        parts += ["<div class=\"svgbox\">", graph.render(), "</div>"]
        return parts
    }

    // MARK: - Techniques

    private static func techniques(_ incident: Incident) -> [String] {
        guard !incident.techniques.isEmpty else {
            return ["<h3>Techniques</h3>", "<p>None.</p>"]
        }
        let columns = [
            "tactic", "technique", "severity", "seen as", "count", "routine", "first / last seen",
            "source IPs", "event IDs",
        ]
        let rows = incident.techniques.map(techniqueCells)
        return ["<h3>Techniques</h3>", table(columns: columns, rows: rows, className: "techniques")]
    }

    private static func techniqueCells(_ sighting: TechniqueSighting) -> [String] {
        let technique = sighting.technique
        var eventIDs = sighting.eventIDs.prefix(eventIDLimit).map(code).joined(separator: " ")
        if sighting.eventIDs.count > eventIDLimit {
            let more = sighting.eventIDs.count - eventIDLimit
            eventIDs += " <span class=\"muted\">+\(more) more</span>"
        }
        let addresses = limitedCodeList(sighting.sourceIPAddresses, limit: addressLimit)
        let name =
            "<td class=\"technique\"><span class=\"first mono\">"
            + "\(HTMLText.escaped(technique.techniqueID))</span>"
            + "<span class=\"second\">\(HTMLText.escaped(technique.name))</span></td>"
        let first = HTMLText.escaped(sighting.firstSeen ?? "")
        let last = HTMLText.escaped(sighting.lastSeen ?? "")
        let seen =
            "<td class=\"time\"><span class=\"first\">\(first)</span>"
            + "<span class=\"second\">\(last)</span></td>"
        return [
            cell(technique.tactic), name, "<td>\(severityBadge(technique.severity))</td>",
            cell(sighting.names.joined(separator: ", ")),
            cell(String(sighting.count), className: "num"),
            cell(String(sighting.routineCount), className: "num"), seen,
            "<td class=\"ips\">\(addresses)</td>", "<td class=\"ids\">\(eventIDs)</td>",
        ]
    }

    /// The first `limit` values as inline code, then how many more there are.
    static func limitedCodeList(_ values: [String], limit: Int) -> String {
        guard values.count > limit else { return codeList(values) }
        let more = "<span class=\"muted\">and \(values.count - limit) more</span>"
        return codeList(Array(values.prefix(limit))) + " " + more
    }
}
