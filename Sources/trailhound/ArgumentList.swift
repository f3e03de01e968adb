/// A command-line mistake: printed with the command's usage, exit status 64.
struct UsageError: Error {
    var message: String
    var command: String?
}

/// The parsed arguments of one subcommand: `--name value` options, flags and positionals.
struct ArgumentList {
    private(set) var positionals: [String] = []
    private var values: [String: [String]] = [:]
    private var flags: Set<String> = []

    /// Parses `arguments` for `command`.
    ///
    /// - Parameters:
    ///   - options: Names (with dashes) of options that take a value.
    ///   - flags: Names of options that take none.
    /// - Throws: `UsageError` for an unknown option or a missing value.
    init(_ arguments: [String], command: String, options: Set<String>, flags: Set<String>) throws(UsageError) {
        var index = 0
        var onlyPositionals = false
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if onlyPositionals || !argument.hasPrefix("-") || argument == "-" {
                positionals.append(argument)
            } else if argument == "--" {
                onlyPositionals = true
            } else if flags.contains(argument) {
                self.flags.insert(argument)
            } else if options.contains(argument) {
                guard index < arguments.count else {
                    throw UsageError(message: "Missing value for option '\(argument)'", command: command)
                }
                values[argument, default: []].append(arguments[index])
                index += 1
            } else {
                throw UsageError(message: "Unknown option '\(argument)'", command: command)
            }
        }
    }

    /// The last value given for `option`.
    func value(_ option: String) -> String? {
        values[option]?.last
    }

    /// Every value given for a repeatable `option`, in order.
    func values(_ option: String) -> [String] {
        values[option] ?? []
    }

    func has(_ flag: String) -> Bool {
        flags.contains(flag)
    }

    /// The value of `option` as one of `Choice`'s raw values.
    func choice<Choice: RawRepresentable>(
        _ option: String,
        default defaultValue: Choice,
        command: String
    ) throws(UsageError) -> Choice where Choice.RawValue == String {
        guard let text = value(option) else { return defaultValue }
        guard let choice = Choice(rawValue: text) else {
            throw UsageError(message: "Invalid value '\(text)' for option '\(option)'", command: command)
        }
        return choice
    }
}
