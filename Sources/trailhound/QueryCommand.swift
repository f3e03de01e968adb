import TrailReport
import TrailStore

/// `trailhound query SQL`: read-only SQL on the case database.
struct QueryCommand {
    private let sql: String
    private let databasePath: String
    private let format: QueryReport.Format

    init(arguments: [String]) throws(UsageError) {
        let list = try ArgumentList(arguments, command: "query", options: ["--db", "--format"], flags: [])
        guard list.positionals.count == 1, let sql = list.positionals.first else {
            throw UsageError(message: "Expected exactly one SQL statement", command: "query")
        }
        self.sql = sql
        databasePath = list.value("--db") ?? "trailhound.db"
        format = try list.choice("--format", default: .table, command: "query")
    }

    func run() throws -> Int32 {
        try DatabaseFile.requireExisting(databasePath)
        let result = try QueryRunner.run(sql, databasePath: databasePath)
        print(QueryReport.render(result, as: format), terminator: "")
        return Trailhound.ExitStatus.success
    }
}
