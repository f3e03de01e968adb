import Foundation
import Testing
import TrailCore
import TrailReport

@testable import TrailAnalysis

/// `index.html`, from reports built here: log values escaped everywhere, the session graph, the
/// caps on big incidents, and nothing that would load from the network.
struct IncidentHTMLTests {
    static let hostileAgent = "\"><script>alert(1)</script>"
    static let formulaSummary = "=cmd|' /C calc'!A0"
    static let hostileSessionName = "<img src=x onerror=alert(1)>"

    // MARK: - Fixtures

    /// A chain of three sessions: a root, a cross-account chained hop, and a chained session
    /// under it, with one timeline row full of hostile text.
    static func chainedReport() -> CaseReport {
        var root = Session(accessKeyId: "ASIAROOTROOTROOT0001")
        root.roleArn = "arn:aws:iam::111122223333:role/Dev"
        root.sessionName = hostileSessionName
        root.sessionArn = "arn:aws:sts::111122223333:assumed-role/Dev/" + hostileSessionName
        root.accountId = "111122223333"
        var hop = Session(accessKeyId: "ASIAHOPHOPHOPHOP0002")
        hop.roleArn = "arn:aws:iam::444455556666:role/Admin"
        hop.accountId = "444455556666"
        hop.parentAccessKeyId = root.accessKeyId
        hop.crossAccount = true
        hop.roleChaining = true
        var leaf = Session(accessKeyId: "ASIALEAFLEAFLEAF0003")
        leaf.roleArn = "arn:aws:iam::444455556666:role/Backup"
        leaf.parentAccessKeyId = hop.accessKeyId
        leaf.roleChaining = true

        var row = TimelineRow(chain: [root.accessKeyId, hop.accessKeyId], summary: formulaSummary)
        row.time = "2026-11-03T02:01:12Z"
        row.eventName = "GetCallerIdentity"
        row.userAgent = hostileAgent
        row.file = "AWSLogs/x/<b>.json.gz"
        row.recordIndex = 4

        var incident = makeIncident(id: "INC-1", sessions: [root, hop, leaf])
        incident.timeline = [row]
        incident.reasons = ["It used a technique of severity critical outside its routine."]
        return makeReport(incidents: [incident])
    }

    static func makeIncident(
        id: String,
        sessions: [Session],
        severity: String = "critical"
    ) -> Incident {
        var origin = Session.Origin()
        origin.type = "IAMUser"
        origin.arn = "arn:aws:iam::111122223333:user/dev-alice"
        origin.name = "dev-alice"
        return Incident(
            id: id,
            severity: severity,
            origin: origin,
            originKey: origin.arn ?? "",
            sessions: sessions,
            techniques: [],
            reasons: [],
            timeline: [],
            eventCount: 1,
            errorCount: 0,
            firstSeen: "2026-11-03T02:01:12Z",
            lastSeen: "2026-11-03T02:01:12Z",
            accounts: ["111122223333"],
            sourceIPAddresses: ["203.0.113.45"]
        )
    }

    static func makeReport(
        incidents: [Incident],
        failed: [DumpSummary.FailedFile] = []
    ) -> CaseReport {
        var dump = DumpSummary()
        dump.files = 3
        dump.filesOK = 3 - failed.count
        dump.filesFailed = failed.count
        dump.failed = failed
        return CaseReport(
            generatedAt: "2026-12-01T00:00:00Z",
            dump: dump,
            incidents: incidents,
            plans: [:],
            planProblems: [:]
        )
    }

    /// The number of times `needle` occurs in `text`.
    static func occurrences(of needle: String, in text: String) -> Int {
        text.components(separatedBy: needle).count - 1
    }

    /// The page's inline SVG graphs, each from `<svg` to `</svg>`.
    static func graphs(in html: String) -> [String] {
        html.components(separatedBy: "<svg").dropFirst().compactMap { part in
            part.components(separatedBy: "</svg>").first
        }
    }

    // MARK: - Escaping

