import Foundation
import TrailAnalysis
import TrailCore
import TrailGeo
import TrailIngest
import TrailReport
import TrailStore

/// `trailhound report DUMP...`: ingests the dumps, triages the case and writes the report folder.
struct ReportCommand {
    /// The exit status when an incident at or above `--fail-on` is found.
    static let incidentFound: Int32 = 2

    private var ingestOptions: CaseIngest.Options?
    private let databasePath: String
    private let outputFolder: String
    private var triageOptions = Triage.Options()
    private var indicatorOptions: Investigator.Options
    private let flaggedPath: String?
    private let failOn: String?
    private let progressStyle: ProgressReporter.Style
    private let logger: Logger
    private let now: Date

    init(arguments: [String], now: Date = Date()) throws(UsageError) {
        let list = try ArgumentList(
            arguments,
            command: "report",
            options: [
                "--db", "-o", "--output", "--principal", "--from", "--to", "--fail-on", "--jobs", "--max-file-bytes",
                "--baseline-days", "--geoip", "--asn", "--flagged-ips",
            ],
            flags: ["--quiet", "--verbose"]
        )
        databasePath = list.value("--db") ?? "trailhound.db"
        outputFolder = list.value("-o") ?? list.value("--output") ?? "trailhound-report"
        if !list.positionals.isEmpty {
            ingestOptions = try IngestCommand.options(
                from: list,
                databasePath: databasePath,
                command: "report",
                arguments: arguments
            )
        }
        triageOptions.principals = list.values("--principal")
        triageOptions.from = try SessionsCommand.time(list.value("--from"), option: "--from")
        triageOptions.to = try SessionsCommand.time(list.value("--to"), option: "--to")
        if let severity = list.value("--fail-on") {
            guard TechniqueTable.severities.contains(severity) else {
                throw UsageError(
                    message: "Invalid value '\(severity)' for option '--fail-on': use "
                        + TechniqueTable.severities.joined(separator: ", "),
                    command: "report"
                )
            }
        }
        failOn = list.value("--fail-on")
        // Each incident's scope is its own time; the report's window only bounds triage.
        indicatorOptions = try InvestigateCommand.options(from: list, subjects: [], command: "report")
        indicatorOptions.from = nil
        indicatorOptions.to = nil
        flaggedPath = list.value("--flagged-ips")
        logger = Logger(level: list.has("--verbose") ? .info : .notice, handler: StandardErrorLogHandler())
        progressStyle =
            list.has("--quiet") ? .none : (StandardError.isTerminal ? .live : .periodic(intervalSeconds: 5))
        self.now = now
    }

    func run() throws -> Int32 {
        // Read before a long ingest, so that a mistake in the list is reported at once.
        var indicatorOptions = indicatorOptions
        indicatorOptions.flaggedAddresses = try flaggedPath.map(FlaggedAddressList.read(path:))
        var unreadable = false
        if let ingestOptions {
            let summary = try IngestCommand.update(ingestOptions, progressStyle: progressStyle, logger: logger)
            unreadable = summary.hasErrors
        } else {
            try DatabaseFile.requireExisting(databasePath)
        }

        let generatedAt = EventTime.iso8601(milliseconds: Int64(now.timeIntervalSince1970 * 1_000))
        let report = try CaseReport.build(
            databasePath: databasePath,
            options: triageOptions,
            generatedAt: generatedAt,
            indicators: indicatorOptions
        )
        try write(report)

        print(IncidentReport.table(report), terminator: "")
        print("Report written to \(TerminalText.sanitized(outputFolder))/index.html")
        let line = IncidentReport.summaryLine(report)
        print(line)
        if let failOn, let worst = report.incidents.first,
            TechniqueTable.rank(of: worst.severity) >= TechniqueTable.rank(of: failOn)
        {
            StandardError.writeLine("\(line): failing on \(failOn)")
            return Self.incidentFound
        }
        return unreadable ? Trailhound.ExitStatus.failure : Trailhound.ExitStatus.success
    }

    /// Writes the report folder's files, each through a temporary name so that a reader never
    /// sees half a file.
    private func write(_ report: CaseReport) throws {
        let folder = URL(fileURLWithPath: outputFolder, isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let files: [(String, String)] = [
            ("index.html", IncidentHTML.render(report)),
            ("report.md", IncidentMarkdown.render(report)),
            ("report.json", IncidentReport.json(report)),
            ("timeline.jsonl", IncidentReport.jsonl(report)),
            ("timeline.csv", IncidentReport.csv(report)),
        ]
        for (name, text) in files {
            try Data(text.utf8).write(to: folder.appendingPathComponent(name), options: .atomic)
        }
    }
}
