import Foundation
import TestSupport
import Testing

struct QueryCommandTests {
    private static func database(in folder: TemporaryDirectory) throws -> String {
        let database = folder.file("case.db")
        let hostile = RecordText.call(eventID: "hostile", userAgent: #"evil\u001b[2J,=cmd|' /C calc'!A0\n<b>"#)
        try folder.write(RecordText.delivery([hostile, RecordText.call(eventID: "plain")]), to: "dump/a.json")
        let result = try runTrailhound(["ingest", folder.file("dump"), "--db", database, "--quiet"])
        #expect(result.status == 0)
        return database
    }

    @Test func printsJSONObjectsKeyedByColumn() throws {
        let folder = try TemporaryDirectory()
        let database = try Self.database(in: folder)
        let result = try runTrailhound(
            [
                "query", "SELECT event_id, read_only, user_agent FROM events ORDER BY event_id", "--db", database,
                "--format", "json",
            ]
        )
        #expect(result.status == 0)
        let rows = try #require(try parseJSON(result.standardOutput) as? [[String: Any]])
        #expect(rows.count == 2)
        #expect(rows[0]["event_id"] as? String == "hostile")
        #expect(rows[0]["read_only"] as? Int == 1)
        #expect(rows[0]["user_agent"] as? String == "evil\u{1B}[2J,=cmd|' /C calc'!A0\n<b>")
    }

    @Test func stripsControlCharactersFromTheTable() throws {
        let folder = try TemporaryDirectory()
        let database = try Self.database(in: folder)
        let result = try runTrailhound([
            "query", "SELECT user_agent FROM events WHERE event_id = 'hostile'", "--db", database,
        ])
        #expect(result.status == 0)
        #expect(!result.standardOutput.unicodeScalars.contains("\u{1B}"))
        #expect(result.standardOutput.contains("evil\\u{1b}[2J"))
        #expect(result.standardOutput.split(separator: "\n").count == 2, "one header line and one row")
    }

    @Test func quotesAndDefusesCSVCells() throws {
        let folder = try TemporaryDirectory()
        let database = try Self.database(in: folder)
        let result = try runTrailhound(
            [
                "query", "SELECT '=1+1' AS formula, user_agent FROM events WHERE event_id = 'hostile'", "--db",
                database, "--format", "csv",
            ]
        )
        #expect(result.standardOutput == "formula,user_agent\r\n'=1+1,\"evil\u{1B}[2J,=cmd|' /C calc'!A0\n<b>\"\r\n")
    }
}