    @Test func hostileLogValuesAppearOnlyEscapedInTheTables() {
        let html = IncidentHTML.render(Self.chainedReport())

        #expect(!html.lowercased().contains("<script"))
        #expect(!html.lowercased().contains("<img"))
        #expect(!html.contains("<b>"))
        #expect(html.contains("&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("=cmd|&#39; /C calc&#39;!A0"))
        #expect(html.contains("&lt;img src=x onerror=alert(1)&gt;"))
        #expect(html.contains("title=\"AWSLogs/x/&lt;b&gt;.json.gz\""))
    }

    @Test func hostileSessionNamesAppearOnlyEscapedInTheGraph() throws {
        let graph = try #require(Self.graphs(in: IncidentHTML.render(Self.chainedReport())).first)

        #expect(graph.contains("&lt;img src=x onerror=alert(1)&gt;"))
        #expect(!graph.contains("<img"))
        #expect(!graph.contains("onerror=alert(1)>"))
    }

    @Test func idsAndLinksKeepOnlySafeCharactersOfAnIncidentID() {
        var report = Self.chainedReport()
        report.incidents[0].id = "INC-1\" onclick=\"alert(1)"
        let html = IncidentHTML.render(report)

        #expect(html.contains("href=\"#INC-1onclickalert1\""))
        #expect(html.contains("id=\"INC-1onclickalert1\""))
        #expect(!html.contains("onclick=\""))
    }

    @Test func anUnknownSeverityGetsNoClassOfItsOwn() {
        var report = Self.chainedReport()
        report.incidents[0].severity = "x\" style=\"color:red"
        let html = IncidentHTML.render(report)

        #expect(html.contains("class=\"sev sev-unknown\""))
        #expect(!html.contains("style=\"color:red"))
    }

    // MARK: - Graph

    @Test func theGraphHasOneNodePerSessionAndOneForTheOrigin() throws {
        let graph = try #require(Self.graphs(in: IncidentHTML.render(Self.chainedReport())).first)

        #expect(Self.occurrences(of: "<g class=\"node", in: graph) == 4)
        #expect(Self.occurrences(of: "<g class=\"node origin\"", in: graph) == 1)
        #expect(Self.occurrences(of: "<path class=\"edge", in: graph) == 3)
        #expect(graph.contains(">ASIALEAFLEAFLEAF0003</text>"))
    }

    @Test func aCrossAccountHopIsADistinctEdgeAndRoleChainingIsMarked() throws {
        let graph = try #require(Self.graphs(in: IncidentHTML.render(Self.chainedReport())).first)

        #expect(Self.occurrences(of: "<path class=\"edge cross-account chained\"", in: graph) == 1)
        #expect(Self.occurrences(of: "<path class=\"edge chained\"", in: graph) == 1)
        #expect(Self.occurrences(of: "<path class=\"edge\"", in: graph) == 1)
        #expect(Self.occurrences(of: ">cross-account</text>", in: graph) == 1)
        #expect(Self.occurrences(of: ">role chaining</text>", in: graph) == 2)
    }

    @Test func aBigTreeIsCutToTheNodeLimitAndSaysHowManyWereLeftOut() throws {
        let sessions = (0..<100).map { index in
            var session = Session(accessKeyId: "ASIA\(index)")
            session.parentAccessKeyId = index == 0 ? nil : "ASIA\((index - 1) / 3)"
            return session
        }
        let incident = Self.makeIncident(id: "INC-1", sessions: sessions)
        let html = IncidentHTML.render(Self.makeReport(incidents: [incident]))
        let graph = try #require(Self.graphs(in: html).first)

        let drawn = Self.occurrences(of: "<g class=\"node session", in: graph)
        #expect(drawn == SessionTreeSVG.nodeLimit)
        #expect(html.contains("60 of 100 sessions are drawn; 40 were left out"))
    }

    // MARK: - Sections

    @Test func aReportWithoutIncidentsSaysSo() {
        let html = IncidentHTML.render(Self.makeReport(incidents: []))

        #expect(html.contains("No incidents: nothing in the dump showed attacker techniques"))
        #expect(!html.contains("<section class=\"incident\""))
        #expect(Self.graphs(in: html).isEmpty)
    }

