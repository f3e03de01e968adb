import TrailAnalysis
import TrailCore

/// Renders `trailhound isolate`: the JSON contract, a shell script for review, or Markdown.
package enum IsolationReport {
    /// The `isolate --format json` object.
    package static func json(_ plan: IsolationPlan) -> String {
        plan.jsonValue.rendered() + "\n"
    }

    // MARK: - Shell

    /// A script that prints every command, and runs them only when given `--apply`.
    package static func shell(_ plan: IsolationPlan) -> String {
        var lines = [
            "#!/usr/bin/env bash",
            "# The event pattern's \"$or\" is JSON, single-quoted on purpose:",
            "# shellcheck disable=SC2016",
            "# trailhound isolation plan",
            "# Generated \(plan.generatedAt); sessions issued before \(plan.tokenIssueTime) are revoked.",
            comment("Subjects: " + plan.subjects.joined(separator: ", ")),
            "# \(summary(plan))",
        ]
        lines += plan.warnings.map { comment("WARNING: " + $0) }
        lines += [
            "#",
            "# This script is for review, not for blind running. Read every command: it prints them and runs",
            "# them only when given --apply. Run each account's actions with that account's credentials.",
            "set -euo pipefail",
            "",
            "apply=false",
            "if [ \"${1:-}\" = \"--apply\" ]; then apply=true; fi",
            "",
            "run() {",
            "    if [ \"$apply\" = true ]; then",
            "        \"$@\"",
            "    else",
            "        printf 'would run:'",
            "        printf ' %q' \"$@\"",
            "        printf '\\n'",
            "    fi",
            "}",
        ]
        var account: String?? = .none
        for action in plan.actions {
            if account != .some(action.accountID) {
                account = .some(action.accountID)
                lines += ["", comment("=== Account \(action.accountID ?? "unknown") ===")]
            }
            lines += [""] + shellLines(for: action)
        }
        lines += ["", "# === Alerting: an EventBridge rule for containment being applied ==="]
        lines += plan.alerting.caveats.map { comment("Note: " + $0) }
        lines.append(comment("SNS topic policy statement to add: " + plan.alerting.snsTopicPolicyStatement.rendered()))
        lines += plan.alerting.commands.map { "run " + ShellQuoting.commandLine($0) }
        if !plan.containment.isEmpty {
            lines += ["", "# === Containment already applied, from the logs ==="]
            lines += plan.containment.map { item in
                comment(
                    "\(item.action) on \(item.target) at \(item.appliedAt) (\(item.eventID ?? "?")): "
                        + (item.held ? "held" : "did NOT hold, \(item.callsAfter) successful calls after it")
                )
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func shellLines(for action: IsolationPlan.Action) -> [String] {
        var lines = [
            comment("[\(action.kind.rawValue)] \(action.target)"),
            comment("Why: \(action.reason)"),
        ]
        if !action.evidence.isEmpty { lines.append(comment("Evidence: " + action.evidence.joined(separator: ", "))) }
        lines += action.caveats.map { comment("Caveat: " + $0) }
        if action.command.isEmpty {
            lines.append("# (no command: see the caveats)")
        } else {
            lines.append("run " + ShellQuoting.commandLine(action.command))
        }
        return lines
    }

    /// A comment line; control characters from the logs (a newline above all) are made visible
    /// so that nothing ends the comment early.
    private static func comment(_ text: String) -> String {
        "# " + TerminalText.sanitized(text)
    }

    private static func summary(_ plan: IsolationPlan) -> String {
        let counts = IsolationPlan.Action.Kind.allCases.compactMap { kind -> String? in
            let count = plan.actions.filter { $0.kind == kind }.count
            return count > 0 ? "\(count) \(kind.rawValue)" : nil
        }
        let accounts = Set(plan.actions.compactMap(\.accountID)).count
        return "\(plan.actions.count) actions in \(accounts) account(s): " + counts.joined(separator: ", ")
    }

    // MARK: - Markdown

    /// The plan for a ticket or a chat.
    package static func markdown(_ plan: IsolationPlan) -> String {
        var lines = [
            "# Isolation plan",
            "",
            "Generated \(plan.generatedAt). Sessions issued before `\(plan.tokenIssueTime)` are revoked.",
            "Subjects: " + plan.subjects.map(MarkdownText.code).joined(separator: ", ") + ".",
            "",
            summary(plan) + ".",
        ]
        if !plan.warnings.isEmpty {
            lines += [""] + plan.warnings.map { "> **Warning:** " + MarkdownText.escaped($0) }
        }
        for action in plan.actions {
            lines += [
                "",
                "## \(action.kind.rawValue): \(MarkdownText.code(action.target))",
                "",
                "- Account: \(action.accountID.map(MarkdownText.code) ?? "unknown")",
                "- Why: \(MarkdownText.escaped(action.reason))",
            ]
            if !action.evidence.isEmpty {
                lines.append("- Evidence: " + action.evidence.map(MarkdownText.code).joined(separator: ", "))
            }
            lines += action.caveats.map { "- Caveat: " + MarkdownText.escaped($0) }
            if !action.command.isEmpty {
                lines += ["", "```sh", ShellQuoting.commandLine(action.command), "```"]
            }
        }
        lines += ["", "## Alerting", "", "```sh"] + plan.alerting.commands.map(ShellQuoting.commandLine) + ["```"]
        lines += [
            "", "SNS topic policy statement:", "", "```json", plan.alerting.snsTopicPolicyStatement.rendered(), "```",
        ]
        if !plan.containment.isEmpty {
            lines += ["", "## Containment already applied", ""]
            lines += plan.containment.map { item in
                "- \(item.action) on \(MarkdownText.code(item.target)) at \(item.appliedAt): "
                    + (item.held ? "held" : "**did not hold**: \(item.callsAfter) successful calls after it")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
