import CSQLite

/// A value read from or bound to SQLite.
package enum SQLiteValue: Equatable, Sendable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])
}

/// A prepared statement, finalized when released.
///
/// Related SQLite documentation: <https://sqlite.org/c3ref/stmt.html>.
package final class Statement {
    private let handle: OpaquePointer
    /// Keeps the connection open while the statement is in use; `nil` for the statements the
    /// connection caches itself, which would otherwise keep each other alive forever.
    private let owner: Connection?
    package let sql: String

    init(
        connection: Connection,
        sql: String,
        requiresSingleStatement: Bool = false,
        retainsConnection: Bool = true
    ) throws(SQLiteError) {
        var handle: OpaquePointer?
        var remainder = ""
        let status = sql.withCString { text in
            var tail: UnsafePointer<CChar>?
            let status = sqlite3_prepare_v3(connection.handle, text, -1, 0, &handle, &tail)
            if let tail { remainder = String(cString: tail) }
            return status
        }
        guard status == SQLITE_OK, let handle else { throw connection.error(status, sql: sql) }
        if requiresSingleStatement && !remainder.allSatisfy({ $0.isWhitespace || $0 == ";" }) {
            sqlite3_finalize(handle)
            throw SQLiteError(code: SQLITE_MISUSE, message: "give one SQL statement at a time", sql: sql)
        }
        self.handle = handle
        self.owner = retainsConnection ? connection : nil
        self.sql = sql
    }

    deinit {
        sqlite3_finalize(handle)
    }

    // MARK: - Binding

    /// Clears the previous execution's state and bindings.
    package func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    /// Binds `value` to the 1-based parameter `index`.
    package func bind(_ value: SQLiteValue, at index: Int32) throws(SQLiteError) {
        let status: Int32
        switch value {
        case .null: status = sqlite3_bind_null(handle, index)
        case .integer(let number): status = sqlite3_bind_int64(handle, index, number)
        case .real(let number): status = sqlite3_bind_double(handle, index, number)
        case .text(let text): status = bindText(text, at: index)
        case .blob(let bytes): status = bindBlob(bytes, at: index)
        }
        guard status == SQLITE_OK else { throw error(status) }
    }

    /// Binds UTF-8 bytes as text without building a Swift string first.
    package func bindText(utf8 bytes: [UInt8], at index: Int32) throws(SQLiteError) {
        let status = bytes.withUnsafeBytes { buffer in
            // An empty array may have no base address; SQLite then needs a valid empty string.
            guard let base = buffer.baseAddress?.assumingMemoryBound(to: CChar.self) else {
                return sqlite3_bind_text(handle, index, "", 0, trailhound_sqlite_transient())
            }
            return sqlite3_bind_text(handle, index, base, Int32(buffer.count), trailhound_sqlite_transient())
        }
        guard status == SQLITE_OK else { throw error(status) }
    }

    /// Binds a string through its own UTF-8 storage: no C string is made for it.
    private func bindText(_ text: String, at index: Int32) -> Int32 {
        var text = text
        return text.withUTF8 { buffer in
            guard let base = buffer.baseAddress else {
                return sqlite3_bind_text(handle, index, "", 0, trailhound_sqlite_transient())
            }
            let start = UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self)
            return sqlite3_bind_text(handle, index, start, Int32(buffer.count), trailhound_sqlite_transient())
        }
    }

    private func bindBlob(_ bytes: [UInt8], at index: Int32) -> Int32 {
        bytes.withUnsafeBytes { buffer in
            sqlite3_bind_blob(handle, index, buffer.baseAddress, Int32(buffer.count), trailhound_sqlite_transient())
        }
    }

    /// Binds `values` to parameters 1, 2, … in order.
    package func bind(_ values: [SQLiteValue]) throws(SQLiteError) {
        for (offset, value) in values.enumerated() {
            try bind(value, at: Int32(offset + 1))
        }
    }

    // MARK: - Stepping

    /// Advances to the next row.
    ///
    /// - Returns: `true` when a row is available, `false` when the statement is done.
    package func step() throws(SQLiteError) -> Bool {
        let status = sqlite3_step(handle)
        switch status {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw error(status)
        }
    }

    /// Runs a statement that returns no rows, with fresh bindings.
    package func run(_ values: [SQLiteValue] = []) throws(SQLiteError) {
        reset()
        try bind(values)
        while try step() {}
    }

    /// Runs the statement and collects every row.
    package func rows(_ values: [SQLiteValue] = []) throws(SQLiteError) -> [[SQLiteValue]] {
        reset()
        try bind(values)
        var rows: [[SQLiteValue]] = []
        while try step() {
            rows.append((0..<columnCount).map { column(at: $0) })
        }
        return rows
    }

    /// Runs the statement and calls `body` on each row, reading columns in place with
    /// ``text(at:)`` and ``integer(at:)``: nothing is materialised beyond what `body` keeps.
    package func forEachRow(_ values: [SQLiteValue] = [], _ body: (Statement) throws -> Void) throws {
        reset()
        try bind(values)
        while try step() {
            try body(self)
        }
    }

    // MARK: - Columns

    /// The column as text, `nil` when it is NULL.
    package func text(at index: Int32) -> String? {
        guard sqlite3_column_type(handle, index) != SQLITE_NULL, let text = sqlite3_column_text(handle, index) else {
            return nil
        }
        let count = Int(sqlite3_column_bytes(handle, index))
        return String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)
    }

    /// Calls `body` with the column's text as UTF-8 bytes, valid only during the call; an empty
    /// buffer when the column is NULL.
    package func withUTF8<Result>(
        at index: Int32,
        _ body: (UnsafeBufferPointer<UInt8>) throws -> Result
    ) rethrows -> Result {
        guard sqlite3_column_type(handle, index) != SQLITE_NULL, let text = sqlite3_column_text(handle, index) else {
            return try body(UnsafeBufferPointer(start: nil, count: 0))
        }
        return try body(UnsafeBufferPointer(start: text, count: Int(sqlite3_column_bytes(handle, index))))
    }

    /// The column as an integer, `nil` when it is NULL.
    package func integer(at index: Int32) -> Int64? {
        sqlite3_column_type(handle, index) == SQLITE_NULL ? nil : sqlite3_column_int64(handle, index)
    }

    package var columnCount: Int32 {
        sqlite3_column_count(handle)
    }

    package func columnName(at index: Int32) -> String {
        sqlite3_column_name(handle, index).map { String(cString: $0) } ?? ""
    }

    package func column(at index: Int32) -> SQLiteValue {
        switch sqlite3_column_type(handle, index) {
        case SQLITE_INTEGER:
            return .integer(sqlite3_column_int64(handle, index))
        case SQLITE_FLOAT:
            return .real(sqlite3_column_double(handle, index))
        case SQLITE_TEXT:
            let count = Int(sqlite3_column_bytes(handle, index))
            guard let text = sqlite3_column_text(handle, index) else { return .text("") }
            return .text(String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self))
        case SQLITE_BLOB:
            let count = Int(sqlite3_column_bytes(handle, index))
            guard let bytes = sqlite3_column_blob(handle, index) else { return .blob([]) }
            return .blob(Array(UnsafeRawBufferPointer(start: bytes, count: count)))
        default:
            return .null
        }
    }

    /// Whether the statement only reads (`sqlite3_stmt_readonly`).
    package var isReadOnly: Bool {
        sqlite3_stmt_readonly(handle) != 0
    }
}

@available(*, unavailable)
extension Statement: Sendable {}

extension Statement {
    /// The error of the statement's connection, for a failed step or bind.
    fileprivate func error(_ status: Int32) -> SQLiteError {
        SQLiteError(code: status, message: String(cString: sqlite3_errmsg(sqlite3_db_handle(handle))), sql: sql)
    }
}
