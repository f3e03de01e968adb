import TrailCore

/// The `trailhound` command: picks the subcommand and turns its result into an exit status.
enum Trailhound {
    static let version = "0.1.0"

    /// Exit statuses, after sysexits(3) where one applies.
    enum ExitStatus {
        static let success: Int32 = 0
        static let failure: Int32 = 1
        static let usage: Int32 = 64
    }

    static func main(arguments: [String]) -> Int32 {
        guard let first = arguments.first else {
            StandardError.writeLine(HelpText.overview)
            return ExitStatus.usage
        }
        let rest = Array(arguments.dropFirst())
        do {
            switch first {
            case "--help", "-h", "help":
                return help(topic: rest.first)
            case "--version":
                print("trailhound \(version)")
                return ExitStatus.success
            case "ingest":
                return try IngestCommand(arguments: rest).run()
            case "query":
                return try QueryCommand(arguments: rest).run()
            case "show":
                return try ShowCommand(arguments: rest).run()
            case "sessions":
                return try SessionsCommand(arguments: rest).run()
            case "chain":
                return try ChainCommand(arguments: rest).run()
            case "isolate":
                return try IsolateCommand(arguments: rest).run()
            case "verify":
                return try VerifyCommand(arguments: rest).run()
            case "timeline":
                return try TimelineCommand(arguments: rest).run()
            case "investigate":
                return try InvestigateCommand(arguments: rest).run()
            case "report":
                return try ReportCommand(arguments: rest).run()
            default:
                throw UsageError(message: "Unknown command '\(first)'", command: nil)
            }
        } catch let error as UsageError {
            StandardError.writeLine("Error: \(TerminalText.sanitized(error.message))")
            StandardError.writeLine(error.command.flatMap(HelpText.usage(of:)) ?? HelpText.usageLine)
            StandardError.writeLine("See 'trailhound help\(error.command.map { " " + $0 } ?? "")'.")
            return ExitStatus.usage
        } catch {
            StandardError.writeLine("Error: \(TerminalText.sanitized(String(describing: error)))")
            return ExitStatus.failure
        }
    }

    private static func help(topic: String?) -> Int32 {
        guard let topic else {
            print(HelpText.overview)
            return ExitStatus.success
        }
        guard let text = HelpText.help(for: topic) else {
            StandardError.writeLine("Error: No help for unknown command '\(TerminalText.sanitized(topic))'")
            return ExitStatus.usage
        }
        print(text)
        return ExitStatus.success
    }
}
