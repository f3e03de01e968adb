import TrailAnalysis
import TrailCore
import TrailIngest
import TrailReport

/// `trailhound sessions`: every set of temporary credentials in the case database.
struct SessionsCommand {
    enum Format: String {
        case table, json
    }

    private let databasePath: String
    private var filter = SessionStore.Filter()
    private let format: Format

    init(arguments: [String]) throws(UsageError) {
        let list = try ArgumentList(
            arguments,
            command: "sessions",
            options: ["--db", "--account", "--role", "--principal", "--from", "--to", "--format"],
            flags: []
        )
        if let extra = list.positionals.first {
            throw UsageError(message: "Unexpected argument '\(extra)'", command: "sessions")
        }
        databasePath = list.value("--db") ?? "trailhound.db"
        filter.accountID = list.value("--account")
        filter.roleARN = list.value("--role")
        filter.principal = list.values("--principal")
        filter.from = try Self.time(list.value("--from"), option: "--from")
        filter.to = try Self.time(list.value("--to"), option: "--to")
        format = try list.choice("--format", default: .table, command: "sessions")
    }

    /// Normalises a time option to the stored ISO form.
    static func time(_ text: String?, option: String) throws(UsageError) -> String? {
        guard let text else { return nil }
        let completed = text.count == 10 ? text + "T00:00:00Z" : text
        guard let milliseconds = EventTime.milliseconds(from: completed) else {
            throw UsageError(
                message: "Invalid time '\(text)' for option '\(option)': use YYYY-MM-DD or ISO 8601",
                command: nil
            )
        }
        return EventTime.iso8601(milliseconds: milliseconds)
    }

    func run() throws -> Int32 {
        try DatabaseFile.requireExisting(databasePath)
        let store = try SessionStore(databasePath: databasePath)
        switch format {
        case .table: print(SessionReport.table(try store.sessions(matching: filter)), terminator: "")
        case .json: try writeJSON(store)
        }
        return Trailhound.ExitStatus.success
    }

    /// The stored documents as one JSON array, written as they are read: a large case's
    /// sessions are never all in memory.
    private func writeJSON(_ store: SessionStore) throws {
        var output = StandardOutput()
        var isFirst = true
        output.write("[")
        try store.forEachDocument(matching: filter) { document in
            if !isFirst { output.write(",") }
            isFirst = false
            output.write(bytes: document)
        }
        output.write("]\n")
        output.flush()
    }
}

/// `trailhound chain`: the lineage of one session or principal, as a tree.
struct ChainCommand {
    enum Format: String {
        case tree, json
    }

    private let subject: String
    private let databasePath: String
    private let format: Format

    init(arguments: [String]) throws(UsageError) {
        let list = try ArgumentList(arguments, command: "chain", options: ["--db", "--format"], flags: [])
        guard list.positionals.count == 1, let subject = list.positionals.first else {
            throw UsageError(message: "Expected one access key, session ARN or principal ARN", command: "chain")
        }
        self.subject = subject
        databasePath = list.value("--db") ?? "trailhound.db"
        format = try list.choice("--format", default: .tree, command: "chain")
    }

    func run() throws -> Int32 {
        try DatabaseFile.requireExisting(databasePath)
        let chain = try SessionChain.find(subject, in: SessionStore(databasePath: databasePath))
        switch format {
        case .tree: print(SessionReport.tree(chain), terminator: "")
        case .json: print(SessionReport.json(chain), terminator: "")
        }
        return Trailhound.ExitStatus.success
    }
}
