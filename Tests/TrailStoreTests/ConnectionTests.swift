import Foundation
import TestSupport
import Testing

@testable import TrailStore

struct ConnectionTests {
    @Test func reportsAnUnopenableDatabaseWithItsCode() {
        #expect(throws: SQLiteError.self) {
            _ = try Connection(path: "/nonexistent/folder/case.db")
        }
    }

    @Test func closesCleanlyWithCachedStatements() throws {
        let folder = try TemporaryDirectory()
        let connection = try Connection(path: folder.file("c.db"))
        try connection.execute("CREATE TABLE t (x)")
        try connection.cachedStatement(sql: "INSERT INTO t VALUES (?)").run([.integer(1)])
        #expect(try connection.closeReportingStatus() == 0)
        connection.close()
    }

    @Test func aConnectionWithCachedStatementsIsFreedWithItsLastOwner() throws {
        let folder = try TemporaryDirectory()
        weak var released: Connection?
        do {
            let connection = try Connection(path: folder.file("c.db"))
            try connection.execute("CREATE TABLE t (x)")
            try connection.cachedStatement(sql: "INSERT INTO t VALUES (?)").run([.integer(1)])
            released = connection
        }
        #expect(released == nil, "a cached statement must not keep its connection, and its page cache, alive")
        // A statement of its own keeps a connection open while it is used.
        let rows = try Connection(path: folder.file("c.db")).makeStatement(sql: "SELECT x FROM t").rows()
        #expect(rows == [[.integer(1)]])
    }

    @Test func aFailedStepNamesTheStatementsError() throws {
        let folder = try TemporaryDirectory()
        let connection = try Connection(path: folder.file("c.db"))
        try connection.execute("CREATE TABLE t (x UNIQUE)")
        let insert = try connection.cachedStatement(sql: "INSERT INTO t VALUES (?)")
        try insert.run([.integer(1)])
        #expect {
            try insert.run([.integer(1)])
        } throws: { error in
            (error as? SQLiteError)?.message.contains("UNIQUE constraint failed") == true
        }
    }

    @Test func migratingTwiceKeepsTheSchema() throws {
        let folder = try TemporaryDirectory()
        let connection = try Connection(path: folder.file("c.db"))
        try Schema.migrate(connection)
        try Schema.migrate(connection)
        let version = try connection.makeStatement(sql: "PRAGMA user_version").rows()
        #expect(version == [[.integer(Int64(Schema.version))]])
        let mode = try connection.makeStatement(sql: "PRAGMA journal_mode").rows()
        #expect(mode == [[.text("wal")]])
        let checkpoint = try connection.makeStatement(sql: "PRAGMA wal_autocheckpoint").rows()
        #expect(checkpoint == [[.integer(Int64(Schema.checkpointPages))]])
    }

    @Test func refusesANewerSchema() throws {
        let folder = try TemporaryDirectory()
        let connection = try Connection(path: folder.file("c.db"))
        try connection.execute("PRAGMA user_version = 99")
        #expect(throws: SQLiteError.self) { try Schema.migrate(connection) }
    }

    @Test func errorsShowTheSQLButNotTheBoundValues() throws {
        let folder = try TemporaryDirectory()
        let connection = try Connection(path: folder.file("c.db"))
        try connection.execute("CREATE TABLE t (x UNIQUE)")
        let insert = try connection.makeStatement(sql: "INSERT INTO t VALUES (?)")
        try insert.run([.text("secret-value")])
        do {
            try insert.run([.text("secret-value")])
            Issue.record("the second insert should fail")
        } catch {
            #expect(error.isConstraintViolation)
            #expect(
                error.description == "SQLite error 2067: UNIQUE constraint failed: t.x in 'INSERT INTO t VALUES (?)'"
            )
            #expect(!error.description.contains("secret-value"))
        }
    }
}

struct QueryRunnerTests {
    @Test func refusesStatementsThatWrite() throws {
        let folder = try TemporaryDirectory()
        let database = folder.file("q.db")
        try ingest([Fixtures.path("bad-inputs/good-plain.json")], into: database)
        #expect(throws: SQLiteError.self) { try QueryRunner.run("DELETE FROM events", databasePath: database) }
        #expect(try queryInteger("SELECT count(*) FROM events", database: database) == 2)
    }

    @Test func refusesSeveralStatements() throws {
        let folder = try TemporaryDirectory()
        let database = folder.file("q.db")
        try ingest([Fixtures.path("bad-inputs/good-plain.json")], into: database)
        do {
            _ = try QueryRunner.run("SELECT 1; SELECT 2", databasePath: database)
            Issue.record("two statements should be refused")
        } catch {
            #expect(error.message == "give one SQL statement at a time")
        }
        #expect(try queryText("SELECT 1;", database: database) == [["1"]])
    }
}
