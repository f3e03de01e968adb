import CSQLite

/// An SQLite failure: the extended result code, SQLite's message and the SQL that failed.
///
/// Bound values are deliberately absent: they are evidence, and may be sensitive.
package struct SQLiteError: Error, Equatable, Sendable {
    /// The extended result code (<https://sqlite.org/rescode.html>).
    package var code: Int32
    package var message: String
    package var sql: String?

    package init(code: Int32, message: String, sql: String? = nil) {
        self.code = code
        self.message = message
        self.sql = sql
    }

    /// Whether the primary code is `SQLITE_CONSTRAINT`.
    package var isConstraintViolation: Bool {
        code & 0xFF == SQLITE_CONSTRAINT
    }
}

extension SQLiteError: CustomStringConvertible {
    package var description: String {
        var text = "SQLite error \(code): \(message)"
        if let sql {
            text += " in '\(sql.split(whereSeparator: \.isNewline).map { $0.trimmingSpaces() }.joined(separator: " "))'"
        }
        return text
    }
}

extension Substring {
    fileprivate func trimmingSpaces() -> Substring {
        drop(while: { $0 == " " })
    }
}
