import TrailAnalysis
import TrailCore

/// Renders `trailhound sessions` and `trailhound chain`.
package enum SessionReport {
    // MARK: - sessions

    /// The `sessions --format json` array.
    package static func json(_ sessions: [Session]) -> String {
        JSONValue.array(sessions.map(\.jsonValue)).rendered() + "\n"
    }

    /// A table for a person; every cell is stripped of control characters.
    package static func table(_ sessions: [Session]) -> String {
        let columns = [
            "accessKeyId", "kind", "session", "account", "issued", "assumed by", "parent", "origin", "depth", "flags",
            "source identity", "calls", "errors", "first", "last", "source IPs", "user agents",
        ]
        let rows = sessions.map { session in
            [
                session.accessKeyId,
                session.kind ?? "?",
                session.sessionArn ?? session.roleArn ?? "",
                session.accountId ?? "",
                session.issuedAt ?? "",
                [session.assumedBy.type, session.assumedBy.arn ?? session.assumedBy.service].compactMap { $0 }
                    .joined(separator: " "),
                session.parentAccessKeyId ?? "",
                describe(session.origin),
                String(session.chainDepth),
                flags(session),
                session.sourceIdentity ?? "",
                String(session.eventCount),
                String(session.errorCount),
                session.firstEventTime ?? "",
                session.lastEventTime ?? "",
                session.sourceIPAddresses.joined(separator: " "),
                session.userAgents.joined(separator: " | "),
            ]
        }
        return TabularText.table(columns: columns, rows: rows)
    }

    // MARK: - chain

    /// The `chain --format json` object.
    package static func json(_ chain: SessionChain) -> String {
        var members: [(String, JSONValue)] = [
            ("ancestors", .array(chain.ancestors.map(\.jsonValue))),
            ("session", chain.session?.jsonValue ?? .null),
            ("descendants", .array(chain.descendants.map(json))),
        ]
        if let principal = chain.principal { members.insert(("principal", .string(principal)), at: 0) }
        return JSONValue.object(members).rendered() + "\n"
    }

    private static func json(_ node: SessionChain.Node) -> JSONValue {
        .object(node.session.jsonMembers + [("descendants", .array(node.children.map(json)))])
    }

    /// The chain as an indented tree, the asked-for session marked.
    package static func tree(_ chain: SessionChain) -> String {
        var lines: [String] = []
        let top = chain.ancestors.first ?? chain.session
        if let principal = chain.principal {
            lines.append("principal " + TerminalText.sanitized(principal))
        } else if let top {
            lines.append(describe(top.origin))
        }
        var depth = 0
        for session in chain.ancestors {
            lines.append(indent(depth) + line(for: session))
            depth += 1
        }
        if let session = chain.session {
            lines.append(indent(depth) + line(for: session) + "   <== this session")
            depth += 1
        }
        appendTree(chain.descendants, depth: depth, to: &lines)
        return lines.joined(separator: "\n") + "\n"
    }

    private static func appendTree(_ nodes: [SessionChain.Node], depth: Int, to lines: inout [String]) {
        for node in nodes {
            lines.append(indent(depth) + line(for: node.session))
            appendTree(node.children, depth: depth + 1, to: &lines)
        }
    }

    private static func indent(_ depth: Int) -> String {
        String(repeating: "    ", count: depth) + "└── "
    }

    private static func line(for session: Session) -> String {
        var parts = [session.accessKeyId, session.kind ?? "(issuing call not in the dump)"]
        if let target = session.sessionArn ?? session.roleArn { parts.append(target) }
        let flagText = flags(session)
        if !flagText.isEmpty { parts.append("[\(flagText)]") }
        parts.append("\(session.eventCount) calls")
        if session.errorCount > 0 { parts.append("\(session.errorCount) errors") }
        if let first = session.firstEventTime, let last = session.lastEventTime { parts.append("\(first) .. \(last)") }
        if !session.sourceIPAddresses.isEmpty {
            parts.append("from " + session.sourceIPAddresses.joined(separator: ", "))
        }
        return TerminalText.sanitized(parts.joined(separator: "  "))
    }

    private static func flags(_ session: Session) -> String {
        var flags: [String] = []
        if session.roleChaining { flags.append("role chaining") }
        if session.crossAccount { flags.append("cross-account") }
        return flags.joined(separator: ", ")
    }

    private static func describe(_ origin: Session.Origin) -> String {
        let parts = [origin.type, origin.arn, origin.name, origin.service, origin.resource].compactMap { $0 }
        return TerminalText.sanitized(parts.isEmpty ? "unknown origin" : parts.joined(separator: " "))
    }
}
