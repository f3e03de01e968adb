import Foundation
import TestSupport
import Testing

/// `trailhound report` on the bundled sample dump (see scripts/make-fixtures.py for its story)
/// and on small dumps made here.
struct ReportCommandTests {
    private static let alice = "arn:aws:iam::111122223333:user/dev-alice"
    private static let formulaAgent = "=cmd|' /C calc'!A0"
    private static let scriptAgent = "Mozilla/5.0 (compatible; recon/0.3) \"><script>alert(1)</script>"

    /// Runs `report` on the sample dump into a fresh folder and returns the folder and the run.
    private static func reportOnSampleDump(_ extra: [String] = []) throws -> (TemporaryDirectory, CommandResult) {
        let folder = try TemporaryDirectory()
        let result = try runTrailhound(
            [
                "report", Fixtures.path("ingest-dump"), "-o", folder.file("out"), "--db", folder.file("case.db"),
                "--quiet",
            ]
                + extra
        )
        return (folder, result)
    }

    private static func read(_ path: String) throws -> String {
        try String(contentsOfFile: path, encoding: .utf8)
    }

    @Test func findsOneCriticalIncidentForTheStolenKeyAndItsChainedSessions() throws {
        let (folder, result) = try Self.reportOnSampleDump()
        #expect(result.status == 0, "\(result.standardError)")
        #expect(
            result.standardOutput.split(separator: "\n").last?.hasPrefix("trailhound: 1 incident (1 critical)") == true
        )

