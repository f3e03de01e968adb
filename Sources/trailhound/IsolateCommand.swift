import Foundation
import TrailAnalysis
import TrailCore
import TrailIngest
import TrailReport

/// `trailhound isolate`: the containment plan for principals and sessions.
struct IsolateCommand {
    enum Format: String {
        case sh, json, md
    }

    private let databasePath: String
    private let options: IsolationPlanner.Options
    private let format: Format

    init(arguments: [String], now: Date = Date()) throws(UsageError) {
        let list = try ArgumentList(
            arguments,
            command: "isolate",
            options: ["--db", "--token-issue-time", "--sns-topic", "--format"],
            flags: []
        )
        guard !list.positionals.isEmpty else {
            throw UsageError(message: "Give at least one principal ARN, session ARN or access key", command: "isolate")
        }
        databasePath = list.value("--db") ?? "trailhound.db"
        let generatedAt = EventTime.iso8601(milliseconds: Int64(now.timeIntervalSince1970) * 1_000)
        let revocation = try SessionsCommand.time(list.value("--token-issue-time"), option: "--token-issue-time")
        var options = IsolationPlanner.Options(
            subjects: list.positionals,
            tokenIssueTime: revocation ?? generatedAt,
            generatedAt: generatedAt
        )
        options.snsTopicARN = list.value("--sns-topic")
        self.options = options
        format = try list.choice("--format", default: .sh, command: "isolate")
    }

    func run() throws -> Int32 {
        try DatabaseFile.requireExisting(databasePath)
        var planner = try IsolationPlanner(databasePath: databasePath, options: options)
        let plan = try planner.makePlan()
        let logger = Logger(handler: StandardErrorLogHandler())
        for warning in plan.warnings {
            logger.warning("warning: \(warning)")
        }
        switch format {
        case .sh: print(IsolationReport.shell(plan), terminator: "")
        case .json: print(IsolationReport.json(plan), terminator: "")
        case .md: print(IsolationReport.markdown(plan), terminator: "")
        }
        return Trailhound.ExitStatus.success
    }
}
