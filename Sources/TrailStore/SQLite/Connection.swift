import CSQLite

/// An open SQLite database.
///
/// It has one owner, and is never shared between threads.
///
/// Related SQLite documentation: <https://sqlite.org/c3ref/open.html>.
package final class Connection {
    /// How to open the database file.
    package enum Mode: Sendable {
        /// Read and write, creating the file if needed.
        case readWrite
        /// Read-only: queries on the case database can never change it.
        case readOnly
    }

    private(set) var handle: OpaquePointer?
    private var statements: [String: Statement] = [:]
    private var rawRecords: RawRecordFunction?

    /// Opens the database at `path`.
    ///
    /// - Throws: `SQLiteError` when the file cannot be opened as a database.
    package init(path: String, mode: Mode = .readWrite) throws(SQLiteError) {
        let flags =
            switch mode {
            case .readWrite: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
            case .readOnly: SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX
            }
        var handle: OpaquePointer?
        let status = sqlite3_open_v2(path, &handle, flags, nil)
        guard status == SQLITE_OK, let handle else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            // "Whether or not an error occurs when it is opened, resources associated with the
            // database connection handle should be released by passing it to sqlite3_close()."
            sqlite3_close(handle)
            throw SQLiteError(code: status, message: message)
        }
        self.handle = handle
        sqlite3_extended_result_codes(handle, 1)
        sqlite3_busy_timeout(handle, Self.defaultBusyTimeout)
        rawRecords = RawRecordFunction.register(on: handle)
    }

    /// How long a statement waits for another connection's lock before it fails with
    /// `SQLITE_BUSY`, unless told otherwise.
    package static let defaultBusyTimeout: Int32 = 5_000

    /// How long a statement waits for another connection's lock (`sqlite3_busy_timeout`).
    package var busyTimeoutMilliseconds: Int32 = defaultBusyTimeout {
        didSet { sqlite3_busy_timeout(handle, busyTimeoutMilliseconds) }
    }

    /// Sets the journal mode (`PRAGMA journal_mode`), returning whether it took.
    ///
    /// Leaving WAL mode, or entering it from another, needs the only connection to the
    /// database: while another is open the mode stays as it is and this returns `false`.
    package func setJournalMode(_ mode: String) throws(SQLiteError) -> Bool {
        let rows: [[SQLiteValue]]
        do {
            rows = try makeStatement(sql: "PRAGMA journal_mode = \(mode)").rows()
        } catch  where error.code & 0xff == SQLITE_BUSY || error.code & 0xff == SQLITE_LOCKED {
            return false
        }
        guard case .text(let current) = rows.first?.first else { return false }
        return current.lowercased() == mode.lowercased()
    }

    deinit {
        close()
    }

    /// Finalizes cached statements, then closes: an unfinalized statement makes
    /// `sqlite3_close` fail with `SQLITE_BUSY`.
    package func close() {
        statements.removeAll()
        rawRecords?.finish()
        guard let handle else { return }
        sqlite3_close(handle)
        self.handle = nil
    }

    /// Finalizes cached statements and closes, returning `sqlite3_close`'s status
    /// (`SQLITE_BUSY` when a statement outlives the connection).
    package func closeReportingStatus() throws(SQLiteError) -> Int32 {
        statements.removeAll()
        rawRecords?.finish()
        let status = sqlite3_close(try requireHandle())
        if status == SQLITE_OK { handle = nil }
        return status
    }

    /// Runs one or more SQL statements that return no rows.
    package func execute(_ sql: String) throws(SQLiteError) {
        let status = sqlite3_exec(try requireHandle(), sql, nil, nil, nil)
        guard status == SQLITE_OK else { throw error(status, sql: sql) }
    }

    /// Prepares `sql` for repeated use.
    package func makeStatement(sql: String) throws(SQLiteError) -> Statement {
        try Statement(connection: self, sql: sql)
    }

    /// Prepares `sql`, which must hold exactly one statement.
    package func makeSingleStatement(sql: String) throws(SQLiteError) -> Statement {
        _ = try requireHandle()
        return try Statement(connection: self, sql: sql, requiresSingleStatement: true)
    }

    /// Returns a prepared statement for `sql`, reusing the one prepared before.
    package func cachedStatement(sql: String) throws(SQLiteError) -> Statement {
        if let statement = statements[sql] {
            return statement
        }
        let statement = try Statement(connection: self, sql: sql, retainsConnection: false)
        statements[sql] = statement
        return statement
    }

    /// The number of rows the last statement changed.
    package var changes: Int {
        handle.map { Int(sqlite3_changes($0)) } ?? 0
    }

    /// The rowid of the last inserted row.
    package var lastInsertedRowID: Int64 {
        handle.map { sqlite3_last_insert_rowid($0) } ?? 0
    }

    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws.
    package func inTransaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let value = try body()
            try execute("COMMIT")
            return value
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    func requireHandle() throws(SQLiteError) -> OpaquePointer {
        guard let handle else { throw SQLiteError(code: SQLITE_MISUSE, message: "the database is closed") }
        return handle
    }

    func error(_ status: Int32, sql: String?) -> SQLiteError {
        let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "the database is closed"
        return SQLiteError(code: status, message: message, sql: sql)
    }
}

@available(*, unavailable)
extension Connection: Sendable {}
