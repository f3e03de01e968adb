import Foundation
import TestSupport
import Testing

struct VerifyCommandTests {
    @Test func reportsTheFixtureDumpsIncompleteChainAndExitsWith1() throws {
        let folder = try TemporaryDirectory()
        let result = try runTrailhound(
            ["verify", Fixtures.path("ingest-dump"), "--db", folder.file("case.db"), "--format", "json"]
        )
        #expect(result.status == 1)
        let report = try #require(try parseJSON(result.standardOutput) as? [String: Any])
        #expect(report["verdict"] as? String == "missing")
        #expect((report["signatures"] as? String)?.hasPrefix("not checked") == true)
        let files = try #require(report["logFiles"] as? [[String: Any]])
        #expect(files.filter { $0["verdict"] as? String == "valid" }.count == 3, "the digest's three files match")
        let missing = try #require(report["missingDigests"] as? [[String: Any]])
        #expect(missing.count == 1)
        let stored = try runTrailhound(
            [
                "query", "SELECT count(*) AS n FROM file_verdicts WHERE verdict = 'valid'", "--db",
                folder.file("case.db"), "--format", "json",
            ]
        )
        #expect(stored.standardOutput == "[{\"n\":3}]\n")
    }

    @Test func asksForBothSignatureFiles() throws {
        let result = try runTrailhound(["verify", Fixtures.path("ingest-dump"), "--public-keys", "keys.json"])
        #expect(result.status == 64)
        #expect(result.errorLines.first == "Error: Give both --public-keys and --signatures to check signatures")
    }
}
