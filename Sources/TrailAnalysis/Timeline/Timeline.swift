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
        var filter = SessionStore.Filter()
        filter.principal = subjects
        let sessions = try store.sessions(matching: filter)
        let chains = try Self.chains(of: sessions, in: store)
        let connection = try Connection(path: databasePath, mode: .readOnly)
        let bounds = (
            from.flatMap(EventTime.milliseconds(from:)) ?? Int64.min,
            to.flatMap(EventTime.milliseconds(from:)) ?? Int64.max
        )

        var seen: Set<Int64> = []
        var rows: [(Int64, Int64, TimelineRow)] = []
        let keys = JSONValue.array(sessions.map { .string($0.accessKeyId) }).rendered()
        let subjectList = JSONValue.array(subjects.map { .string($0) }).rendered()
        for (condition, value) in [
            ("access_key_id IN (SELECT value FROM json_each(?1))", keys),
            ("access_key_id IN (SELECT value FROM json_each(?1))", subjectList),
            (
                "principal_arn IN (SELECT value FROM json_each(?1)) "
                    + "AND (access_key_id IS NULL OR access_key_id NOT LIKE 'ASIA%')", subjectList
            ),
        ] {
            let statement = try connection.makeStatement(sql: Self.query(where: condition))
            try statement.forEachRow([.text(value), .integer(bounds.0), .integer(bounds.1)]) { row in
                guard let id = row.integer(at: 0), seen.insert(id).inserted else { return }
                rows.append((row.integer(at: 1) ?? 0, id, Self.row(row, chains: chains, techniques: techniques)))
            }
        }
        guard !rows.isEmpty || !sessions.isEmpty else { throw SessionChain.LookupError.notFound(subject) }
        return Timeline(subject: subject, rows: rows.sorted { ($0.0, $0.1) < ($1.0, $1.1) }.map(\.2))
    }

    private static func query(where condition: String) -> String {
        // One json_extract with every path parses each record once and returns a JSON array.
        let paths = summaryParameters.map { "'$.requestParameters.\($0)'" }.joined(separator: ", ")
        return """
            SELECT e.id, e.event_time_ms, e.event_time, e.event_id, e.recipient_account_id, e.aws_region,
                e.event_source, e.event_name, e.error_code, e.source_ip_address, e.user_agent, e.principal_arn,
                e.access_key_id, f.path, e.record_index, json_extract(e.raw, \(paths))
            FROM events e JOIN files f ON f.id = e.file_id
            WHERE (\(condition)) AND ifnull(e.event_time_ms, 0) BETWEEN ?2 AND ?3
            """
    }

    private static func row(_ row: Statement, chains: [String: [String]], techniques: TechniqueTable) -> TimelineRow {
        let key = row.text(at: 12)
        var summary: [String] = []
        var parameters: [String: String] = [:]
        let values = row.text(at: 15).flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) } as? [Any] ?? []
        for (name, value) in zip(summaryParameters, values) where !(value is NSNull) {
            parameters[name] = Self.text(of: value)
            summary.append("\(name)=\(Self.text(of: value))")
        }
        let technique = techniques.technique(
            eventSource: row.text(at: 6),
            eventName: row.text(at: 7),
            errorCode: row.text(at: 8),
            parameters: parameters
        )
        return TimelineRow(
            time: row.text(at: 2),
            eventID: row.text(at: 3),
            accountID: row.text(at: 4),
            region: row.text(at: 5),
            eventSource: row.text(at: 6),
            eventName: row.text(at: 7),
            errorCode: row.text(at: 8),
            sourceIPAddress: row.text(at: 9),
            userAgent: row.text(at: 10),
            principalARN: row.text(at: 11),
            accessKeyID: key,
            chain: key.flatMap { chains[$0] } ?? [],
            summary: summary.joined(separator: " "),
            technique: technique,
            file: row.text(at: 13),
            recordIndex: row.integer(at: 14).map { Int($0) }
        )
    }

    /// A parameter's value as text: strings as they are, anything else as JSON.
    private static func text(of value: Any) -> String {
        if let string = value as? String { return string }
        guard let data = try? JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed, .sortedKeys])
        else { return String(describing: value) }
        return String(decoding: data, as: UTF8.self)
    }

    /// For each session, the keys from the root of its chain down to it.
    private static func chains(of sessions: [Session], in store: SessionStore) throws -> [String: [String]] {
        var byKey = Dictionary(sessions.map { ($0.accessKeyId, $0) }, uniquingKeysWith: { first, _ in first })
        var chains: [String: [String]] = [:]
        for session in sessions {
            var chain = [session.accessKeyId]
            var next = session.parentAccessKeyId
            while let key = next, !chain.contains(key) {
                if byKey[key] == nil { byKey[key] = try store.session(withKey: key) }
                guard let parent = byKey[key] else { break }
                chain.insert(key, at: 0)
                next = parent.parentAccessKeyId
            }
            chains[session.accessKeyId] = chain
        }
        return chains
    }
}
