import Foundation
import TrailCore
import TrailStore

/// Keeps the session graph in the case database and answers questions about it.
///
/// The graph is derived data: it is rebuilt whenever the events have changed since it was
/// built, so a database from any ingest answers correctly.
package struct SessionStore {
    /// Filters of `trailhound sessions`.
    package struct Filter: Sendable {
        package var accountID: String?
        package var roleARN: String?
        /// An ARN or access key: sessions obtained by it or derived from them.
        ///
        /// A role ARN selects the role's sessions.
        package var principal: [String] = []
        /// ISO 8601 bounds on the session's activity (or issue time when it made no call).
        package var from: String?
        package var to: String?

        package init() {}
    }

    private let connection: Connection

    /// Opens the graph of the database at `path`, rebuilding it when it is out of date.
    package init(databasePath: String) throws {
        connection = try Connection(path: databasePath)
        try Schema.migrate(connection)
        if try isStale() { try rebuild() }
        // The graph is read through its indexes or in one pass: the writer's large page cache
        // would only hold pages read once, 60 MB of a report's memory on a million events.
        try connection.execute("PRAGMA cache_size = -\(Self.readerCacheKiB)")
    }

    /// The page cache of a store that reads the graph, in KiB.
    static let readerCacheKiB = 8_192

    /// Rebuilds the graph of the database at `path` from its events.
    ///
    /// - Parameter busyTimeoutMilliseconds: How long its writes wait for another connection's.
    /// - Returns: The number of sessions.
    @discardableResult
    package static func rebuild(
        databasePath: String,
        busyTimeoutMilliseconds: Int32 = Connection.defaultBusyTimeout
    ) throws -> Int {
        let connection = try Connection(path: databasePath)
        connection.busyTimeoutMilliseconds = busyTimeoutMilliseconds
        try Schema.migrate(connection)
        return try SessionStore(connection: connection).rebuild()
    }

    private init(connection: Connection) {
        self.connection = connection
    }

    // MARK: - Building

    /// What the graph was built from: the last event id.
    ///
    /// Ingest only ever appends events, so the last id changes whenever the events do, and
    /// reading it is one index lookup where a count would scan a million rows.
    private func eventsStamp() throws(SQLiteError) -> String {
        let rows = try connection.makeStatement(sql: "SELECT ifnull(max(id), 0) FROM events").rows()
        return "last-event-\(rows.first?.first?.integer ?? 0)"
    }

    private func isStale() throws(SQLiteError) -> Bool {
        let rows = try connection.makeStatement(sql: "SELECT value FROM meta WHERE key = 'sessions_built_for'").rows()
        return rows.first?.first?.text != (try eventsStamp())
    }

    @discardableResult
    private func rebuild() throws -> Int {
        // The rebuild reads the events once and writes a small table: a large page cache, such
        // as the one the migration sets for ingest's index inserts, would only hold memory.
        // The sessions are made in a temporary table on disk, which takes no lock on the case
        // database: during an ingest, its index builds go on meanwhile.
        try connection.execute("PRAGMA cache_size = -8192; PRAGMA temp_store = FILE")
        defer {
            try? connection.execute("DROP TABLE IF EXISTS temp.sessions_made")
            try? connection.execute("PRAGMA cache_size = -\(Schema.writerCacheKiB); PRAGMA temp_store = MEMORY")
        }
        let evidence = try SessionEvidence.load(from: connection)
        var builder = SessionGraphBuilder(evidence: evidence)
        let stamp = try eventsStamp()
        let columns = """
            access_key_id, parent_access_key_id, kind, role_arn, session_arn, account_id, assumed_by_arn,
                assumed_by_access_key_id, origin_arn, issued_at, first_event_time, last_event_time, chain_depth,
                document
            """
        try connection.execute("DROP TABLE IF EXISTS temp.sessions_made")
        try connection.execute("CREATE TEMP TABLE sessions_made AS SELECT \(columns) FROM main.sessions WHERE 0")
        var count = 0
        try connection.execute("BEGIN")
        do {
            let insert = try connection.makeStatement(
                sql: "INSERT INTO temp.sessions_made (\(columns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            )
            // Each session is written as it is made, in graph order: rowid order is graph order.
            count = try builder.build { session in try insert.run(Self.row(for: session)) }
            try connection.execute("COMMIT")
        } catch {
            try? connection.execute("ROLLBACK")
            throw error
        }
        try connection.inTransaction {
            try connection.execute("DELETE FROM main.sessions")
            try connection.execute(
                "INSERT INTO main.sessions (\(columns)) SELECT \(columns) FROM temp.sessions_made ORDER BY rowid"
            )
            try connection.makeStatement(sql: "INSERT OR REPLACE INTO meta VALUES ('sessions_built_for', ?)")
                .run([.text(stamp)])
        }
        return count
    }

    private static func row(for session: Session) -> [SQLiteValue] {
        let texts: [String?] = [
            session.accessKeyId, session.parentAccessKeyId, session.kind, session.roleArn, session.sessionArn,
            session.accountId, session.assumedBy.arn, session.assumedBy.accessKeyId, session.origin.arn,
            session.issuedAt, session.firstEventTime, session.lastEventTime,
        ]
        return texts.map { $0.map { .text($0) } ?? .null } + [
            .integer(Int64(session.chainDepth)), .text(session.jsonValue.rendered()),
        ]
    }

    // MARK: - Reading

    /// The sessions matching `filter`, in graph order (issue time, then key).
    package func sessions(matching filter: Filter) throws -> [Session] {
        let decoder = JSONDecoder()
        var sessions: [Session] = []
        try forEachDocument(matching: filter) { document in
            sessions.append(try decoder.decode(Session.self, from: Data(document)))
        }
        return sessions
    }

    /// Calls `body` with the stored contract JSON of each session matching `filter`, in graph
    /// order, as UTF-8 bytes valid only during the call: what `sessions --format json` prints,
    /// without decoding and encoding each one again or holding them all at once.
    package func forEachDocument(
        matching filter: Filter,
        _ body: (UnsafeBufferPointer<UInt8>) throws -> Void
    ) throws {
        var clauses: [String] = []
        var values: [SQLiteValue] = []
        if let account = filter.accountID {
            clauses.append("account_id = ?")
            values.append(.text(account))
        }
        if let role = filter.roleARN {
            clauses.append("role_arn = ?")
            values.append(.text(role))
        }
        if let from = filter.from {
            clauses.append("coalesce(last_event_time, issued_at) >= ?")
            values.append(.text(from))
        }
        if let to = filter.to {
            clauses.append("coalesce(first_event_time, issued_at) <= ?")
            values.append(.text(to))
        }
        if !filter.principal.isEmpty {
            let keys = try subtree(of: filter.principal).map(\.key)
            clauses.append("access_key_id IN (SELECT value FROM json_each(?))")
            values.append(.text(JSONValue.array(keys.map { .string($0) }).rendered()))
        }
        let condition = clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ")
        let statement = try connection.makeStatement(
            sql: "SELECT document FROM sessions \(condition) ORDER BY rowid"
        )
        try statement.forEachRow(values) { row in
            try row.withUTF8(at: 0) { document in
                if document.baseAddress != nil { try body(document) }
            }
        }
    }

    /// The session with `key`, if the graph has one.
    package func session(withKey key: String) throws -> Session? {
        try load(sql: "SELECT document FROM sessions WHERE access_key_id = ?", [.text(key)]).first
    }

    /// The sessions whose ARN is `arn` (several when a session name was reused).
    package func sessions(withARN arn: String) throws -> [Session] {
        try load(sql: "SELECT document FROM sessions WHERE session_arn = ? ORDER BY rowid", [.text(arn)])
    }

    /// The sessions started with credentials `key`.
    package func children(of key: String) throws -> [Session] {
        try load(sql: "SELECT document FROM sessions WHERE parent_access_key_id = ? ORDER BY rowid", [.text(key)])
    }

    /// Sessions at the root of a chain whose issuer or origin is the principal `arn` or key.
    package func rootSessions(ofPrincipal principal: String) throws -> [Session] {
        try load(
            sql: """
                SELECT document FROM sessions
                WHERE parent_access_key_id IS NULL
                    AND (origin_arn = ?1 OR assumed_by_arn = ?1 OR assumed_by_access_key_id = ?1)
                ORDER BY rowid
                """,
            [.text(principal)]
        )
    }

    /// A session of a subtree and the session whose credentials started it.
    package struct TreeEdge: Sendable {
        package var key: String
        package var parent: String?
    }

    /// The sessions that `principals` (ARNs, session ARNs or access keys) started or are, and
    /// every session chained from those, transitively, in graph order.
    package func subtree(of principals: [String]) throws -> [TreeEdge] {
        // Each arm of the first select is one indexed lookup; the last select walks down the
        // parent index. UNION keeps a key reached twice (or through a loop) once.
        let sql = """
            WITH RECURSIVE subjects(name) AS (SELECT value FROM json_each(?1)),
            tree(key) AS (
                SELECT access_key_id FROM sessions WHERE access_key_id IN subjects
                UNION SELECT access_key_id FROM sessions WHERE session_arn IN subjects
                UNION SELECT access_key_id FROM sessions WHERE origin_arn IN subjects
                UNION SELECT access_key_id FROM sessions WHERE assumed_by_arn IN subjects
                UNION SELECT access_key_id FROM sessions WHERE assumed_by_access_key_id IN subjects
                UNION SELECT access_key_id FROM sessions WHERE role_arn IN subjects
                UNION SELECT s.access_key_id FROM sessions s JOIN tree t ON s.parent_access_key_id = t.key
            )
            SELECT s.access_key_id, s.parent_access_key_id FROM tree JOIN sessions s ON s.access_key_id = tree.key
            ORDER BY s.rowid
            """
        let list = JSONValue.array(principals.map { .string($0) }).rendered()
        var edges: [TreeEdge] = []
        try connection.makeStatement(sql: sql).forEachRow([.text(list)]) { row in
            guard let key = row.text(at: 0) else { return }
            edges.append(TreeEdge(key: key, parent: row.text(at: 1)))
        }
        return edges
    }

    /// The session with `key` as an edge to its parent, without decoding its document.
    package func edge(ofKey key: String) throws -> TreeEdge? {
        var edge: TreeEdge?
        try connection.makeStatement(sql: "SELECT parent_access_key_id FROM sessions WHERE access_key_id = ?")
            .forEachRow([.text(key)]) { edge = TreeEdge(key: key, parent: $0.text(at: 0)) }
        return edge
    }

    private func load(sql: String, _ values: [SQLiteValue]) throws -> [Session] {
        let decoder = JSONDecoder()
        return try connection.makeStatement(sql: sql).rows(values).compactMap { row in
            guard let document = row.first?.text else { return nil }
            return try decoder.decode(Session.self, from: Data(document.utf8))
        }
    }
}
