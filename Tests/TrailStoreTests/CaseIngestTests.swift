import Foundation
import TestSupport
import Testing

@testable import TrailIngest
@testable import TrailStore

struct CaseIngestTests {
    private let dump = Fixtures.path("ingest-dump")

    @Test func ingestsTheFixtureDumpWithExactCounts() throws {
        let expected = try Fixtures.json("ingest-dump.expected.json")
        let folder = try TemporaryDirectory()
        let database = folder.file("case.db")

        let summary = try ingest([dump], into: database)
        #expect(summary.count(of: .ok) == expected["logFiles"] as? Int)
        #expect(summary.count(of: .skipped) == expected["skippedFiles"] as? Int)
        #expect(summary.count(of: .failed) + summary.count(of: .partial) == 0)
        #expect(summary.recordsRead == expected["records"] as? Int)
        #expect(summary.newEvents == expected["events"] as? Int)
        #expect(summary.duplicates == expected["duplicates"] as? Int)
        #expect(try queryInteger("SELECT count(*) FROM events", database: database) == expected["events"] as? Int)

        let byAccount = try queryText(
            "SELECT recipient_account_id, count(*) FROM events GROUP BY 1 ORDER BY 1",
            database: database
        )
        let expectedAccounts = try #require(expected["eventsByAccount"] as? [String: Int])
        #expect(byAccount == expectedAccounts.sorted { $0.key < $1.key }.map { [$0.key, String($0.value)] })
        let byRegion = try queryText(
            "SELECT aws_region, count(*) FROM events GROUP BY 1 ORDER BY 1",
            database: database
        )
        let expectedRegions = try #require(expected["eventsByRegion"] as? [String: Int])
        #expect(byRegion == expectedRegions.sorted { $0.key < $1.key }.map { [$0.key, String($0.value)] })
    }

    @Test func recordsEachFileWithItsLayoutAndCounts() throws {
        let expected = try Fixtures.json("ingest-dump.expected.json")
        let folder = try TemporaryDirectory()
        let database = folder.file("case.db")
        try ingest([dump], into: database)

        let files = try #require(expected["files"] as? [[String: Any]])
        for file in files {
            let path = try #require(file["path"] as? String)
            let rows = try queryText(
                "SELECT status, record_count, account_id FROM files WHERE path = '\(path)'",
                database: database
            )
            #expect(rows.first?[0] == "ok", "\(path)")
            #expect(rows.first?[1] == (file["records"] as? Int).map(String.init), "\(path)")
            #expect(rows.first?[2] == PathLayout(path: path).accountID, "\(path)")
        }
        let organization = try queryText(
            "SELECT DISTINCT organization_id, account_id FROM files WHERE organization_id IS NOT NULL",
            database: database
        )
        #expect(organization == [["o-a1b2c3d4e5", "444455556666"]])
    }

    @Test func keepsEveryRawRecordByteForByte() throws {
        let folder = try TemporaryDirectory()
        let database = folder.file("case.db")
        try ingest([dump], into: database)

        let rows = try queryText(
            """
            SELECT f.root || '/' || f.path, e.byte_offset, length(CAST(\(Schema.rawRecord(of: "e")) AS BLOB)),
                \(Schema.rawRecord(of: "e"))
            FROM events e JOIN files f ON f.id = e.file_id
            """,
            database: database
        )
        #expect(rows.count == 285)
        var contents: [String: [UInt8]] = [:]
        for row in rows {
            let path = row[0]
            if contents[path] == nil {
                contents[path] = try decompressedContent(of: path)
            }
            let content = try #require(contents[path])
            let start = try #require(Int(row[1]))
            let length = try #require(Int(row[2]))
            #expect(Array(content[start..<(start + length)]) == Array(row[3].utf8))
        }
    }