    @Test func theFailedFilesTableListsEachFileNotReadInFull() {
        let failed = DumpSummary.FailedFile(
            path: "AWSLogs/1/a&b.json.gz",
            status: "failed",
            reason: "gzip data is truncated",
            records: 7
        )
        let html = IncidentHTML.render(Self.makeReport(incidents: [], failed: [failed]))
        let tables = html.components(separatedBy: "<table class=\"failed-files\">")
        let table = tables.dropFirst().first ?? ""

        #expect(table.contains("AWSLogs/1/a&amp;b.json.gz"))
        #expect(table.contains("gzip data is truncated"))
        #expect(table.contains(">7</td>"))
        #expect(!IncidentHTML.render(Self.makeReport(incidents: [])).contains("failed-files"))
    }

    @Test func theTimelineShowsAtMostItsLimitAndPointsToTheFullFiles() {
        var incident = Self.makeIncident(id: "INC-1", sessions: [])
        incident.timeline = Array(repeating: TimelineRow(chain: [], summary: "row"), count: 650)
        let html = IncidentHTML.render(Self.makeReport(incidents: [incident]))

        let rows = Self.occurrences(of: "<tr class=\"plain\">", in: html)
        #expect(rows == IncidentHTML.timelineLimit)
        #expect(html.contains("The first 500 of 650 calls"))
        #expect(html.contains("timeline.csv and timeline.jsonl"))
    }

    @Test func anIsolationCommandIsShownAsOneShellQuotedLine() {
        var report = Self.chainedReport()
        let action = IsolationPlan.Action(
            kind: .revokeRoleSessions,
            target: "arn:aws:iam::444455556666:role/Admin",
            accountID: "444455556666",
            reason: "role Admin has 1 implicated session(s)",
            evidence: [],
            command: ["aws", "iam", "put-role-policy", "--role-name", "it's <x>"],
            policyDocument: .object([("Version", .string("2012-10-17"))]),
            caveats: []
        )
        let alerting = IsolationPlan.Alerting(
            eventPattern: .object([]),
            snsTopicPolicyStatement: .object([]),
            commands: [],
            caveats: []
        )
        report.plans["INC-1"] = IsolationPlan(
            generatedAt: "2026-12-01T00:00:00Z",
            tokenIssueTime: "2026-12-01T00:00:00Z",
            subjects: [],
            actions: [action],
            alerting: alerting,
            containment: [],
            warnings: []
        )
        let html = IncidentHTML.render(report)

        // `it's <x>` as one shell word, `'it'\''s <x>'`, then escaped for HTML.
        let quoted = "&#39;it&#39;\\&#39;&#39;s &lt;x&gt;&#39;"
        #expect(html.contains("aws iam put-role-policy --role-name " + quoted))
        #expect(html.contains("&quot;Version&quot;: &quot;2012-10-17&quot;"))
    }

    @Test func aPlanProblemIsShownWhenThereIsNoPlan() {
        var report = Self.chainedReport()
        report.planProblems["INC-1"] = "No principal <of> this incident can be contained"
        let html = IncidentHTML.render(report)

        #expect(html.contains("No principal &lt;of&gt; this incident can be contained"))
    }

    // MARK: - Self-contained

    @Test func thePageLoadsNothingAndRunsNothing() {
        let html = IncidentHTML.render(Self.chainedReport())
        let lowered = html.lowercased()

        #expect(!lowered.contains("http://"))
        #expect(!lowered.contains("https://"))
        #expect(!lowered.contains("<script"))
        #expect(!lowered.contains("<link"))
        #expect(!lowered.contains("@import"))
        let references = lowered.components(separatedBy: "url(").dropFirst()
        #expect(references.allSatisfy { $0.hasPrefix("#") })
        #expect(html.contains("content=\"default-src 'none'; style-src 'unsafe-inline'\""))
    }
}
