import Foundation
import Synchronization
import TestSupport
import Testing

@testable import TrailStore

/// Work run while an ingest builds its last indexes: it sees every event and the lookup
/// indexes, may write while the builds go on, and its failure fails the run.
struct IndexingAlongsideTests {
    private struct SideFailure: Error {}

    private static func dump(in folder: TemporaryDirectory) throws -> String {
        for file in 0..<3 {
            let records = (0..<4).map { index in
                RecordText.call(eventID: "alongside-\(file)-\(index)", time: "2026-11-02T10:0\(index):00Z")
            }
            try folder.write(RecordText.delivery(records), to: "dump/\(file).json")
        }
        return folder.file("dump")
    }

    private static func indexNames(_ database: String) throws -> Set<String> {
        let rows = try queryText(
            "SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'events'",
            database: database
        )
        return Set(rows.compactMap(\.first))
    }

    @Test func seesEveryEventAndTheLookupIndexesAndMayWrite() throws {
        let folder = try TemporaryDirectory()
        let database = folder.file("case.db")
        let seen = Mutex<(newEvents: Int, stored: Int, indexes: Set<String>)?>(nil)
        let summary = try CaseIngest(options: .init(paths: [try Self.dump(in: folder)], databasePath: database)).run(
            whileIndexing: {
                newEvents in
                let connection = try Connection(path: database)
                connection.busyTimeoutMilliseconds = CaseWriter.sharedWriteTimeout
                let stored = try connection.makeStatement(sql: "SELECT count(*) FROM events").rows()
                let names = try connection.makeStatement(sql: "SELECT name FROM sqlite_schema WHERE type = 'index'")
                    .rows().compactMap { row -> String? in
                        if case .text(let name) = row.first { return name }
                        return nil
                    }
                try connection.inTransaction {
                    try connection.execute("INSERT OR REPLACE INTO meta VALUES ('alongside', 'written')")
                }
                guard case .integer(let count) = stored.first?.first else { return }
                seen.withLock { $0 = (newEvents, Int(count), Set(names)) }
            })
        let observed = try #require(seen.withLock { $0 })
        #expect(observed.newEvents == 12)
        #expect(observed.stored == 12)
        let lookup = Schema.readingIndexes.prefix(Schema.lookupIndexCount).map(\.name)
        #expect(Set(lookup).isSubset(of: observed.indexes))
        #expect(summary.newEvents == 12)
        #expect(try queryText("SELECT value FROM meta WHERE key = 'alongside'", database: database) == [["written"]])
        #expect(Set(Schema.readingIndexes.map(\.name)).isSubset(of: try Self.indexNames(database)))
    }

    @Test func itsFailureFailsTheRunAfterEveryIndexIsBuilt() throws {
        let folder = try TemporaryDirectory()
        let database = folder.file("case.db")
        #expect(throws: SideFailure.self) {
            try CaseIngest(options: .init(paths: [try Self.dump(in: folder)], databasePath: database)).run(
                whileIndexing: { _ in
                    throw SideFailure()
                })
        }
        #expect(try queryInteger("SELECT count(*) FROM events", database: database) == 12)
        #expect(Set(Schema.readingIndexes.map(\.name)).isSubset(of: try Self.indexNames(database)))
    }
}
