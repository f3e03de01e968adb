import TrailAnalysis
import TrailCore
import TrailGeo
import TrailReport

/// `trailhound investigate`: whether a principal and its session tree show indicators of
/// compromise over a scope time, against its baseline.
struct InvestigateCommand {
    private let databasePath: String
    private let options: Investigator.Options
    private let flaggedPath: String?
    private let format: InvestigationReport.Format

    init(arguments: [String]) throws(UsageError) {
        let list = try ArgumentList(
            arguments,
            command: "investigate",
            options: ["--db", "--from", "--to", "--baseline-days", "--geoip", "--asn", "--flagged-ips", "--format"],
            flags: []
        )
        guard list.positionals.count == 1, let subject = list.positionals.first else {
            throw UsageError(message: "Expected one principal ARN or access key", command: "investigate")
        }
        databasePath = list.value("--db") ?? "trailhound.db"
        options = try Self.options(from: list, subjects: [subject], command: "investigate")
        flaggedPath = list.value("--flagged-ips")
        format = try list.choice("--format", default: .table, command: "investigate")
    }

    /// The investigation options of `list` shared by `investigate` and `report`, without the
    /// flagged list, which is read when the command runs.
    static func options(
        from list: ArgumentList,
        subjects: [String],
        command: String
    ) throws(UsageError) -> Investigator.Options {
        var options = Investigator.Options(subjects: subjects)
        options.from = try SessionsCommand.time(list.value("--from"), option: "--from")
        options.to = try SessionsCommand.time(list.value("--to"), option: "--to")
        if let from = options.from, let to = options.to, from > to {
            throw UsageError(message: "The time of '--from' is after that of '--to'", command: command)
        }
        if let text = list.value("--baseline-days") {
            guard let days = Int(text), (1...3650).contains(days) else {
                throw UsageError(
                    message:
                        "Invalid value '\(text)' for option '--baseline-days': use a number of days from 1 to 3650",
                    command: command
                )
            }
            options.baselineDays = days
        }
        options.cityDatabasePath = list.value("--geoip")
        options.asnDatabasePath = list.value("--asn")
        return options
    }

    func run() throws -> Int32 {
        try DatabaseFile.requireExisting(databasePath)
        var options = options
        options.flaggedAddresses = try flaggedPath.map(FlaggedAddressList.read(path:))
        let investigation = try Investigator.investigate(databasePath: databasePath, options: options)
        var output = StandardOutput()
        output.write(InvestigationReport.render(investigation, as: format))
        output.flush()
        return Trailhound.ExitStatus.success
    }
}
