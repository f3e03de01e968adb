import Foundation
import TestSupport
import Testing

struct TimelineCommandTests {
    private static let alice = "arn:aws:iam::111122223333:user/dev-alice"

    @Test func followsThePrincipalThroughEveryDerivedSessionInTimeOrder() throws {
        let folder = try TemporaryDirectory()
        let database = folder.file("case.db")
        _ = try runTrailhound(["ingest", Fixtures.path("ingest-dump"), "--db", database, "--quiet"])
        let attack = try #require(try Fixtures.json("ingest-dump.expected.json")["attack"] as? [String: Any])
        let first = try #require(attack["firstSessionKey"] as? String)
        let second = try #require(attack["secondSessionKey"] as? String)

        let result = try runTrailhound(["timeline", Self.alice, "--db", database, "--format", "json"])
        #expect(result.status == 0)
        let rows = try #require(try parseJSON(result.standardOutput) as? [[String: Any]])
        let times = rows.compactMap { $0["time"] as? String }
        #expect(times == times.sorted())

        let direct = try runTrailhound([
            "query", "SELECT count(*) AS n FROM events WHERE principal_arn = '\(Self.alice)'", "--db", database,
            "--format", "json",
        ])
        let directCount = try #require((try parseJSON(direct.standardOutput) as? [[String: Int]])?.first?["n"])
        let sessions = try #require(
            try parseJSON(try runTrailhound(["sessions", "--db", database, "--format", "json"]).standardOutput)
                as? [[String: Any]]
        )
        let sessionCalls = sessions.filter { [first, second].contains($0["accessKeyId"] as? String) }
            .compactMap { $0["eventCount"] as? Int }.reduce(0, +)
        #expect(rows.count == directCount + sessionCalls)

        let chained = rows.filter { $0["accessKeyId"] as? String == second }
        #expect(!chained.isEmpty)
        #expect(chained.allSatisfy { $0["chain"] as? [String] == [first, second] })
        let stop = try #require(rows.first { $0["eventName"] as? String == "StopLogging" })
        #expect((stop["summary"] as? String)?.hasPrefix("name=") == true)
        let technique = try #require(stop["technique"] as? [String: String])
        #expect(technique["techniqueId"] == "T1562.008")
        #expect(technique["severity"] == "critical")
        #expect(stop["file"] is String && stop["recordIndex"] is Int)

        let window = try runTrailhound([
            "timeline", Self.alice, "--db", database, "--format", "json", "--from", "2026-11-03T02:05:00Z",
        ])
        let late = try #require(try parseJSON(window.standardOutput) as? [[String: Any]])
        #expect(late.count == chained.count, "after 02:05 only the chained session acted")
    }

    @Test func writesTimesketchLinesAndSafeCSVAndMarkdown() throws {
        let folder = try TemporaryDirectory()
        let user = RecordText.iamUser("eve", key: "AKIAEVEKEY0000000001")
        let hostile = "=cmd|' /C calc'!A0 <script>alert(1)</script>"
        try folder.write(
            RecordText.delivery([
                RecordText.call(
                    "ListBuckets",
                    by: user,
                    at: "2026-11-02T10:00:00Z",
                    id: "e1",
                    source: "s3.amazonaws.com",
                    extra: ["userAgent": hostile]
                )
            ]),
            to: "dump/a.json"
        )
        let database = folder.file("case.db")
        _ = try runTrailhound(["ingest", folder.file("dump"), "--db", database, "--quiet"])
        let subject = "arn:aws:iam::111122223333:user/eve"

        let jsonl = try runTrailhound(["timeline", subject, "--db", database, "--format", "jsonl"])
        let line = try #require(try parseJSON(jsonl.standardOutput) as? [String: Any])
        #expect(line["message"] as? String == "ListBuckets by \(subject) from 198.51.100.7")
        #expect(line["datetime"] as? String == "2026-11-02T10:00:00Z")
        #expect(line["timestamp_desc"] as? String == "Event Time")
        #expect(line["userAgent"] as? String == hostile, "JSON keeps the raw value")

        let csv = try runTrailhound(["timeline", subject, "--db", database, "--format", "csv"])
        #expect(csv.standardOutput.contains(",'=cmd|' /C calc'!A0 <script>alert(1)</script>,"))

        let markdown = try runTrailhound(["timeline", subject, "--db", database, "--format", "md"])
        #expect(markdown.standardOutput.contains("=cmd\\|' /C calc'!A0 \\<script\\>alert(1)\\</script\\>"))
    }

    @Test func anUnknownPrincipalFails() throws {
        let folder = try TemporaryDirectory()
        let database = folder.file("case.db")
        _ = try runTrailhound(["ingest", Fixtures.path("ingest-dump"), "--db", database, "--quiet"])
        let result = try runTrailhound(["timeline", "arn:aws:iam::1:user/nobody", "--db", database])
        #expect(result.status == 1)
        #expect(
            result.errorLines == [
                "Error: No session, session ARN or principal 'arn:aws:iam::1:user/nobody' in the case database"
            ]
        )
    }
}
