import Foundation
import TestSupport
import Testing

/// `trailhound show`: the exact records, checked against the dump's own bytes.
struct ShowCommandTests {
    /// An event of the case database as `trailhound query` lists it.
    private struct ListedEvent {
        var eventID: String
        var recipientAccountID: String?
        var path: String
        var recordIndex: Int
        var byteOffset: Int
    }

    /// The fixture dump ingested into `case.db` in `folder`.
    private static func fixtureDatabase(in folder: TemporaryDirectory) throws -> String {
        let result = try runTrailhound(
            ["ingest", Fixtures.path("ingest-dump"), "--db", "case.db", "--quiet"],
            in: folder.path
        )
        #expect(result.status == 0, "\(result.standardError)")
        return folder.file("case.db")
    }

    /// Every event of `database`, in the order stored.
    private static func events(in database: String) throws -> [ListedEvent] {
        let result = try runTrailhound([
            "query",
            """
            SELECT e.event_id, e.recipient_account_id, f.path, e.record_index, e.byte_offset
            FROM events e JOIN files f ON f.id = e.file_id ORDER BY e.id
            """,
            "--db", database, "--format", "json",
        ])
        let rows = try #require(try parseJSON(result.standardOutput) as? [[String: Any]])
        return try rows.map { row in
            ListedEvent(
                eventID: try #require(row["event_id"] as? String),
                recipientAccountID: row["recipient_account_id"] as? String,
                path: try #require(row["path"] as? String),
                recordIndex: try #require(row["record_index"] as? Int),
                byteOffset: try #require(row["byte_offset"] as? Int)
            )
        }
    }

    /// The decompressed bytes of the fixture dump's file at `path`: gzip by its magic bytes, as
    /// ingest decides (one file of the dump is gzip data named `.json`).
    private static func decompressedFile(_ path: String) throws -> [UInt8] {
        let url = URL(fileURLWithPath: Fixtures.path("ingest-dump/" + path))
        let bytes = try [UInt8](Data(contentsOf: url))
        guard bytes.starts(with: [0x1F, 0x8B]) else { return bytes }
        return try #require(Gzip.decompress(bytes), "\(path) is not valid gzip data")
    }

