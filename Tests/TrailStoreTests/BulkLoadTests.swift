import Foundation
import Synchronization
import TestSupport
import Testing

@testable import TrailStore

/// A large ingest loads through a rollback journal and ends in WAL mode, and gives way to any
/// other connection that has the database open.
struct BulkLoadTests {
    private static func dump(in folder: TemporaryDirectory, name: String, files: Int) throws -> String {
        for file in 0..<files {
            let records = (0..<3).map { index in
                RecordText.call(eventID: "\(name)-\(file)-\(index)", time: "2026-11-03T10:0\(index):00Z")
            }
            try folder.write(RecordText.delivery(records), to: "\(name)/\(file).json")
        }
        return folder.file(name)
    }

    private static func journalMode(_ database: String) throws -> String? {
        // WAL mode is kept in the file; a read-only connection may not ask for the mode.
        guard
            case .text(let mode) = try Connection(path: database)
                .makeStatement(sql: "PRAGMA journal_mode").rows().first?.first
        else { return nil }
        return mode
    }

    @Test func aLargeIngestLoadsThroughARollbackJournalAndEndsInWALMode() throws {
        let folder = try TemporaryDirectory()
        let database = folder.file("case.db")
        let journalSeen = Mutex<[Bool]>([])
        let graphBuilt = Mutex(false)
        let summary = try CaseIngest(
            options: .init(paths: [try Self.dump(in: folder, name: "dump", files: 4)], databasePath: database)
        ).run(
            onFile: { _, _, _ in
                let exists = FileManager.default.fileExists(atPath: database + "-journal")
                journalSeen.withLock { $0.append(exists) }
            },
            whileIndexing: { _ in graphBuilt.withLock { $0 = true } }
        )
        #expect(summary.newEvents == 12)
        #expect(journalSeen.withLock { $0 } == [true, true, true, true])
        #expect(graphBuilt.withLock { $0 })
        #expect(try Self.journalMode(database) == "wal")
        #expect(!FileManager.default.fileExists(atPath: database + "-journal"))
        #expect(try queryInteger("SELECT count(*) FROM events", database: database) == 12)
    }

    @Test func aConnectionAlreadyOpenKeepsTheWALAndTheIngestStillCompletes() throws {
        let folder = try TemporaryDirectory()
        let database = folder.file("case.db")
        try ingest([try Self.dump(in: folder, name: "first", files: 1)], into: database)
        let reader = try Connection(path: database)
        #expect(try reader.makeStatement(sql: "SELECT count(*) FROM events").rows().first?.first == .integer(3))
        let graphBuilt = Mutex(false)
        let summary = try CaseIngest(
            options: .init(paths: [try Self.dump(in: folder, name: "second", files: 3)], databasePath: database)
        ).run(whileIndexing: { _ in graphBuilt.withLock { $0 = true } })
        #expect(summary.newEvents == 9)
        #expect(graphBuilt.withLock { $0 })
        #expect(try reader.makeStatement(sql: "SELECT count(*) FROM events").rows().first?.first == .integer(12))
        #expect(try Self.journalMode(database) == "wal")
    }

    @Test func theLoadStaysOutOfWALModeWhileAnotherConnectionReads() throws {
        let folder = try TemporaryDirectory()
        let database = folder.file("case.db")
        let connection = try Connection(path: database)
        try Schema.migrate(connection)
        let writer = try CaseWriter(connection: connection)
        try writer.beginBulkLoad()
        #expect(try connection.makeStatement(sql: "PRAGMA journal_mode").rows().first?.first == .text("persist"))

        let reader = try Connection(path: database)
        try reader.execute("BEGIN")
        _ = try reader.makeStatement(sql: "SELECT count(*) FROM events").rows()
        #expect(try writer.endBulkLoad() == false)
        try reader.execute("COMMIT")
        #expect(try writer.endBulkLoad() == true)
        #expect(try connection.makeStatement(sql: "PRAGMA journal_mode").rows().first?.first == .text("wal"))
    }
}
