import Foundation
import TrailCore
import TrailIngest
import TrailStore

/// The time-ordered activity of a principal and of every session derived from it.
package struct Timeline {
    /// Request parameters worth a glance, in the order they are shown.
    private static let summaryParameters = [
        "roleArn", "roleSessionName", "userName", "groupName", "policyArn", "policyName", "bucketName", "key",
        "instanceId", "name", "secretId", "trailName", "functionName",
    ]

    private static let summarySelection = MemberPicker.Selection(summaryParameters, inside: "requestParameters")

    package var subject: String
    package var rows: [TimelineRow]

    /// Builds the timeline of `subject` (an ARN or access key) between `from` and `to` (ISO 8601).
    ///
    /// - Throws: `SessionChain.LookupError.notFound` when nothing in the database matches.
    package static func build(subject: String, databasePath: String, from: String? = nil, to: String? = nil) throws
        -> Timeline
    {
        try build(subjects: [subject], databasePath: databasePath, from: from, to: to)
    }

    /// Builds the timeline of several subjects at once, such as the root sessions of an origin
    /// that has no ARN.
    ///
    /// - Parameter techniques: The technique table, when the caller has it already.
    package static func build(
        subjects: [String],
        databasePath: String,
        from: String? = nil,
        to: String? = nil,
        techniques: TechniqueTable? = nil
    ) throws -> Timeline {
        let subject = subjects.joined(separator: ", ")
        let store = try SessionStore(databasePath: databasePath)
        let techniques = try techniques ?? TechniqueTable.bundled()
        let tree = try store.subtree(of: subjects)
        let chains = try Self.chains(of: tree, in: store)
        let connection = try Connection(path: databasePath, mode: .readOnly)
        let bounds = (
            from.flatMap(EventTime.milliseconds(from:)) ?? Int64.min,
            to.flatMap(EventTime.milliseconds(from:)) ?? Int64.max
        )

        var rows: [TimelineRow] = []
        var order: [(time: Int64, id: Int64)] = []
        let keys = JSONValue.array(tree.map { .string($0.key) }).rendered()
        let subjectList = JSONValue.array(subjects.map { .string($0) }).rendered()
        let statement = try connection.makeStatement(sql: Self.query)
        try statement.forEachRow([.text(keys), .text(subjectList), .integer(bounds.0), .integer(bounds.1)]) { row in
            order.append((row.integer(at: 1) ?? 0, row.integer(at: 0) ?? 0))
            rows.append(Self.row(row, chains: chains, techniques: techniques))
        }
        guard !rows.isEmpty || !tree.isEmpty else { throw SessionChain.LookupError.notFound(subject) }
        // Sorting positions rather than rows saves copying every row's strings around.
        let sorted = order.indices.sorted { (order[$0].time, order[$0].id) < (order[$1].time, order[$1].id) }
        return Timeline(subject: subject, rows: sorted.map { rows[$0] })
    }

    /// The ids of the subtree's calls, each once, whichever arm found it.
    ///
    /// The arms: calls made with the subtree's session keys (a JSON array bound to `?1`) or the
    /// subjects' own keys (`?2`), and the calls a subject made with long-term credentials. Each
    /// arm is one lookup in an events index.
    static let hits = """
        WITH hits(id) AS (
            SELECT id FROM events WHERE access_key_id IN (
                SELECT value FROM json_each(?1) UNION SELECT value FROM json_each(?2))
            UNION
            SELECT id FROM events WHERE principal_arn IN (SELECT value FROM json_each(?2))
                AND (access_key_id IS NULL OR access_key_id NOT LIKE 'ASIA%')
        )
        """

    private static let query =
        hits + "\n"
            + """
            SELECT e.id, e.event_time_ms, e.event_time, e.event_id, e.recipient_account_id, e.aws_region,
                e.event_source, e.event_name, e.error_code, e.source_ip_address, e.user_agent, e.principal_arn,
                e.access_key_id, f.path, e.record_index, e.raw
            FROM hits JOIN events e ON e.id = hits.id JOIN files f ON f.id = e.file_id
            WHERE ifnull(e.event_time_ms, 0) BETWEEN ?3 AND ?4
            """

    private static func row(_ row: Statement, chains: [String: [String]], techniques: TechniqueTable) -> TimelineRow {
        let key = row.text(at: 12)
        var summary = ""
        var parameters: [String: String] = [:]
        // Picking the few members from the stored text is several times faster than SQLite's
        // json_extract, which parses the whole record.
        let values = row.withUTF8(at: 15) { MemberPicker.pick(summarySelection, of: $0) }
        for (name, value) in zip(summaryParameters, values) {
            guard let value else { continue }
            parameters[name] = value
            if !summary.isEmpty { summary += " " }
            summary += name + "=" + value
        }
        let (source, name, error) = (row.text(at: 6), row.text(at: 7), row.text(at: 8))
        let technique = techniques.technique(
            eventSource: source,
            eventName: name,
            errorCode: error,
            parameters: parameters
        )
        return TimelineRow(
            time: row.text(at: 2),
            eventID: row.text(at: 3),
            accountID: row.text(at: 4),
            region: row.text(at: 5),
            eventSource: source,
            eventName: name,
            errorCode: error,
            sourceIPAddress: row.text(at: 9),
            userAgent: row.text(at: 10),
            principalARN: row.text(at: 11),
            accessKeyID: key,
            chain: key.flatMap { chains[$0] } ?? [],
            summary: summary,
            technique: technique,
            file: row.text(at: 13),
            recordIndex: row.integer(at: 14).map { Int($0) }
        )
    }

    /// For each session of the subtree, the keys from the root of its chain down to it.
    private static func chains(of tree: [SessionStore.TreeEdge], in store: SessionStore) throws -> [String: [String]] {
        var parents = Dictionary(tree.map { ($0.key, $0.parent) }, uniquingKeysWith: { first, _ in first })
        var chains: [String: [String]] = [:]
        for edge in tree {
            var chain = [edge.key]
            var next = edge.parent
            while let key = next, !chain.contains(key) {
                if parents[key] == nil {
                    guard let outside = try store.edge(ofKey: key) else { break }
                    parents.updateValue(outside.parent, forKey: key)
                }
                chain.insert(key, at: 0)
                next = parents[key] ?? nil
            }
            chains[edge.key] = chain
        }
        return chains
    }
}