    /// The record at `offset` of `bytes`: the JSON object starting there, up to its closing brace.
    private static func record(in bytes: [UInt8], at offset: Int) throws -> [UInt8] {
        try #require(bytes[offset] == UInt8(ascii: "{"), "no object starts at byte \(offset)")
        var depth = 0
        var isInString = false
        var isEscaped = false
        for index in offset..<bytes.count {
            let byte = bytes[index]
            if isInString {
                if isEscaped {
                    isEscaped = false
                } else if byte == UInt8(ascii: "\\") {
                    isEscaped = true
                } else if byte == UInt8(ascii: "\"") {
                    isInString = false
                }
            } else if byte == UInt8(ascii: "\"") {
                isInString = true
            } else if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") {
                depth += 1
            } else if byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") {
                depth -= 1
                if depth == 0 { return Array(bytes[offset...index]) }
            }
        }
        Issue.record("the object at byte \(offset) does not end")
        return []
    }

    // MARK: - The fixture dump

    @Test func printsEveryRecordOfTheDumpExactlyAsTheFileHoldsIt() throws {
        let folder = try TemporaryDirectory()
        let database = try Self.fixtureDatabase(in: folder)
        let events = try Self.events(in: database)
        #expect(events.count == 285)

        var files: [String: [UInt8]] = [:]
        var expected: [UInt8] = []
        for event in events {
            if files[event.path] == nil {
                files[event.path] = try Self.decompressedFile(event.path)
            }
            let file = try #require(files[event.path])
            expected += try Self.record(in: file, at: event.byteOffset)
            expected.append(UInt8(ascii: "\n"))
        }
        #expect(files.count == 12, "every log file of the dump, gzip and plain")

        let result = try runTrailhound(["show"] + events.map(\.eventID) + ["--db", database])
        #expect(result.status == 0)
        #expect(result.standardError.isEmpty)
        #expect(result.outputBytes.count == expected.count)
        #expect(result.outputBytes == expected)
    }

    @Test func jsonNamesTheFileAndPlaceOfEachRecord() throws {
        let folder = try TemporaryDirectory()
        let database = try Self.fixtureDatabase(in: folder)
        let events = try Self.events(in: database)
        // One event from a gzip file, one from a plain one, in the order asked for.
        let gzip = try #require(events.last { $0.path.hasSuffix(".json.gz") })
        let plain = try #require(events.first { $0.path.hasSuffix(".json") })
        let result = try runTrailhound([
            "show", gzip.eventID, plain.eventID, "--db", database, "--format", "json",
        ])
        #expect(result.status == 0)

        let objects = try #require(try parseJSON(result.standardOutput) as? [[String: Any]])
        #expect(objects.count == 2)
        let root = URL(fileURLWithPath: Fixtures.path("ingest-dump")).resolvingSymlinksInPath().path
        let fields: Set = ["eventID", "recipientAccountID", "file", "recordIndex", "byteOffset", "raw"]
        for (object, event) in zip(objects, [gzip, plain]) {
            #expect(Set(object.keys) == fields)
            #expect(object["eventID"] as? String == event.eventID)
            #expect(object["recipientAccountID"] as? String == event.recipientAccountID)
            #expect(object["file"] as? String == root + "/" + event.path)
            #expect(object["recordIndex"] as? Int == event.recordIndex)
            #expect(object["byteOffset"] as? Int == event.byteOffset)
            let file = try Self.decompressedFile(event.path)
            let record = try Self.record(in: file, at: event.byteOffset)
            #expect((object["raw"] as? String).map { Array($0.utf8) } == record)
        }
        let keys = result.standardOutput.dropFirst(2).prefix(while: { $0 != "," })
        #expect(keys.hasPrefix("\"eventID\":"), "eventID comes first")
    }

    @Test func namesAnUnknownIDAfterPrintingTheOthersAndExitsWith1() throws {
        let folder = try TemporaryDirectory()
        let database = try Self.fixtureDatabase(in: folder)
        let known = try #require(try Self.events(in: database).first)
        let alone = try runTrailhound(["show", known.eventID, "--db", "case.db"], in: folder.path)

        let result = try runTrailhound(
            ["show", "no-such-event", known.eventID, "evil\u{1B}[2J", "--db", "case.db"],
            in: folder.path
        )
        #expect(result.status == 1)
        #expect(result.outputBytes == alone.outputBytes)
        #expect(
            result.errorLines == [
                "Error: Unable to find event 'no-such-event' in 'case.db'",
                "Error: Unable to find event 'evil\\u{1b}[2J' in 'case.db'",
            ]
        )

        let json = try runTrailhound(
            ["show", "no-such-event", "--db", "case.db", "--format", "json"],
            in: folder.path
        )
        #expect(json.status == 1)
        #expect(json.standardOutput == "[]\n")
    }

    @Test func refusesMissingIDsAndDatabases() throws {
        let folder = try TemporaryDirectory()
        let usage = try runTrailhound(["show", "--db", "case.db"], in: folder.path)
        #expect(usage.status == 64)
        #expect(
            usage.errorLines == [
                "Error: Missing EVENT-ID: give the eventID of each event to show",
                "Usage: trailhound show EVENT-ID... [--db FILE] [--format text|json]",
                "See 'trailhound help show'.",
            ]
        )
        let format = try runTrailhound(["show", "x", "--format", "yaml"], in: folder.path)
        #expect(format.status == 64)
        #expect(format.errorLines.first == "Error: Invalid value 'yaml' for option '--format'")

        let missing = try runTrailhound(["show", "x", "--db", "missing.db"], in: folder.path)
        #expect(missing.status == 1)
        #expect(
            missing.errorLines == [
                "Error: Unable to open the case database 'missing.db': no such file; "
                    + "run 'trailhound ingest' first"
            ]
        )
    }

    // MARK: - Copies and hostile text

    @Test func printsEveryCopyOfAnEventIDInTheOrderStored() throws {
        let folder = try TemporaryDirectory()
        let (alice, bob) = ("111122223333", "444455556666")
        let first = RecordText.call(eventID: "copied", account: alice)
        let otherAccount = RecordText.call(eventID: "copied", account: bob)
        let otherTime = RecordText.call(eventID: "copied", time: "2026-11-02T11:00:00Z", account: alice)
        let other = RecordText.call(eventID: "other")
        try folder.write(RecordText.delivery([first, otherAccount]), to: "dump/a.json")
        try folder.write(RecordText.delivery([other, otherTime]), to: "dump/b.json")
        try folder.write(RecordText.delivery([first]), to: "dump/c.json")
        let ingest = try runTrailhound(
            ["ingest", folder.file("dump"), "--db", "case.db", "--quiet"],
            in: folder.path
        )
        #expect(ingest.status == 0)

        let text = try runTrailhound(["show", "copied", "--db", "case.db"], in: folder.path)
        #expect(text.status == 0)
        let expected = [first, otherAccount, otherTime].map { $0 + "\n" }.joined()
        #expect(text.standardOutput == expected, "the copy in c.json is a duplicate: not stored")

        let json = try runTrailhound(
            ["show", "copied", "--db", "case.db", "--format", "json"],
            in: folder.path
        )
        let objects = try #require(try parseJSON(json.standardOutput) as? [[String: Any]])
        #expect(objects.map { $0["recipientAccountID"] as? String } == [alice, bob, alice])
        let files = objects.map { ($0["file"] as? String)?.split(separator: "/").last }
        #expect(files == ["a.json", "a.json", "b.json"])
        #expect(objects.map { $0["recordIndex"] as? Int } == [0, 1, 1])
        #expect(objects.map { $0["raw"] as? String } == [first, otherAccount, otherTime])
    }

    /// A record whose user agent holds C1 CSI and a line separator (JSON allows both unescaped),
    /// with a carriage return between two members, which could hide the start of a line.
    private static let hostileRecord = RecordText.call(
        eventID: "hostile",
        userAgent: "evil\u{9B}2J\u{2028}x"
    ).replacingOccurrences(of: ",\"awsRegion\"", with: ",\r\n\"awsRegion\"")

    private static func hostileDatabase(in folder: TemporaryDirectory) throws -> String {
        try folder.write(RecordText.delivery([hostileRecord]), to: "dump/a.json")
        let ingest = try runTrailhound([
            "ingest", folder.file("dump"), "--db", folder.file("case.db"), "--quiet",
        ])
        #expect(ingest.status == 0, "\(ingest.standardError)")
        return folder.file("case.db")
    }

    @Test func writesHostileTextToAPipeUnchanged() throws {
        let folder = try TemporaryDirectory()
        let database = try Self.hostileDatabase(in: folder)
        let result = try runTrailhound(["show", "hostile", "--db", database])
        #expect(result.status == 0)
        #expect(result.outputBytes == Array((Self.hostileRecord + "\n").utf8))
        #expect(result.outputBytes.contains(0x0D))
    }

    @Test func showsControlCharactersEscapedOnATerminal() throws {
        let folder = try TemporaryDirectory()
        let database = try Self.hostileDatabase(in: folder)
        let text = try runTrailhoundOnTerminal(["show", "hostile", "--db", database])
        #expect(text.status == 0)
        let lines = text.standardOutput.split(separator: "\n", omittingEmptySubsequences: false)
        try #require(lines.count == 3, "the record's line feed kept, then the one after it")
        #expect(lines[0].hasSuffix("\"eventName\":\"DescribeInstances\",\\u{d}"))
        #expect(lines[1].hasPrefix("\"awsRegion\""))
        #expect(lines[1].contains("\"userAgent\":\"evil\\u{9b}2J\\u{2028}x\""))
        #expect(lines[2].isEmpty)
        #expect(!text.outputBytes.contains(0x0D) && !text.outputBytes.contains(0x9B))

        // JSON output is exact on a terminal too: JSON escapes the C0 controls itself.
        let json = try runTrailhoundOnTerminal([
            "show", "hostile", "--db", database, "--format", "json",
        ])
        #expect(json.status == 0)
        let objects = try #require(try parseJSON(json.standardOutput) as? [[String: Any]])
        #expect(objects.first?["raw"] as? String == Self.hostileRecord)
    }
}
