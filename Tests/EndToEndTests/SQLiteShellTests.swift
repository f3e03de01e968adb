import Foundation
import TestSupport
import Testing

/// The README's way of reading a record from the plain sqlite3 shell, without trailhound.
struct SQLiteShellTests {
    /// The shell from Debian's `sqlite3` package, which scripts/setup installs.
    private static let shell = "/usr/bin/sqlite3"

    /// The README's query for the record of the event `eventID`.
    private static func documentedQuery(eventID: String) -> String {
        """
        SELECT CAST(substr(sqlar_uncompress(b.data, b.size), e.raw_offset + 1, e.raw_length)
            AS TEXT)
        FROM events e JOIN raw_blocks b ON b.id = e.raw_block WHERE e.event_id = '\(eventID)'
        """
    }

    /// Runs the sqlite3 shell on `database`, read-only, with `sql`.
    private static func runShell(_ database: String, _ sql: String) throws -> CommandResult {
        try #require(
            FileManager.default.isExecutableFile(atPath: shell),
            "\(shell) is missing: install the Debian package sqlite3 (scripts/setup does)"
        )
        return try runProgram(shell, ["-readonly", "-batch", database, sql])
    }

    private static func fixtureDatabase(in folder: TemporaryDirectory) throws -> String {
        let database = folder.file("case.db")
        let result = try runTrailhound([
            "ingest", Fixtures.path("ingest-dump"), "--db", database, "--quiet",
        ])
        #expect(result.status == 0, "\(result.standardError)")
        return database
    }

    /// The event ids of `database`, in the order stored.
    private static func eventIDs(in database: String) throws -> [String] {
        let result = try runTrailhound([
            "query", "SELECT event_id FROM events ORDER BY id", "--db", database,
            "--format", "json",
        ])
        let rows = try #require(try parseJSON(result.standardOutput) as? [[String: String]])
        return rows.compactMap { $0["event_id"] }
    }

    @Test func theShellReadsEveryRecordAsRawRecordDoes() throws {
        let folder = try TemporaryDirectory()
        let database = try Self.fixtureDatabase(in: folder)
        // hex() shows the bytes of each record, whatever the shell would do to print them.
        let shell = try Self.runShell(
            database,
            """
            SELECT e.event_id || ' ' || hex(CAST(substr(sqlar_uncompress(b.data, b.size),
                e.raw_offset + 1, e.raw_length) AS TEXT))
            FROM events e JOIN raw_blocks b ON b.id = e.raw_block ORDER BY e.id
            """
        )
        #expect(shell.status == 0, "\(shell.standardError)")
        let ours = try runTrailhound([
            "query",
            """
            SELECT event_id, hex(raw_record(raw, raw_block, raw_offset, raw_length)) AS raw
            FROM events ORDER BY id
            """,
            "--db", database, "--format", "json",
        ])
        let rows = try #require(try parseJSON(ours.standardOutput) as? [[String: String]])
        #expect(rows.count == 285)
        #expect(rows.allSatisfy { ($0["raw"]?.count ?? 0) > 200 })
        let expected = rows.map { "\($0["event_id"] ?? "") \($0["raw"] ?? "")" }
        #expect(shell.standardOutput.split(separator: "\n").map(String.init) == expected)
    }

    @Test func theDocumentedQueryPrintsTheRecordAsShowDoes() throws {
        let folder = try TemporaryDirectory()
        let database = try Self.fixtureDatabase(in: folder)
        let eventIDs = try Self.eventIDs(in: database)
        #expect(eventIDs.count == 285)
        for eventID in [eventIDs[0], eventIDs[142], eventIDs[284]] {
            let shell = try Self.runShell(database, Self.documentedQuery(eventID: eventID))
            #expect(shell.status == 0, "\(shell.standardError)")
            let show = try runTrailhound(["show", eventID, "--db", database])
            #expect(show.outputBytes.count > 200)
            #expect(shell.outputBytes == show.outputBytes, "the record, then a newline")
        }
    }

    @Test func writefileSavesTheRecordsExactBytes() throws {
        let folder = try TemporaryDirectory()
        let database = try Self.fixtureDatabase(in: folder)
        let eventID = try #require(try Self.eventIDs(in: database).last)
        let saved = folder.file("event.json")
        let shell = try Self.runShell(
            database,
            """
            SELECT writefile('\(saved)',
                substr(sqlar_uncompress(b.data, b.size), e.raw_offset + 1, e.raw_length))
            FROM events e JOIN raw_blocks b ON b.id = e.raw_block WHERE e.event_id = '\(eventID)'
            """
        )
        #expect(shell.status == 0, "\(shell.standardError)")
        let show = try runTrailhound(["show", eventID, "--db", database])
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: saved)))
        #expect(bytes + [UInt8(ascii: "\n")] == show.outputBytes)
    }
}
