import Foundation
import TestSupport
import Testing

/// Kills an ingest with SIGKILL at a random moment and checks that a rerun completes the
/// database exactly: per-file transactions must leave nothing half-written.
struct InterruptionTests {
    private static let fileCount = 3_000

    /// Writes a dump of `fileCount` small gzip files across two accounts.
    private static func makeDump(in folder: TemporaryDirectory) throws -> String {
        for index in 0..<fileCount {
            let account = index % 2 == 0 ? "111122223333" : "444455556666"
            let records = (0..<4).map { record in
                RecordText.call(
                    eventID: "evt-\(index)-\(record)",
                    time: "2026-11-02T10:\(String(format: "%02d", index % 60)):00Z",
                    account: account
                )
            }
            // Every tenth file repeats a record of an earlier file of its account: duplicates across files.
            let repeated = index % 10 == 9 ? [RecordText.call(eventID: "evt-\(index - 2)-0", account: account)] : []
            try folder.write(
                Gzip.compress(RecordText.delivery(records + repeated)),
                to: "dump/AWSLogs/\(account)/CloudTrail/us-east-1/2026/11/02/\(account)_CloudTrail_\(index).json.gz"
            )
        }
        return folder.file("dump")
    }

    private static func contents(of database: String) throws -> String {
        let sql = """
            SELECT e.event_id, e.recipient_account_id, f.path, e.record_index, e.byte_offset,
                raw_record(e.raw, e.raw_block, e.raw_offset, e.raw_length)
            FROM events e JOIN files f ON f.id = e.file_id ORDER BY e.event_id, e.recipient_account_id
            """
        let events = try runTrailhound(["query", sql, "--db", database, "--format", "csv"])
        let files = try runTrailhound(
            [
                "query", "SELECT path, status, record_count, sha256 FROM files ORDER BY path", "--db", database,
                "--format", "csv",
            ]
        )
        // A large run drops the reading indexes while it loads: the rerun must have built them all.
        let indexes = try runTrailhound(
            [
                "query", "SELECT name, sql FROM sqlite_schema WHERE type = 'index' ORDER BY name", "--db", database,
                "--format", "csv",
            ]
        )
        return events.standardOutput + files.standardOutput + indexes.standardOutput
    }

    @Test func aRerunAfterKillNineEndsWithTheEventsOfAnUninterruptedRun() throws {
        let folder = try TemporaryDirectory()
        let dump = try Self.makeDump(in: folder)

        let reference = folder.file("reference.db")
        let start = Date()
        let full = try runTrailhound(["ingest", dump, "--db", reference, "--quiet"])
        let duration = Date().timeIntervalSince(start)
        #expect(full.status == 0)

        let interrupted = folder.file("interrupted.db")
        var wasKilled = false
        for attempt in 0..<5 where !wasKilled {
            try? FileManager.default.removeItem(atPath: interrupted)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Fixtures.binary)
            process.arguments = ["ingest", dump, "--db", interrupted, "--quiet"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            let fraction = Double.random(in: 0.15...0.7) / Double(attempt + 1)
            Thread.sleep(forTimeInterval: duration * fraction)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            wasKilled = process.terminationReason == .uncaughtSignal
        }
        try #require(wasKilled, "the ingest finished before it could be killed")
        // Killed very early, the ingest may not have created the database yet; otherwise what it
        // left must open, and every file it committed is whole and is not read again.
        var committed = 0
        if FileManager.default.fileExists(atPath: interrupted) {
            let partial = try runTrailhound(
                [
                    "query", "SELECT count(*) AS n FROM files WHERE status = 'ok'", "--db", interrupted, "--format",
                    "json",
                ]
            )
            #expect(partial.status == 0, "the interrupted database opens: \(partial.standardError)")
            let rows = try parseJSON(partial.standardOutput) as? [[String: Int]]
            committed = rows?.first?["n"] ?? 0
        }

        let rerun = try runTrailhound(["ingest", dump, "--db", interrupted, "--quiet", "--format", "json"])
        #expect(rerun.status == 0)
        let summary = try #require(try parseJSON(rerun.standardOutput) as? [String: Any])
        #expect((summary["files"] as? [String: Int])?["unchanged"] == committed, "committed files are not read again")

        let expected = try Self.contents(of: reference)
        #expect(expected.count > 1_000_000)
        #expect(try Self.contents(of: interrupted) == expected)
    }
}
