import TrailCore
import TrailIngest
import TrailStore

/// One call of the investigated principal or of a session derived from it, with the columns the
/// indicators read.
struct InvestigatedCall: Sendable {
    var rowID: Int64
    var timeMs: Int64
    var eventID: String
    var region: String?
    var eventSource: String?
    var eventName: String
    var errorCode: String?
    var sourceIPAddress: String?
    var userAgent: String?
    /// The principal that made the call: its ARN, or its access key when the record has none.
    var actor: String
    var accessKeyID: String?
    var technique: Technique?

    var failed: Bool { errorCode != nil }

    /// The call as `service:Name`, such as `iam:CreateUser`.
    var apiName: String {
        let service = eventSource.map { $0.hasSuffix(".amazonaws.com") ? String($0.dropLast(14)) : $0 }
        return service.map { "\($0):\(eventName)" } ?? eventName
    }
}

/// Reads the calls of a principal and of its session subtree, in time order, with one query
/// over the events indexes (the same selection as ``Timeline``), and the other principals that
/// shared the scope's source addresses.
enum InvestigationEvidence {
    /// The subtree's session keys and every call of the subjects, oldest first.
    static func calls(
        of subjects: [String],
        databasePath: String,
        techniques: TechniqueTable
    ) throws -> (keys: Set<String>, calls: [InvestigatedCall]) {
        let store = try SessionStore(databasePath: databasePath)
        let tree = try store.subtree(of: subjects)
        let connection = try Connection(path: databasePath, mode: .readOnly)
        let conditions = techniques.conditionParameters
        let parameterNames = Set(conditions.values.joined()).sorted()
        let selection = MemberPicker.Selection(parameterNames, inside: "requestParameters")
        let conditional = JSONValue.array(conditions.keys.sorted().map { .string($0) }).rendered()

        var calls: [InvestigatedCall] = []
        let keys = JSONValue.array(tree.map { .string($0.key) }).rendered()
        let subjectList = JSONValue.array(subjects.map { .string($0) }).rendered()
        let statement = try connection.makeStatement(sql: query)
        try statement.forEachRow([.text(keys), .text(subjectList), .text(conditional)]) { row in
            let values = row.withUTF8(at: 11) { $0.isEmpty ? [] : MemberPicker.pick(selection, of: $0) }
            var parameters: [String: String] = [:]
            for (name, value) in zip(parameterNames, values) { parameters[name] = value }
            calls.append(Self.call(row, parameters: parameters, techniques: techniques))
        }
        guard !calls.isEmpty || !tree.isEmpty else {
            throw SessionChain.LookupError.notFound(subjects.joined(separator: ", "))
        }
        calls.sort { ($0.timeMs, $0.rowID) < ($1.timeMs, $1.rowID) }
        return (Set(tree.map(\.key)), calls)
    }

    private static let query =
        Timeline.hits + "\n"
            + """
            SELECT e.id, e.event_time_ms, e.event_id, e.aws_region, e.event_source, e.event_name, e.error_code,
                e.source_ip_address, e.user_agent, e.principal_arn, e.access_key_id,
                CASE WHEN e.event_name IN (SELECT value FROM json_each(?3)) THEN \(Schema.rawRecord(of: "e")) END
            FROM hits JOIN events e ON e.id = hits.id
            WHERE \(Timeline.belongs)
            """

    private static func call(
        _ row: Statement,
        parameters: [String: String],
        techniques: TechniqueTable
    ) -> InvestigatedCall {
        let name = row.text(at: 5) ?? ""
        let key = row.text(at: 10).flatMap { $0.isEmpty ? nil : $0 }
        return InvestigatedCall(
            rowID: row.integer(at: 0) ?? 0,
            timeMs: row.integer(at: 1) ?? 0,
            eventID: row.text(at: 2) ?? "",
            region: row.text(at: 3),
            eventSource: row.text(at: 4),
            eventName: name,
            errorCode: row.text(at: 6),
            sourceIPAddress: row.text(at: 7),
            userAgent: row.text(at: 8),
            actor: row.text(at: 9) ?? key ?? "unknown",
            accessKeyID: key,
            technique: techniques.technique(
                eventSource: row.text(at: 4),
                eventName: name,
                errorCode: row.text(at: 6),
                parameters: parameters
            )
        )
    }

    /// A principal outside the subtree that called from one of the scope's source addresses
    /// with the same user agent.
    struct Neighbour: Sendable {
        var actor: String
        var accessKeyID: String?
        var sourceIPAddress: String
        var userAgent: String
        var calls: Int
        var firstEventID: String
    }

    /// The calls of other principals within `windows` (disjoint, in milliseconds) from the
    /// addresses and user agents of `pairs`, found through the time index (there is none on
    /// source addresses), so the windows keep the scan short.
    static func neighbours(
        sharing pairs: Set<AddressAgent>,
        during windows: [ClosedRange<Int64>],
        excludingKeys keys: Set<String>,
        actors: Set<String>,
        databasePath: String
    ) throws -> [Neighbour] {
        guard !pairs.isEmpty, !windows.isEmpty else { return [] }
        let connection = try Connection(path: databasePath, mode: .readOnly)
        let addresses = JSONValue.array(Set(pairs.map(\.address)).sorted().map { .string($0) }).rendered()
        let statement = try connection.makeStatement(
            sql: """
                SELECT principal_arn, access_key_id, source_ip_address, user_agent, count(*), min(event_id)
                FROM events INDEXED BY events_time
                WHERE event_time_ms BETWEEN ?1 AND ?2 AND source_ip_address IN (SELECT value FROM json_each(?3))
                GROUP BY 1, 2, 3, 4
                """
        )
        var found = NeighbourTally()
        for window in windows {
            try statement.forEachRow([.integer(window.lowerBound), .integer(window.upperBound), .text(addresses)]) {
                row in
                let key = row.text(at: 1).flatMap { $0.isEmpty ? nil : $0 }
                // A call with neither a principal nor a key (an anonymous or service call) names
                // no one to relate.
                guard let actor = row.text(at: 0) ?? key, let address = row.text(at: 2), let agent = row.text(at: 3),
                    pairs.contains(AddressAgent(address: address, userAgent: agent)),
                    key.map({ !keys.contains($0) }) ?? true, !actors.contains(actor)
                else { return }
                found.add(
                    Neighbour(
                        actor: actor,
                        accessKeyID: key,
                        sourceIPAddress: address,
                        userAgent: agent,
                        calls: Int(row.integer(at: 4) ?? 0),
                        firstEventID: row.text(at: 5) ?? ""
                    )
                )
            }
        }
        return found.neighbours
    }

    /// Neighbours found in several windows, summed per principal, key, address and agent.
    private struct NeighbourTally {
        private var order: [String] = []
        private var found: [String: Neighbour] = [:]

        var neighbours: [Neighbour] { order.compactMap { found[$0] } }

        mutating func add(_ neighbour: Neighbour) {
            let identity = [
                neighbour.actor, neighbour.accessKeyID ?? "", neighbour.sourceIPAddress, neighbour.userAgent,
            ]
            .joined(separator: "\n")
            guard var known = found[identity] else {
                order.append(identity)
                found[identity] = neighbour
                return
            }
            known.calls += neighbour.calls
            known.firstEventID = min(known.firstEventID, neighbour.firstEventID)
            found[identity] = known
        }
    }
}

/// A source address with the user agent that called from it.
struct AddressAgent: Hashable, Sendable {
    var address: String
    var userAgent: String
}
