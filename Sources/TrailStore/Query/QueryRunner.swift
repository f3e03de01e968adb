/// The columns and rows a query returned.
package struct QueryResult: Sendable {
    package var columns: [String]
    package var rows: [[SQLiteValue]]
}

/// Runs an analyst's SQL on a case database opened read-only.
package enum QueryRunner {
    /// Runs exactly one statement.
    ///
    /// - Throws: `SQLiteError` for SQL errors, for more than one statement, and for a statement
    ///   that would write (the connection is read-only as well).
    package static func run(_ sql: String, databasePath: String) throws(SQLiteError) -> QueryResult {
        let connection = try Connection(path: databasePath, mode: .readOnly)
        let statement = try connection.makeSingleStatement(sql: sql)
        guard statement.isReadOnly else {
            throw SQLiteError(code: 8, message: "only statements that read are allowed", sql: sql)
        }
        let columns = (0..<statement.columnCount).map { statement.columnName(at: $0) }
        return QueryResult(columns: columns, rows: try statement.rows())
    }
}