        let expected = try Fixtures.json("ingest-dump.expected.json")
        let attack = try #require(expected["attack"] as? [String: Any])
        let report = try #require(try parseJSON(try Self.read(folder.file("out/report.json"))) as? [String: Any])
        let dump = try #require(report["dump"] as? [String: Any])
        #expect(dump["events"] as? Int == expected["events"] as? Int)
        #expect(
            Set(dump["accounts"] as? [String] ?? [])
                == Set((expected["eventsByAccount"] as? [String: Any])?.keys.map { $0 } ?? [])
        )

        let incidents = try #require(report["incidents"] as? [[String: Any]])
        try #require(incidents.count == 1, "only the stolen key is an incident; the routine users are not")
        let incident = incidents[0]
        #expect(incident["severity"] as? String == "critical")
        #expect((incident["origin"] as? [String: Any])?["arn"] as? String == Self.alice)
        let sessions = try #require(incident["sessions"] as? [[String: Any]])
        #expect(
            Set(sessions.compactMap { $0["accessKeyId"] as? String })
                == [attack["firstSessionKey"] as? String, attack["secondSessionKey"] as? String].compactMap { $0 }
                .reduce(into: Set<String>()) { $0.insert($1) }
        )
        #expect(incident["crossAccount"] as? Bool == true)
        #expect(incident["chainDepth"] as? Int == 2)

        let techniques = try #require(incident["techniques"] as? [[String: Any]])
        let ids = Set(techniques.compactMap { $0["techniqueId"] as? String })
        for wanted in ["T1562.008", "T1136.003", "T1098.001", "T1098.003", "T1550.001"] {
            #expect(ids.contains(wanted), "technique \(wanted) is found")
        }
        let stop = try #require(techniques.first { $0["techniqueId"] as? String == "T1562.008" })
        #expect(stop["severity"] as? String == "critical")

        let timeline = try #require(incident["timeline"] as? [[String: Any]])
        let standalone = try runTrailhound(["timeline", Self.alice, "--db", folder.file("case.db"), "--format", "json"])
        let rows = try #require(try parseJSON(standalone.standardOutput) as? [[String: Any]])
        #expect(timeline.compactMap { $0["eventID"] as? String } == rows.compactMap { $0["eventID"] as? String })
        let timelineIDs = Set(timeline.compactMap { $0["eventID"] as? String })
        let evidence = techniques.flatMap { $0["eventIDs"] as? [String] ?? [] }
        #expect(!evidence.isEmpty && evidence.allSatisfy(timelineIDs.contains), "evidence is in the timeline")
        #expect(timeline.allSatisfy { $0["file"] is String && $0["recordIndex"] is Int })

        let isolation = try #require(incident["isolation"] as? [String: Any])
        let actions = try #require(isolation["actions"] as? [[String: Any]])
        let planned = Set(
            actions.compactMap { action in
                (action["action"] as? String).map { "\($0) \(action["target"] as? String ?? "")" }
            }
        )
        #expect(planned.contains("deny-all-user \(Self.alice)"))
        #expect(planned.contains("deactivate-access-key \(attack["userAccessKeyId"] as? String ?? "?")"))
        #expect(planned.contains("deny-all-user arn:aws:iam::444455556666:user/backdoor"), "the backdoor user too")
    }

    @Test func writesEveryTimelineRowToJSONLinesAndCSV() throws {
        let (folder, _) = try Self.reportOnSampleDump()
        let report = try #require(try parseJSON(try Self.read(folder.file("out/report.json"))) as? [String: Any])
        let incidents = try #require(report["incidents"] as? [[String: Any]])
        let rowCount = incidents.map { ($0["timeline"] as? [Any])?.count ?? 0 }.reduce(0, +)

        let lines = try Self.read(folder.file("out/timeline.jsonl")).split(separator: "\n")
        #expect(lines.count == rowCount)
        for line in lines {
            let object = try #require(try parseJSON(String(line)) as? [String: Any])
            #expect(object["message"] is String && object["timestamp_desc"] as? String == "Event Time")
            #expect(object["incident"] as? String == "INC-1")
            let time = try #require(object["datetime"] as? String)
            #expect(time.count == 20 && time.hasSuffix("Z"), "ISO 8601: \(time)")
        }
        let csv = try Self.read(folder.file("out/timeline.csv"))
        #expect(csv.hasPrefix("incident,incidentSeverity,time,eventID,"))
        #expect(csv.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count == rowCount + 1)
        let markdown = try Self.read(folder.file("out/report.md"))
        #expect(markdown.contains("## INC-1: critical"))
    }

    @Test func hostileUserAgentsAreEscapedInHTMLCSVMarkdownAndTheTerminal() throws {
        let (folder, _) = try Self.reportOnSampleDump()
        let jsonl = try Self.read(folder.file("out/timeline.jsonl")).split(separator: "\n").compactMap {
            try? parseJSON(String($0)) as? [String: Any]
        }
        let agents = Set(jsonl.compactMap { $0["userAgent"] as? String })
        #expect(agents.contains(Self.formulaAgent) && agents.contains(Self.scriptAgent), "JSON keeps raw values")

        let html = try Self.read(folder.file("out/index.html"))
        #expect(!html.contains("<script"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(!html.contains("\u{1B}") && !html.contains("\u{07}"))

        let csv = try Self.read(folder.file("out/timeline.csv"))
        #expect(csv.contains(",'=cmd|' /C calc'!A0,"))
        #expect(!csv.contains(",=cmd"))

        let markdown = try Self.read(folder.file("out/report.md"))
        #expect(markdown.contains("\\<script\\>alert(1)\\</script\\>"))
        let markup = Array(markdown.replacingOccurrences(of: "\\<", with: "").replacingOccurrences(of: "\\>", with: ""))
        #expect(!markup.contains("<") && !markup.contains(">"), "every angle bracket in report.md is escaped")

        let table = try runTrailhound(["timeline", Self.alice, "--db", folder.file("case.db")])
        let listRoles = try #require(table.standardOutput.split(separator: "\n").first { $0.contains("ListRoles") })
        #expect(listRoles.contains("curl/8.5.0 \\u{1b}[2J\\u{1b}]0;owned\\u{7}"), "escapes are shown, not run")
        #expect(!table.standardOutput.contains("\u{1B}") && !table.standardOutput.contains("\u{07}"))
        #expect(table.standardOutput.contains(Self.formulaAgent), "a formula is harmless on a terminal")
    }

    @Test func failOnExitsTwoWhenAnIncidentIsAtLeastThatSevere() throws {
        let (folder, critical) = try Self.reportOnSampleDump(["--fail-on", "high"])
        #expect(critical.status == 2)
        #expect(critical.errorLines.last?.hasSuffix(": failing on high") == true)

        let again = try runTrailhound(
            ["report", "-o", folder.file("out2"), "--db", folder.file("case.db"), "--fail-on", "critical"]
        )
        #expect(again.status == 2, "the case database alone is reported on")
        #expect(FileManager.default.fileExists(atPath: folder.file("out2/index.html")))

        let quiet = try TemporaryDirectory()
        let user = RecordText.iamUser("reader", key: "AKIAREADERKEY0000001")
        try quiet.write(
            RecordText.delivery(
                (0..<5).map { index in
                    RecordText.call(
                        "ListBuckets",
                        by: user,
                        at: "2026-11-02T10:0\(index):00Z",
                        id: "q\(index)",
                        source: "s3.amazonaws.com"
                    )
                }
            ),
            to: "dump/a.json"
        )
        let calm = try runTrailhound([
            "report", quiet.file("dump"), "-o", quiet.file("out"), "--db", quiet.file("case.db"), "--quiet",
            "--fail-on", "informational",
        ])
        #expect(calm.status == 0)
        #expect(calm.standardOutput.contains("trailhound: 0 incidents in 5 events from 1 files"))
        let html = try Self.read(quiet.file("out/index.html"))
        #expect(html.contains("No incidents"))
    }

    @Test func anUnknownSeverityIsAUsageError() throws {
        let folder = try TemporaryDirectory()
        let result = try runTrailhound(["report", "--db", folder.file("case.db"), "--fail-on", "severe"])
        #expect(result.status == 64)
        #expect(
            result.errorLines.first
                == "Error: Invalid value 'severe' for option '--fail-on': use "
                + "informational, low, medium, high, critical"
        )
    }

    @Test func unreadableFilesExitOneAndAreListedInTheSummary() throws {
        let folder = try TemporaryDirectory()
        let result = try runTrailhound([
            "report", Fixtures.path("bad-inputs"), "-o", folder.file("out"), "--db", folder.file("case.db"), "--quiet",
        ])
        #expect(result.status == 1)
        let report = try #require(try parseJSON(try Self.read(folder.file("out/report.json"))) as? [String: Any])
        let failed = try #require((report["dump"] as? [String: Any])?["failedFiles"] as? [[String: Any]])
        let files = try #require((report["dump"] as? [String: Any])?["files"] as? [String: Int])
        #expect(failed.count == (files["failed"] ?? 0) + (files["partial"] ?? 0))
        #expect(failed.contains { ($0["path"] as? String)?.hasSuffix("truncated.json.gz") == true })
        #expect(result.standardOutput.contains("\(failed.count) files not read in full"))
        #expect(result.errorLines.contains { $0.contains("truncated.json.gz") })
    }

    @Test func principalOptionReportsOnThoseOriginsOnly() throws {
        let attack = try #require(try Fixtures.json("ingest-dump.expected.json")["attack"] as? [String: Any])
        let second = try #require(attack["secondSessionKey"] as? String)
        let bob = "arn:aws:iam::111122223333:user/ops-bob"
        let (folder, _) = try Self.reportOnSampleDump(["--principal", bob])
        let report = try #require(try parseJSON(try Self.read(folder.file("out/report.json"))) as? [String: Any])
        let origins = (report["incidents"] as? [[String: Any]] ?? []).compactMap {
            ($0["origin"] as? [String: Any])?["arn"] as? String
        }
        #expect(origins == [bob])

        let byKey = try runTrailhound([
            "report", "-o", folder.file("key"), "--db", folder.file("case.db"), "--principal", second,
        ])
        let keyed = try #require(try parseJSON(try Self.read(folder.file("key/report.json"))) as? [String: Any])
        let keyedOrigins = (keyed["incidents"] as? [[String: Any]] ?? []).compactMap {
            ($0["origin"] as? [String: Any])?["arn"] as? String
        }
        #expect(byKey.status == 0)
        #expect(keyedOrigins == [Self.alice], "a chained session's key leads to the origin")
    }
}
