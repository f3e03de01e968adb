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
    /// - Parameters:
    ///   - techniques: The technique table, when the caller has it already.
    ///   - rowsPerPart: Below this many calls, one core builds every row.
    package static func build(
        subjects: [String],
        databasePath: String,
        from: String? = nil,
        to: String? = nil,
        techniques: TechniqueTable? = nil,
        rowsPerPart: Int = 4_000
    ) throws -> Timeline {
        let subject = subjects.joined(separator: ", ")
        let store = try SessionStore(databasePath: databasePath)
        let techniques = try techniques ?? TechniqueTable.bundled()
        let tree = try store.subtree(of: subjects)
        let chains = try Self.chains(of: tree, in: store)
        let bounds = (
            from.flatMap(EventTime.milliseconds(from:)) ?? Int64.min,
            to.flatMap(EventTime.milliseconds(from:)) ?? Int64.max
        )
        let keys = JSONValue.array(tree.map { .string($0.key) }).rendered()
        let subjectList = JSONValue.array(subjects.map { .string($0) }).rendered()
        // Found by key: positive ids; found by principal only: negative, checked against the key later.
        var hits: [Int64] = []
        try Connection(path: databasePath, mode: .readOnly).makeStatement(sql: Self.hitIDs)
            .forEachRow([.text(keys), .text(subjectList)]) { hits.append($0.integer(at: 0) ?? 0) }
        let ids = hits.sorted { abs($0) < abs($1) }

        // A big tree's rows are read and built on every core, each part from its own connection
        // over a run of ids, which keeps each part's reads in one stretch of the file.
        let parts = ids.count < rowsPerPart ? 1 : Parallel.partCount(limit: 4)
        var built = try Parallel.map(parts) { part in
            let slice = Parallel.slices(of: ids.indices, count: parts)[part]
            let list = JSONValue.array(ids[slice].map { .int(Int($0)) }).rendered()
            var order: [(time: Int64, id: Int64)] = []
            var rows: [TimelineRow] = []
            order.reserveCapacity(slice.count)
            rows.reserveCapacity(slice.count)
            let connection = try Connection(path: databasePath, mode: .readOnly)
            let statement = try connection.makeStatement(sql: Self.rowsQuery)
            try statement.forEachRow([.text(list), .integer(bounds.0), .integer(bounds.1)]) { row in
                order.append((row.integer(at: 1) ?? 0, row.integer(at: 0) ?? 0))
                rows.append(Self.row(row, chains: chains, techniques: techniques))
            }
            return (order, rows)
        }
        let order = built.flatMap(\.0)
        // The first part's rows are taken over, not copied; the rest are appended to them.
        var rows = built[0].1
        built[0].1 = []
        for part in built.dropFirst() { rows.append(contentsOf: part.1) }
        built = []
        guard !rows.isEmpty || !tree.isEmpty else { throw SessionChain.LookupError.notFound(subject) }
        // Sorting positions, then moving rows into place, saves copying every row's strings.
        let sorted = order.indices.sorted { (order[$0].time, order[$0].id) < (order[$1].time, order[$1].id) }
        rows.permute(to: sorted)
        return Timeline(subject: subject, rows: rows)
    }

    /// The candidate calls of the subtree, each once: `hits(id, by_key)`.
    ///
    /// The arms: calls made with the subtree's session keys (a JSON array bound to `?1`) or the
    /// subjects' own keys (`?2`), found by key (`by_key` 1), and calls whose principal is a
    /// subject (`by_key` 0). Each arm reads only an events index; of the second arm's calls, only
    /// those made with long-term credentials belong to the timeline (`belongs`), which is checked
    /// on the rows themselves so the index lookup need not read every row twice.
    static let hits = """
        WITH hits(id, by_key) AS (
            SELECT id, max(by_key) FROM (
                SELECT id, 1 AS by_key FROM events WHERE access_key_id IN (
                    SELECT value FROM json_each(?1) UNION SELECT value FROM json_each(?2))
                UNION ALL
                SELECT id, 0 FROM events WHERE principal_arn IN (SELECT value FROM json_each(?2)))
            GROUP BY id
        )
        """

    /// Whether the candidate `hits` row joined as `e` belongs to the timeline.
    static let belongs = "(hits.by_key = 1 OR e.access_key_id IS NULL OR e.access_key_id NOT LIKE 'ASIA%')"

    private static let hitIDs = hits + "\nSELECT CASE WHEN by_key = 1 THEN id ELSE -id END FROM hits"

    /// The timeline columns of the events whose ids are in the JSON array `?1` (negative for
    /// those found by principal only), between `?2` and `?3` (epoch milliseconds).
    private static let rowsQuery = """
        SELECT e.id, e.event_time_ms, e.event_time, e.event_id, e.recipient_account_id, e.aws_region,
            e.event_source, e.event_name, e.error_code, e.source_ip_address, e.user_agent, e.principal_arn,
            e.access_key_id, f.path, e.record_index, \(Schema.rawRecord(of: "e"))
        FROM (SELECT abs(value) AS id, value > 0 AS by_key FROM json_each(?1)) AS hits
            JOIN events e ON e.id = hits.id JOIN files f ON f.id = e.file_id
        WHERE ifnull(e.event_time_ms, 0) BETWEEN ?2 AND ?3 AND \(belongs)
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

extension Array {
    /// Rearranges the elements so that position `k` holds the one that was at `positions[k]`,
    /// by moving them along the permutation's cycles instead of copying the array.
    ///
    /// - Precondition: `positions` is a permutation of the array's indices.
    mutating func permute(to positions: [Int]) {
        precondition(positions.count == count, "a permutation covers every element")
        var placed = [Bool](repeating: false, count: count)
        withUnsafeMutableBufferPointer { elements in
            for start in elements.indices where !placed[start] {
                placed[start] = true
                var current = start
                while positions[current] != start {
                    let next = positions[current]
                    elements.swapAt(current, next)
                    placed[next] = true
                    current = next
                }
            }
        }
    }
}
