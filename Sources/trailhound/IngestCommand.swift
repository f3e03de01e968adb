import TrailAnalysis
import TrailCore
import TrailIngest
import TrailReport
import TrailStore

/// `trailhound ingest PATH...`: reads dumps into the case database.
struct IngestCommand {
    enum Format: String {
        case text, json
    }

    private var options: CaseIngest.Options
    private let format: Format
    private let progressStyle: ProgressReporter.Style
    private let logger: Logger

    init(arguments: [String]) throws(UsageError) {
        let list = try ArgumentList(
            arguments,
            command: "ingest",
            options: ["--db", "--format", "--jobs", "--max-file-bytes"],
            flags: ["--quiet", "--verbose"]
        )
        guard !list.positionals.isEmpty else {
            throw UsageError(message: "Missing PATH: give a dump folder or files to ingest", command: "ingest")
        }
        options = try Self.options(
            from: list,
            databasePath: list.value("--db") ?? "trailhound.db",
            command: "ingest",
            arguments: arguments
        )
        format = try list.choice("--format", default: .text, command: "ingest")
        logger = Logger(level: list.has("--verbose") ? .info : .notice, handler: StandardErrorLogHandler())
        progressStyle =
            list.has("--quiet") ? .none : (StandardError.isTerminal ? .live : .periodic(intervalSeconds: 5))
    }

    func run() throws -> Int32 {
        let summary = try Self.update(options, progressStyle: progressStyle, logger: logger)
        switch format {
        case .text: print(IngestReport.text(summary, databasePath: options.databasePath), terminator: "")
        case .json: print(IngestReport.json(summary, databasePath: options.databasePath), terminator: "")
        }
        return summary.hasErrors ? Trailhound.ExitStatus.failure : Trailhound.ExitStatus.success
    }

    /// The ingest options of `ingest` or `report`: the paths, the database, `--jobs`,
    /// `--max-file-bytes`, and the command line recorded in the case's `runs` table.
    static func options(
        from list: ArgumentList,
        databasePath: String,
        command: String,
        arguments: [String]
    ) throws(UsageError) -> CaseIngest.Options {
        var options = CaseIngest.Options(paths: list.positionals, databasePath: databasePath)
        options.toolVersion = Trailhound.version
        options.arguments = [command] + arguments
        if let jobs = list.value("--jobs") {
            guard let count = Int(jobs), (1...64).contains(count) else {
                throw UsageError(message: "Invalid value '\(jobs)' for option '--jobs'", command: command)
            }
            options.jobs = count
        }
        if let limit = list.value("--max-file-bytes") {
            guard let bytes = ByteCount.parse(limit), bytes > 0 else {
                throw UsageError(message: "Invalid value '\(limit)' for option '--max-file-bytes'", command: command)
            }
            options.decoder.maximumDecompressedSize = bytes
        }
        return options
    }

    /// Brings the case up to date with progress on stderr and one stderr line per file that was
    /// not read in full; shared with `report`.
    static func update(
        _ options: CaseIngest.Options,
        progressStyle: ProgressReporter.Style,
        logger: Logger
    ) throws -> IngestSummary {
        let reporter = ProgressReporter(style: progressStyle)
        let summary = try CaseUpdate.run(
            options,
            onStart: { toRead, unchanged in reporter.start(toRead: toRead, unchanged: unchanged) },
            onFile: { file, outcome, progress in
                reporter.clearLine()
                report(file, outcome, logger: logger)
                reporter.update(progress)
            }
        )
        reporter.clearLine()
        for problem in summary.problems where problem.records == 0 && problem.reason.hasPrefix("unable to read:") {
            logger.error("\(problem.path): \(problem.reason)")
        }
        return summary
    }

    /// One stderr line per file that was not read in full, and per warning, as it happens.
    ///
    /// The logger strips control characters from the path and message, which may come from
    /// the evidence.
    private static func report(_ file: DiscoveredFile, _ outcome: FileOutcome, logger: Logger) {
        let path = file.relativePath
        if outcome.state == .failed || outcome.state == .partial, let message = outcome.message {
            logger.error("\(path): \(message)")
        }
        for warning in outcome.warnings {
            logger.warning("\(path): warning: \(warning)")
        }
        logger.info("\(path): \(outcome.state.rawValue)", [("records", String(outcome.recordCount))])
    }
}
