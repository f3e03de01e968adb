import TrailAnalysis
import TrailCore

/// An incident's isolation plan: each containment action with its AWS CLI command quoted for a
/// shell, the alerting rule, and containment found already applied in the logs.
extension IncidentHTML {
    /// The most event IDs listed as an action's evidence; report.json holds the rest.
    static let evidenceLimit = 10

    /// The plan of `incident`, or why there is none.
    static func isolation(for incident: Incident, report: CaseReport) -> [String] {
        var parts = ["<h3>Isolation plan</h3>"]
        guard let plan = report.plans[incident.id] else {
            let problem = report.planProblems[incident.id] ?? "No plan was made for this incident."
            return parts + ["<p class=\"problem\">\(HTMLText.escaped(problem))</p>"]
        }
        parts.append(
            "<p>Generated \(HTMLText.escaped(plan.generatedAt)); sessions issued before "
                + "\(code(plan.tokenIssueTime)) are revoked. "
                + "Subjects: \(codeList(plan.subjects)). Review every command before running it, "
                + "with the credentials of the action's account.</p>"
        )
        parts += plan.warnings.map { warning in
            "<p class=\"warning\"><strong>Warning:</strong> \(HTMLText.escaped(warning))</p>"
        }
        parts += plan.actions.map(action)
        parts += alerting(plan.alerting)
        parts += containment(plan.containment)
        return parts
    }

    private static func action(_ action: IsolationPlan.Action) -> String {
        let kind = "<span class=\"kind\">\(HTMLText.escaped(action.kind.rawValue))</span>"
        var parts = [
            "<div class=\"action\">", "<h4>\(kind) \(code(action.target))</h4>",
            facts([
                ("Account", action.accountID.map(code) ?? "unknown"),
                ("Why", HTMLText.escaped(action.reason)),
                ("Evidence", limitedCodeList(action.evidence, limit: evidenceLimit)),
            ]),
        ]
        if action.command.isEmpty {
            parts.append("<p class=\"note\">No command can do this: see the caveats.</p>")
        } else {
            parts.append(commandBlock(action.command))
        }
        if let document = action.policyDocument {
            parts += ["<p class=\"label\">Policy document</p>", jsonBlock(document)]
        }
        parts += caveats(action.caveats)
        parts.append("</div>")
        return parts.joined(separator: "\n")
    }

    /// An argv as one shell-quoted line, as the isolation script would run it.
    private static func commandBlock(_ arguments: [String]) -> String {
        let line = ShellQuoting.commandLine(arguments)
        return "<pre class=\"command\">\(HTMLText.preformatted(line))</pre>"
    }

    private static func jsonBlock(_ value: JSONValue) -> String {
        "<pre class=\"json\">\(HTMLText.preformatted(prettyJSON(value)))</pre>"
    }

    private static func caveats(_ caveats: [String]) -> [String] {
        guard !caveats.isEmpty else { return [] }
        let items = caveats.map { HTMLText.element("li", $0) }
        return ["<ul class=\"caveats\">" + items.joined() + "</ul>"]
    }

    private static func alerting(_ alerting: IsolationPlan.Alerting) -> [String] {
        var parts = [
            "<div class=\"alerting\">",
            "<h4>Alerting: an EventBridge rule for containment being applied</h4>",
        ]
        parts += caveats(alerting.caveats)
        parts += [
            "<p class=\"label\">Event pattern</p>", jsonBlock(alerting.eventPattern),
            "<p class=\"label\">SNS topic policy statement to add</p>",
            jsonBlock(alerting.snsTopicPolicyStatement),
        ]
        if !alerting.commands.isEmpty {
            parts.append("<p class=\"label\">Commands</p>")
            parts += alerting.commands.map(commandBlock)
        }
        parts.append("</div>")
        return parts
    }

    private static func containment(_ items: [IsolationPlan.Containment]) -> [String] {
        guard !items.isEmpty else { return [] }
        let rows = items.map { item in
            let outcome =
                item.held
                ? "<td class=\"held\">held</td>"
                : "<td class=\"not-held\">did not hold: \(item.callsAfter) successful calls "
                    + "after it</td>"
            return [
                cell(item.target, className: "mono"), cell(item.action),
                cell(item.appliedAt, className: "time"),
                cell(item.eventID ?? "", className: "mono"),
                outcome,
            ]
        }
        let columns = ["target", "action", "applied at", "event ID", "outcome"]
        return [
            "<h4>Containment already applied, from the logs</h4>",
            table(columns: columns, rows: rows, className: "containment"),
        ]
    }

    // MARK: - JSON

    /// `value` as indented JSON, for reading; strings and keys are escaped by ``JSONValue``.
    ///
    /// Short lists of scalars, such as `"Action": ["*"]`, stay on one line.
    static func prettyJSON(_ value: JSONValue, indent: String = "") -> String {
        let inner = indent + "  "
        switch value {
        case .array(let items) where !items.isEmpty && !isShortScalarList(items):
            let lines = items.map { inner + prettyJSON($0, indent: inner) }
            return "[\n" + lines.joined(separator: ",\n") + "\n\(indent)]"
        case .object(let members) where !members.isEmpty:
            let lines = members.map { key, member in
                inner + JSONValue.string(key).rendered() + ": " + prettyJSON(member, indent: inner)
            }
            return "{\n" + lines.joined(separator: ",\n") + "\n\(indent)}"
        default:
            return value.rendered()
        }
    }

    /// Whether `items` are strings, numbers or Booleans short enough to read on one line.
    private static func isShortScalarList(_ items: [JSONValue]) -> Bool {
        let scalars = items.allSatisfy { item in
            switch item {
            case .array, .object: return false
            default: return true
            }
        }
        return scalars && JSONValue.array(items).rendered().count <= 60
    }
}
