import Foundation
import TrailCore

/// An ATT&CK technique a call maps to.
package struct Technique: Equatable, Sendable {
    package var tactic: String
    package var techniqueID: String
    package var name: String
    package var severity: String

    package var jsonValue: JSONValue {
        .object([
            ("tactic", .string(tactic)), ("techniqueId", .string(techniqueID)), ("name", .string(name)),
            ("severity", .string(severity)),
        ])
    }
}

/// The map from CloudTrail calls to ATT&CK techniques, read from `techniques.tsv`, a data file
/// kept in the repository (its header says how to extend it).
package struct TechniqueTable: Sendable {
    /// A row of the table.
    struct Rule: Sendable {
        enum Condition: Sendable, Equatable {
            case any, success, error
            case parameterContains(name: String, text: String)
        }

        var eventSource: String
        var eventName: String
        var condition: Condition
        var technique: Technique
    }

    /// A malformed line of the table: a programmer's mistake caught by the tests.
    package struct FormatError: Error, CustomStringConvertible {
        package var line: Int
        package var reason: String
        package var description: String { "techniques.tsv line \(line): \(reason)" }
    }

    package static let severities = ["informational", "low", "medium", "high", "critical"]

    /// The source column of rows that name a behaviour found across calls, not a call.
    package static let behaviourSource = "trailhound"

    private var rules: [String: [Rule]] = [:]

    /// The table shipped with trailhound.
    package static func bundled() throws -> TechniqueTable {
        guard let url = Bundle.module.url(forResource: "techniques", withExtension: "tsv") else {
            throw FormatError(line: 0, reason: "the file is missing from the build")
        }
        return try TechniqueTable(text: String(contentsOf: url, encoding: .utf8))
    }

    /// Parses the table's text.
    package init(text: String) throws(FormatError) {
        for (offset, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            guard !line.hasPrefix("#"), !line.trimmingCharacters(in: .whitespaces).isEmpty else { continue }
            let rule = try Self.rule(from: line, number: offset + 1)
            rules[rule.eventSource + " " + rule.eventName, default: []].append(rule)
        }
    }

    private static func rule(from line: Substring, number: Int) throws(FormatError) -> Rule {
        let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        guard fields.count == 7 else { throw FormatError(line: number, reason: "expected 7 tab-separated fields") }
        guard severities.contains(fields[6]) else {
            throw FormatError(line: number, reason: "unknown severity '\(fields[6])'")
        }
        let condition: Rule.Condition
        switch fields[2] {
        case "": condition = .any
        case "success": condition = .success
        case "error": condition = .error
        case let text:
            let parts = text.split(separator: "~", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { throw FormatError(line: number, reason: "unknown condition '\(text)'") }
            condition = .parameterContains(name: parts[0], text: parts[1])
        }
        let technique = Technique(tactic: fields[3], techniqueID: fields[4], name: fields[5], severity: fields[6])
        return Rule(eventSource: fields[0], eventName: fields[1], condition: condition, technique: technique)
    }

    /// The technique of a call, by the first matching row.
    ///
    /// - Parameter parameters: The call's request parameters that conditions may name.
    package func technique(
        eventSource: String?,
        eventName: String?,
        errorCode: String?,
        parameters: [String: String]
    ) -> Technique? {
        guard let eventSource, let eventName else { return nil }
        return rules[eventSource + " " + eventName]?.first { rule in
            switch rule.condition {
            case .any: true
            case .success: errorCode == nil
            case .error: errorCode != nil
            case .parameterContains(let name, let text): parameters[name]?.contains(text) == true
            }
        }?.technique
    }

    /// The technique of a behaviour that triage finds across calls, such as `DiscoveryBurst`.
    package func behaviour(_ name: String) -> Technique? {
        rules[Self.behaviourSource + " " + name]?.first?.technique
    }

    /// The request parameters that some row's condition on `eventName` reads.
    package var conditionParameters: [String: Set<String>] {
        var result: [String: Set<String>] = [:]
        for rule in rules.values.joined() {
            if case .parameterContains(let name, _) = rule.condition {
                result[rule.eventName, default: []].insert(name)
            }
        }
        return result
    }

    /// The rank of a severity name, from 0 (informational) to 4 (critical); -1 when unknown.
    package static func rank(of severity: String) -> Int {
        severities.firstIndex(of: severity) ?? -1
    }
}
