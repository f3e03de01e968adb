import Foundation
import Testing
import TrailCore
import TrailReport

@testable import TrailAnalysis

/// The machine-readable files of the report folder and the summary line, from a report built here.
struct IncidentReportTests {
    private static func report(agents: [String], failedFiles: Int = 0) -> CaseReport {
        var row = TimelineRow(chain: [], summary: "")
        row.time = "2026-11-03T02:01:12Z"
        row.eventName = "GetCallerIdentity"
        var incident = Incident(
            id: "INC-1",
            severity: "high",
            origin: Session.Origin(),
            originKey: "arn:aws:iam::1:user/x",
            sessions: [],
            techniques: [],
            reasons: [],
            timeline: [],
            eventCount: agents.count,
            errorCount: 0,
            firstSeen: nil,
            lastSeen: nil,
            accounts: [],
            sourceIPAddresses: []
        )
        incident.timeline = agents.map { agent in
            var copy = row
            copy.userAgent = agent
            return copy
        }
        var dump = DumpSummary()
        dump.files = 10
        dump.filesFailed = failedFiles
        dump.events = agents.count
        return CaseReport(
            generatedAt: "2026-12-01T00:00:00Z",
            dump: dump,
            incidents: [incident],
            plans: [:],
            planProblems: [:]
        )
    }

    @Test(arguments: ["=1+2", "+SUM(A1)", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"])
    func everyFormulaPrefixIsNeutralisedInTheCSVButNotInTheJSON(agent: String) throws {
        let report = Self.report(agents: [agent])
        let csv = IncidentReport.csv(report)
        let lines = csv.components(separatedBy: "\r\n")
        let cells = lines[1]
        #expect(cells.contains("'" + agent), "CSV cell starts with a quote: \(cells.debugDescription)")
        let jsonl = try #require(
            try JSONSerialization.jsonObject(with: Data(IncidentReport.jsonl(report).utf8)) as? [String: Any]
        )
        #expect(jsonl["userAgent"] as? String == agent)
        #expect(jsonl["incidentSeverity"] as? String == "high")
    }

    @Test func theSummaryLineCountsIncidentsBySeverityAndFilesNotRead() {
        #expect(
            IncidentReport.summaryLine(Self.report(agents: ["a", "b"], failedFiles: 1))
                == "trailhound: 1 incident (1 high) in 2 events from 10 files; 1 file not read in full"
        )
        var none = Self.report(agents: [])
        none.incidents = []
        #expect(IncidentReport.summaryLine(none) == "trailhound: 0 incidents in 0 events from 10 files")
    }
}
