import TrailAnalysis
import TrailCore
import TrailReport

/// `trailhound timeline`: what a principal and every session derived from it did, in order.
struct TimelineCommand {
    private let subject: String
    private let databasePath: String
    private let from: String?
    private let to: String?
    private let format: TimelineReport.Format

    init(arguments: [String]) throws(UsageError) {
        let list = try ArgumentList(
            arguments,
            command: "timeline",
            options: ["--db", "--from", "--to", "--format"],
            flags: []
        )
        guard list.positionals.count == 1, let subject = list.positionals.first else {
            throw UsageError(message: "Expected one principal ARN or access key", command: "timeline")
        }
        self.subject = subject
        databasePath = list.value("--db") ?? "trailhound.db"
        from = try SessionsCommand.time(list.value("--from"), option: "--from")
        to = try SessionsCommand.time(list.value("--to"), option: "--to")
        format = try list.choice("--format", default: .table, command: "timeline")
    }

    func run() throws -> Int32 {
        try DatabaseFile.requireExisting(databasePath)
        let timeline = try Timeline.build(subject: subject, databasePath: databasePath, from: from, to: to)
        var output = StandardOutput()
        TimelineReport.write(timeline, as: format, to: &output)
        output.flush()
        return Trailhound.ExitStatus.success
    }
}