    @Test func extractsRealWorldValuesWithoutFailing() throws {
        let folder = try TemporaryDirectory()
        let database = folder.file("case.db")
        try ingest([dump], into: database)

        #expect(
            try queryInteger("SELECT count(*) FROM events WHERE event_type = 'AwsConsoleSignin'", database: database)
                == 1
        )
        #expect(
            try queryInteger(
                "SELECT count(*) FROM events WHERE source_ip_address = '100.200.300.400'",
                database: database
            ) == 1
        )
        #expect(try queryInteger("SELECT count(*) FROM events WHERE identity_type IS NULL", database: database) >= 1)
        #expect(try queryInteger("SELECT count(*) FROM events WHERE access_key_id = ''", database: database) == 0)
        #expect(try queryInteger("SELECT count(*) FROM events WHERE read_only NOT IN (0, 1)", database: database) == 0)
        let emoji = try queryInteger("SELECT count(*) FROM events WHERE user_agent LIKE '%😀%'", database: database)
        #expect(emoji >= 1)
        let stringTrue = try queryInteger(
            """
            SELECT count(*) FROM events
            WHERE json_extract(\(Schema.rawRecord()), '$.readOnly') = 'true' AND read_only = 1
            """,
            database: database
        )
        #expect(stringTrue >= 1)
    }

    @Test func indexesTheColumnsInvestigationsFilterOn() throws {
        let folder = try TemporaryDirectory()
        let database = folder.file("case.db")
        try ingest([dump], into: database)
        let plans = [
            "SELECT * FROM events WHERE event_time_ms > 0",
            "SELECT * FROM events WHERE access_key_id = 'x'",
            "SELECT * FROM events WHERE principal_arn = 'x'",
            "SELECT * FROM events WHERE event_name = 'x'",
        ].map { sql in (try? queryText("EXPLAIN QUERY PLAN " + sql, database: database)) ?? [] }
        for plan in plans {
            #expect(plan.contains { $0.last?.contains("USING INDEX") == true }, "\(plan)")
        }
    }

    @Test func rerunOnAnUnchangedDumpAddsNothingAndReadsNothing() throws {
        let folder = try TemporaryDirectory()
        let database = folder.file("case.db")
        let first = try ingest([dump], into: database)
        let second = try ingest([dump], into: database)
        #expect(second.unchangedFiles == first.filesFound)
        #expect(second.newEvents == 0)
        #expect(second.recordsRead == 0)
        #expect(try queryInteger("SELECT count(*) FROM runs WHERE finished_at IS NOT NULL", database: database) == 2)
    }

    @Test func addsOnlyWhatIsNewInAGrownDump() throws {
        let folder = try TemporaryDirectory()
        let database = folder.file("case.db")
        let root = folder.file("dump")
        try FileManager.default.copyItem(atPath: dump, toPath: root)
        try ingest([root], into: database)

        let added = (0..<4).map { RecordText.call(eventID: "grown-\($0)") }
        try folder.write(
            Gzip.compress(RecordText.delivery(added)),
            to: "dump/AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/04/"
                + "111122223333_CloudTrail_us-east-1_new.json.gz"
        )
        let second = try ingest([root], into: database)
        #expect(second.newEvents == 4)
        #expect(second.count(of: .ok) == 1)
        #expect(try queryInteger("SELECT count(*) FROM events", database: database) == 289)
    }

    @Test func skipsACopyOfAnIngestedFileWithoutReadingItAgain() throws {
        let folder = try TemporaryDirectory()
        let database = folder.file("case.db")
        let bytes = Gzip.compress(RecordText.delivery([RecordText.call(eventID: "copied")]))
        try folder.write(bytes, to: "first/AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/02/a.json.gz")
        try folder.write(bytes, to: "second/AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/02/a.json.gz")
        try ingest([folder.file("first")], into: database)
        let second = try ingest([folder.file("second")], into: database)
        #expect(second.recordsRead == 0)
        #expect(
            second.skipped.map(\.reason) == [
                "same content as 'AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/02/a.json.gz', already ingested"
            ]
        )
        #expect(try queryInteger("SELECT count(*) FROM files WHERE sha256 IS NOT NULL", database: database) == 2)
    }

    @Test func retriesDamagedFilesAndKeepsTheirGoodRecords() throws {
        let folder = try TemporaryDirectory()
        let database = folder.file("case.db")
        let bad = Fixtures.path("bad-inputs")
        let first = try ingest([bad], into: database)
        #expect(first.hasErrors)
        #expect(first.count(of: .partial) == 7)
        #expect(first.count(of: .failed) == 2)
        let second = try ingest([bad], into: database)
        #expect(second.newEvents == 0)
        #expect(second.count(of: .partial) == 7, "damaged files are read again and reported again")
        #expect(second.unchangedFiles == 4)

        let marked = try queryText(
            """
            SELECT e.gzip_member, count(*) FROM events e JOIN files f ON f.id = e.file_id
            WHERE f.path = 'concatenated.json.gz' GROUP BY 1 ORDER BY 1
            """,
            database: database
        )
        #expect(marked == [["0", "3"], ["1", "2"]])
        #expect(try queryInteger("SELECT count(*) FROM events WHERE has_duplicate_keys = 1", database: database) == 1)
    }

    @Test func leavesTheEvidenceUntouched() throws {
        let before = try snapshot(of: dump)
        let folder = try TemporaryDirectory()
        try ingest([dump], into: folder.file("case.db"))
        #expect(try snapshot(of: dump) == before)
    }

    @Test func flagsADuplicateEventIDWithDifferentContent() throws {
        let folder = try TemporaryDirectory()
        let database = folder.file("case.db")
        try folder.write(RecordText.delivery([RecordText.call(eventID: "same")]), to: "dump/a.json")
        try folder.write(
            RecordText.delivery([RecordText.call(eventID: "same", eventName: "DeleteTrail")]),
            to: "dump/b.json"
        )
        let summary = try ingest([folder.file("dump")], into: database)
        #expect(summary.duplicates == 1)
        #expect(
            summary.warnings.map(\.message) == [
                "record 0 has the eventID 'same' of a stored event but different content (possible tampering); "
                    + "the first copy is kept"
            ]
        )
    }

    /// Every file's path, size and modification time below `root`.
    private func snapshot(of root: String) throws -> [String] {
        let paths = try FileManager.default.subpathsOfDirectory(atPath: root).sorted()
        return try paths.map { path in
            let attributes = try FileManager.default.attributesOfItem(atPath: root + "/" + path)
            return "\(path) \(attributes[.size] ?? 0) \(attributes[.modificationDate] ?? 0)"
        }
    }

    /// The file's decompressed bytes, by an independent reader: the system's `gzip -dc`.
    private func decompressedContent(of path: String) throws -> [UInt8] {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        guard bytes.starts(with: [0x1F, 0x8B]) else { return bytes }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["gzip", "-dc", path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return [UInt8](output)
    }
}
