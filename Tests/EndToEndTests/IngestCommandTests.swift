import Foundation
import TestSupport
import Testing

struct IngestCommandTests {
    @Test func ingestsTheFixtureDumpAndPrintsAJSONSummary() throws {
        let expected = try Fixtures.json("ingest-dump.expected.json")
        let folder = try TemporaryDirectory()
        let result = try runTrailhound(["ingest", Fixtures.path("ingest-dump"), "--format", "json"], in: folder.path)
        #expect(result.status == 0)
        #expect(result.errorLines.isEmpty)
        #expect(FileManager.default.fileExists(atPath: folder.file("trailhound.db")), "the default database")

        let summary = try #require(try parseJSON(result.standardOutput) as? [String: Any])
        let files = try #require(summary["files"] as? [String: Int])
        #expect(files["ok"] == expected["logFiles"] as? Int)
        #expect(files["skipped"] == expected["skippedFiles"] as? Int)
        #expect(summary["events"] as? Int == expected["events"] as? Int)
        #expect(summary["duplicates"] as? Int == expected["duplicates"] as? Int)
        #expect((summary["failed"] as? [Any])?.isEmpty == true)
        let skipped = try #require(summary["skipped"] as? [[String: Any]])
        let expectedSkipped = try #require(expected["skipped"] as? [[String: Any]])
        #expect(
            Set(skipped.compactMap { $0["path"] as? String })
                == Set(expectedSkipped.compactMap { $0["path"] as? String })
        )
        #expect(skipped.allSatisfy { ($0["reason"] as? String)?.isEmpty == false })
    }

    @Test func reportsEveryBadFileOnOneLineAndExitsWith1() throws {
        let folder = try TemporaryDirectory()
        let result = try runTrailhound(
            ["ingest", Fixtures.path("bad-inputs"), "--db", folder.file("case.db"), "--format", "json"]
        )
        #expect(result.status == 1)
        let problems = result.errorLines.filter { !$0.contains(": warning: ") }
        #expect(
            problems == [
                "bad-crc.json.gz: gzip CRC-32 check failed: the data is damaged (at byte 912)",
                "control-char.json.gz: JSON string holds an unescaped control character byte 0x01 "
                    + "(at byte 1434 of the decompressed data)",
                "deep-nesting.json.gz: JSON nesting is deeper than 512 levels (at byte 2119 of the decompressed data)",
                "empty.json.gz: the file is empty",
                "invalid-utf8.json.gz: JSON text is not valid UTF-8 (at byte 2431 of the decompressed data)",
                "lone-surrogate.json: JSON string holds a lone UTF-16 surrogate escape (at byte 1387)",
                "not-gzip.json.gz: not gzip data: the name ends in .gz but the gzip magic bytes are missing",
                "syntax-error.json.gz: JSON syntax error: expected ',' or '}' but found '\"' "
                    + "(at byte 4311 of the decompressed data)",
                "truncated.json.gz: gzip data is truncated (at byte 1152)",
            ]
        )
        #expect(result.errorLines.filter { $0.contains(": warning: ") }.count == 3)

        let summary = try #require(try parseJSON(result.standardOutput) as? [String: Any])
        let failed = try #require(summary["failed"] as? [[String: Any]])
        #expect(failed.count == 9)
        #expect(failed.first { $0["path"] as? String == "truncated.json.gz" }?["records"] as? Int == 2)
        #expect(summary["events"] as? Int == 28)
    }

    @Test func reportsAnUnreadablePathAndKeepsTheRest() throws {
        let folder = try TemporaryDirectory()
        try folder.write(RecordText.delivery([RecordText.call(eventID: "kept")]), to: "dump/good.json")
        try FileManager.default.createSymbolicLink(
            atPath: folder.file("dump/broken.json.gz"),
            withDestinationPath: "/nonexistent"
        )
        let result = try runTrailhound(["ingest", folder.file("dump"), "--db", folder.file("case.db")])
        #expect(result.status == 1)
        #expect(
            result.errorLines == ["\(folder.file("dump/broken.json.gz")): unable to read: No such file or directory"]
        )
        let count = try runTrailhound([
            "query", "SELECT count(*) AS n FROM events", "--db", folder.file("case.db"), "--format", "json",
        ])
        #expect(count.standardOutput == "[{\"n\":1}]\n")
    }

    @Test func rerunningOnTheSameDumpAddsNothing() throws {
        let folder = try TemporaryDirectory()
        let database = folder.file("case.db")
        _ = try runTrailhound(["ingest", Fixtures.path("ingest-dump"), "--db", database])
        let again = try runTrailhound(["ingest", Fixtures.path("ingest-dump"), "--db", database, "--format", "json"])
        #expect(again.status == 0)
        let summary = try #require(try parseJSON(again.standardOutput) as? [String: Any])
        #expect(summary["events"] as? Int == 0)
        #expect((summary["files"] as? [String: Int])?["unchanged"] == 16)
    }
}
