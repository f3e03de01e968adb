import Foundation
import TestSupport
import Testing

@testable import TrailStore

/// Finding events by id, in blocks, in `raw` and in databases written before schema 5.
struct EventLookupTests {
    private static let records = [
        RecordText.call(eventID: "first"),
        RecordText.call(eventID: "second", account: "444455556666"),
        RecordText.call(eventID: "second", account: "111122223333"),
    ]

    /// A database of ``records``, in `dump/a.json`.
    private static func database(in folder: TemporaryDirectory) throws -> String {
        try folder.write(RecordText.delivery(records), to: "dump/a.json")
        let database = folder.file("case.db")
        try ingest([folder.file("dump")], into: database)
        return database
    }

    @Test func findsEveryCopyOfAnIDWithItsFileAndPlace() throws {
        let folder = try TemporaryDirectory()
        let database = try Self.database(in: folder)
        let lookup = try EventLookup(databasePath: database)

        let found = try lookup.records(withEventID: "second")
        #expect(found.map(\.recipientAccountID) == ["444455556666", "111122223333"])
        #expect(found.map(\.recordIndex) == [1, 2])
        #expect(found.map(\.raw) == [Array(Self.records[1].utf8), Array(Self.records[2].utf8)])
        let prefix = "{\"Records\":[".utf8.count
        #expect(found.first?.byteOffset == Int64(prefix + Self.records[0].utf8.count + 1))
        let root = URL(fileURLWithPath: folder.file("dump")).resolvingSymlinksInPath().path
        #expect(found.allSatisfy { $0.root == root && $0.path == "a.json" })
        #expect(found.allSatisfy { $0.file == root + "/a.json" })

        let first = try lookup.records(withEventID: "first")
        #expect(first.map(\.raw) == [Array(Self.records[0].utf8)])
        #expect(try lookup.records(withEventID: "third").isEmpty)
    }

    @Test func readsARowWithoutABlockFromRaw() throws {
        let folder = try TemporaryDirectory()
        let database = try Self.database(in: folder)
        let writer = try Connection(path: database)
        try writer.execute(
            """
            UPDATE events
            SET raw = '{"kept":"in raw"}', raw_block = NULL, raw_offset = NULL, raw_length = NULL
            WHERE event_id = 'first'
            """
        )
        writer.close()

        let found = try EventLookup(databasePath: database).records(withEventID: "first")
        #expect(found.map(\.raw) == [Array(#"{"kept":"in raw"}"#.utf8)])
    }

    @Test func readsADatabaseOfSchemaVersion4FromRaw() throws {
        let folder = try TemporaryDirectory()
        let database = try Self.database(in: folder)
        // What version 4 had: the record in `raw`, and neither the block columns nor their table.
        let writer = try Connection(path: database)
        try writer.execute(
            """
            UPDATE events SET raw = raw_record(raw, raw_block, raw_offset, raw_length);
            ALTER TABLE events DROP COLUMN raw_block;
            ALTER TABLE events DROP COLUMN raw_offset;
            ALTER TABLE events DROP COLUMN raw_length;
            DROP TABLE raw_blocks;
            PRAGMA user_version = 4;
            """
        )
        writer.close()

        let found = try EventLookup(databasePath: database).records(withEventID: "second")
        #expect(found.map(\.raw) == [Array(Self.records[1].utf8), Array(Self.records[2].utf8)])
    }

    @Test func keepsBytesThatAreNotUTF8() throws {
        let folder = try TemporaryDirectory()
        let database = try Self.database(in: folder)
        let writer = try Connection(path: database)
        try writer.execute(
            """
            UPDATE events SET raw = CAST(x'7B22C3FF227D' AS TEXT), raw_block = NULL
            WHERE event_id = 'first'
            """
        )
        writer.close()

        let found = try EventLookup(databasePath: database).records(withEventID: "first")
        #expect(found.map(\.raw) == [[0x7B, 0x22, 0xC3, 0xFF, 0x22, 0x7D]])
    }
}
