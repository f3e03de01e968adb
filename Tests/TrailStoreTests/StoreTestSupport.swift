import TestSupport

@testable import TrailStore

/// Runs a query on `database` and returns rows of text (NULL as "NULL").
func queryText(_ sql: String, database: String) throws -> [[String]] {
    try QueryRunner.run(sql, databasePath: database).rows.map { row in
        row.map { value in
            switch value {
            case .null: "NULL"
            case .integer(let number): String(number)
            case .real(let number): String(number)
            case .text(let text): text
            case .blob(let bytes): "\(bytes.count) bytes"
            }
        }
    }
}

/// Runs a query returning one integer.
func queryInteger(_ sql: String, database: String) throws -> Int {
    guard case .integer(let value)? = try QueryRunner.run(sql, databasePath: database).rows.first?.first else {
        return -1
    }
    return Int(value)
}

/// Ingests `paths` into `database` with default options.
@discardableResult
func ingest(_ paths: [String], into database: String, jobs: Int = 2) throws -> IngestSummary {
    var options = CaseIngest.Options(paths: paths, databasePath: database)
    options.jobs = jobs
    return try CaseIngest(options: options).run()
}
