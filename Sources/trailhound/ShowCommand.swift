import TrailCore
import TrailReport
import TrailStore

/// `trailhound show EVENT-ID...`: each event's exact record, as stored.
struct ShowCommand {
    /// An event id the case database does not hold.
    struct MissingEventError: Error, CustomStringConvertible {
        var eventID: String
        var databasePath: String

        var description: String {
            "Unable to find event '\(TerminalText.sanitized(eventID))' in "
                + "'\(TerminalText.sanitized(databasePath))'"
        }
    }

    private let eventIDs: [String]
    private let databasePath: String
    private let format: EventRecordReport.Format

    /// Parses `EVENT-ID... [--db FILE] [--format text|json]`.
    init(arguments: [String]) throws(UsageError) {
        let list = try ArgumentList(
            arguments,
            command: "show",
            options: ["--db", "--format"],
            flags: []
        )
        guard !list.positionals.isEmpty else {
            throw UsageError(
                message: "Missing EVENT-ID: give the eventID of each event to show",
                command: "show"
            )
        }
        eventIDs = list.positionals
        databasePath = list.value("--db") ?? "trailhound.db"
        format = try list.choice("--format", default: .text, command: "show")
    }

    /// Prints the events found, then names each id that was not, exiting 1 if there was one.
    func run() throws -> Int32 {
        try DatabaseFile.requireExisting(databasePath)
        let lookup = try EventLookup(databasePath: databasePath)
        var found: [StoredRecord] = []
        var missing: [MissingEventError] = []
        for eventID in eventIDs {
            let records = try lookup.records(withEventID: eventID)
            if records.isEmpty {
                missing.append(MissingEventError(eventID: eventID, databasePath: databasePath))
            }
            found += records
        }

        let rendered = EventRecordReport.render(
            found,
            as: format,
            isForTerminal: StandardOutput.isTerminal
        )
        var output = StandardOutput()
        output.write(bytes: rendered)
        output.flush()
        for error in missing {
            StandardError.writeLine("Error: \(error)")
        }
        return missing.isEmpty ? Trailhound.ExitStatus.success : Trailhound.ExitStatus.failure
    }
}
