import Foundation
import TrailCore
import TrailIngest

/// The only writer of a case database: runs, files and their events.
///
/// A file's events are written in the same transaction as its `files` row, and transactions end
/// only between files, so a database left by an interrupted ingest holds whole files only, and a
/// rerun completes it exactly. Small files share a transaction: one commit per file would
/// spend most of an ingest rewriting the same index pages into the WAL.
package final class CaseWriter {
    /// A file the database already knows, for deciding whether to read it again.
    package struct KnownFile: Sendable {
        package var size: Int64
        package var modificationTime: Int64
        package var state: FileState
    }

    /// Content already ingested: the sizes (a cheap first test) and a path for each hash.
    package struct KnownContent: Sendable {
        package var sizes: Set<Int64> = []
        package var pathsByHash: [String: String] = [:]
    }

    /// What writing one file's records did.
    package struct FileTally: Sendable {
        package var newEvents = 0
        package var duplicates = 0
        /// Duplicates whose text differs from the stored copy: a sign of tampering.
        package var conflictingDuplicates: [String] = []
    }

    private let connection: Connection
    private let insertEvent: Statement
    private let findEvent: Statement
    private var currentFileID: Int64?
    private var tally = FileTally()
    private var isInTransaction = false
    private var eventsSinceCommit = 0
    private var filesSinceCommit = 0
    private var isBulkLoading = false

    /// Events after which the open transaction is committed at the next file boundary.
    package var eventsPerCommit = 20_000
    /// Files after which the open transaction is committed at the next file boundary.
    package var filesPerCommit = 256

    /// Opens the writer over a migrated connection.
    package init(connection: Connection) throws(SQLiteError) {
        self.connection = connection
        let columns = EventField.allCases.map(\.columnName)
        let names =
            ["file_id", "record_index", "byte_offset", "gzip_member", "has_duplicate_keys", "event_time_ms"]
            + columns + ["raw", "raw_block", "raw_offset", "raw_length"]
        let placeholders = Array(repeating: "?", count: names.count).joined(separator: ", ")
        insertEvent = try connection.makeStatement(
            sql: "INSERT OR IGNORE INTO events (\(names.joined(separator: ", "))) VALUES (\(placeholders))"
        )
        findEvent = try connection.makeStatement(
            sql: """
                SELECT \(Schema.rawRecord()) FROM events
                WHERE ifnull(event_time_ms, 0) = ? AND event_id = ? AND ifnull(recipient_account_id, '') = ?
                """
        )
    }

    // MARK: - Runs

    /// Records the start of an ingest run and returns its id.
    package func beginRun(toolVersion: String, arguments: [String], startedAt: String) throws(SQLiteError) -> Int64 {
        try connection.cachedStatement(
            sql: "INSERT INTO runs (started_at, tool_version, arguments) VALUES (?, ?, ?)"
        ).run([.text(startedAt), .text(toolVersion), .text(arguments.joined(separator: " "))])
        return connection.lastInsertedRowID
    }

    /// Records the end of a run with its totals.
    package func finishRun(_ runID: Int64, summary: IngestSummary, finishedAt: String) throws(SQLiteError) {
        try connection.cachedStatement(
            sql: """
                UPDATE runs SET finished_at = ?, files_ok = ?, files_partial = ?, files_failed = ?,
                    files_skipped = ?, files_unchanged = ?, events_new = ?, duplicates = ?
                WHERE id = ?
                """
        ).run([
            .text(finishedAt), .integer(Int64(summary.count(of: .ok))), .integer(Int64(summary.count(of: .partial))),
            .integer(Int64(summary.count(of: .failed))), .integer(Int64(summary.count(of: .skipped))),
            .integer(Int64(summary.unchangedFiles)), .integer(Int64(summary.newEvents)),
            .integer(Int64(summary.duplicates)), .integer(runID),
        ])
    }

    /// The files recorded so far, by root and relative path.
    package func knownFiles() throws(SQLiteError) -> [String: KnownFile] {
        let rows = try connection.makeStatement(sql: "SELECT root, path, size, modified_ns, status FROM files").rows()
        var known: [String: KnownFile] = [:]
        for row in rows {
            guard case .text(let root) = row[0], case .text(let path) = row[1], case .integer(let size) = row[2],
                case .integer(let modified) = row[3], case .text(let status) = row[4],
                let state = FileState(rawValue: status)
            else { continue }
            known[Self.key(root: root, path: path)] = KnownFile(size: size, modificationTime: modified, state: state)
        }
        return known
    }

    /// The files read in full so far, by the SHA-256 of their bytes, for recognising a copy of
    /// one under another path without decoding it again.
    package func completeFilesByHash() throws(SQLiteError) -> KnownContent {
        let rows = try connection.makeStatement(
            sql: "SELECT sha256, size, path FROM files WHERE status = 'ok' AND sha256 IS NOT NULL"
        ).rows()
        var known = KnownContent()
        for row in rows {
            guard case .text(let hash) = row[0], case .integer(let size) = row[1], case .text(let path) = row[2] else {
                continue
            }
            known.sizes.insert(size)
            known.pathsByHash[hash] = path
        }
        return known
    }

    /// The key ``knownFiles()`` uses for a file.
    package static func key(root: String, path: String) -> String {
        root + "\u{0}" + path
    }

    // MARK: - Files

    /// Starts the transaction for `file` and reserves its `files` row.
    package func beginFile(_ file: DiscoveredFile, runID: Int64) throws(SQLiteError) {
        precondition(currentFileID == nil, "beginFile(_:runID:) while another file is open")
        if !isInTransaction {
            try connection.execute("BEGIN IMMEDIATE")
            isInTransaction = true
        }
        let statement = try connection.cachedStatement(
            sql: """
                INSERT INTO files (root, path, size, modified_ns, status, run_id) VALUES (?, ?, ?, ?, 'failed', ?)
                ON CONFLICT (root, path) DO UPDATE SET size = excluded.size, modified_ns = excluded.modified_ns,
                    run_id = excluded.run_id
                RETURNING id
                """
        )
        let rows = try statement.rows([
            .text(file.root), .text(file.relativePath), .integer(file.size), .integer(file.modificationTime),
            .integer(runID),
        ])
        guard case .integer(let id) = rows.first?.first else {
            throw SQLiteError(code: 1, message: "no id returned for the files row")
        }
        currentFileID = id
        tally = FileTally()
    }

    /// Stores `records` of the current file, their text packed in `packed`; a record already
    /// stored counts as a duplicate, and a block holding only duplicates is not kept.
    package func insert(_ records: [EventRecord], packed: RawBlocks.Packed) throws(SQLiteError) {
        guard let fileID = currentFileID else { preconditionFailure("insert(_:packed:) outside beginFile/finishFile") }
        precondition(packed.placements.count == records.count, "one placement per record")
        let insertBlock = try connection.cachedStatement(sql: "INSERT INTO raw_blocks (size, data) VALUES (?, ?)")
        var blockIDs: [Int64] = []
        blockIDs.reserveCapacity(packed.blocks.count)
        for block in packed.blocks {
            try insertBlock.run([.integer(Int64(block.size)), .blob(block.data)])
            blockIDs.append(connection.lastInsertedRowID)
        }
        var isReferenced = [Bool](repeating: false, count: blockIDs.count)
        for (record, placement) in zip(records, packed.placements) {
            try bindEvent(record, fileID: fileID, block: blockIDs[placement.block], placement: placement)
            while try insertEvent.step() {}
            eventsSinceCommit += 1
            if connection.changes > 0 {
                tally.newEvents += 1
                isReferenced[placement.block] = true
            } else {
                tally.duplicates += 1
                try checkDuplicate(record)
            }
        }
        let deleteBlock = try connection.cachedStatement(sql: "DELETE FROM raw_blocks WHERE id = ?")
        for (id, referenced) in zip(blockIDs, isReferenced) where !referenced {
            try deleteBlock.run([.integer(id)])
        }
    }

    /// Completes the current file's row with its outcome; the file is committed at the next
    /// ``commit(force:)`` that is due.
    package func finishFile(_ file: DiscoveredFile, outcome: FileOutcome) throws(SQLiteError) -> FileTally {
        guard let fileID = currentFileID else { preconditionFailure("finishFile(_:outcome:) before beginFile") }
        let warnings = outcome.warnings + tally.conflictingDuplicates
        try connection.cachedStatement(
            sql: """
                UPDATE files SET sha256 = ?, content_sha256 = ?, format = ?, organization_id = ?, account_id = ?,
                    region = ?, log_date = ?, record_count = ?, event_count = event_count + ?,
                    duplicate_count = ?, gzip_members = ?, status = ?, reason = ?, damage_offset = ?, warnings = ?
                WHERE id = ?
                """
        ).run([
            .optionalText(outcome.fileSHA256), .optionalText(outcome.contentSHA256), .optionalText(outcome.format),
            .optionalText(file.layout.organizationID), .optionalText(file.layout.accountID),
            .optionalText(file.layout.region), .optionalText(file.layout.date),
            .integer(Int64(outcome.recordCount)), .integer(Int64(tally.newEvents)), .integer(Int64(tally.duplicates)),
            outcome.gzipMembers > 0 ? .integer(Int64(outcome.gzipMembers)) : .null, .text(outcome.state.rawValue),
            .optionalText(outcome.message), outcome.damageOffset.map { .integer(Int64($0)) } ?? .null,
            warnings.isEmpty ? .null : .text(warnings.joined(separator: "\n")), .integer(fileID),
        ])
        currentFileID = nil
        filesSinceCommit += 1
        return tally
    }

    /// Commits the finished files when enough have gathered, or always with `force`.
    package func commit(force: Bool = false) throws(SQLiteError) {
        precondition(currentFileID == nil, "commit(force:) inside a file")
        guard isInTransaction, force || eventsSinceCommit >= eventsPerCommit || filesSinceCommit >= filesPerCommit
        else { return }
        try connection.execute("COMMIT")
        isInTransaction = false
        eventsSinceCommit = 0
        filesSinceCommit = 0
    }

    /// Abandons the open transaction: the files since the last commit are not recorded.
    package func rollBack() {
        guard isInTransaction else { return }
        try? connection.execute("ROLLBACK")
        isInTransaction = false
        currentFileID = nil
    }

    // MARK: - Finding events by id

    /// The largest event id so far: the events of this run come after it.
    package func lastEventID() throws(SQLiteError) -> Int64 {
        let rows = try connection.cachedStatement(sql: "SELECT max(id) FROM events").rows()
        guard case .integer(let id) = rows.first?.first else { return 0 }
        return id
    }

    /// Whether every reading index exists; a run that stopped before its end may leave some
    /// dropped (``deferReadingIndexes()``).
    package func hasReadingIndexes() throws(SQLiteError) -> Bool {
        let names = Schema.readingIndexes.map { "'\($0.name)'" }.joined(separator: ", ")
        let rows = try connection.cachedStatement(
            sql: "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name IN (\(names))"
        ).rows()
        return rows.first?.first == .integer(Int64(Schema.readingIndexes.count))
    }

    /// Drops the reading indexes, for a run that adds more than the database holds: building
    /// them once at the end (``completeIndexes(newAfter:)``) is faster than keeping them
    /// through the inserts.
    package func deferReadingIndexes() throws(SQLiteError) {
        for index in Schema.readingIndexes {
            try connection.execute("DROP INDEX IF EXISTS \(index.name)")
        }
    }

    /// Writes through a rollback journal rather than the WAL until ``endBulkLoad()``, when no
    /// other connection has the database open; otherwise nothing changes.
    ///
    /// In WAL mode each page is written twice, into the WAL and at a checkpoint into the
    /// database, and read back in between. A rollback journal keeps only the old content of the
    /// pages a transaction changes that existed when it began; a large load mostly appends
    /// pages, so they are written once. Commits stay atomic and a killed run leaves whole files,
    /// as the next connection rolls back a transaction cut short. On the one-million-event dump,
    /// in alternating runs, the ingest took 24.0 and 25.0 s against 26.3 and 27.7 s. Readers
    /// then share the database with the load less well: a commit waits until no statement of
    /// another connection is reading, so the writer waits as long as ``sharedWriteTimeout``.
    package func beginBulkLoad() throws(SQLiteError) {
        guard try connection.setJournalMode("persist") else { return }
        isBulkLoading = true
        connection.busyTimeoutMilliseconds = Self.sharedWriteTimeout
    }

    /// Returns to WAL mode after ``beginBulkLoad()``, between transactions.
    ///
    /// - Returns: Whether the database is in WAL mode, where another connection can read and
    ///   write beside this one's index builds: `false` while another connection has it open.
    package func endBulkLoad() throws(SQLiteError) -> Bool {
        precondition(!isInTransaction, "endBulkLoad() inside a transaction")
        guard isBulkLoading else { return true }
        // Asks once, without waiting: a reader may stay for as long as it likes.
        connection.busyTimeoutMilliseconds = 0
        guard try connection.setJournalMode("wal") else {
            connection.busyTimeoutMilliseconds = Self.sharedWriteTimeout
            return false
        }
        isBulkLoading = false
        connection.busyTimeoutMilliseconds = Connection.defaultBusyTimeout
        return true
    }

    /// Builds the reading indexes that are missing, then warns of the events after `lastID`
    /// that reuse an earlier event's id with another time.
    ///
    /// The identity index tells the copies of one event apart by their time, so such a record
    /// was not taken as a duplicate: both copies are kept. Each warning is added to its file's
    /// row once, even when an interrupted run is checked again.
    ///
    /// - Parameter alongside: Work that reads the events from a connection of its own, run on
    ///   another thread once the indexes that serve lookups by id, issued key and name exist,
    ///   while the rest are built. It may write in transactions of its own: each waits for the
    ///   other's, however long.
    /// - Returns: the warnings not given before.
    /// - Throws: The index builds' error, else the error of `alongside`.
    package func completeIndexes(
        newAfter lastID: Int64,
        alongside: (@Sendable () throws -> Void)? = nil
    ) throws -> [IngestSummary.Warning] {
        guard let alongside else {
            try buildReadingIndexes(Schema.readingIndexes)
            return try warnOfReusedIDs(newAfter: lastID)
        }
        let (first, rest) = (
            Array(Schema.readingIndexes.prefix(Schema.lookupIndexCount)),
            Array(Schema.readingIndexes.dropFirst(Schema.lookupIndexCount))
        )
        try buildReadingIndexes(first)
        connection.busyTimeoutMilliseconds = Self.sharedWriteTimeout
        defer { connection.busyTimeoutMilliseconds = Connection.defaultBusyTimeout }
        let side = BackgroundWork(alongside)
        let built = Result { () throws -> [IngestSummary.Warning] in
            try buildReadingIndexes(rest)
            return try warnOfReusedIDs(newAfter: lastID)
        }
        let sideResult = side.wait()
        let warnings = try built.get()
        try sideResult.get()
        return warnings
    }

    /// How long a write waits for the other thread's transaction during ``completeIndexes``.
    package static let sharedWriteTimeout: Int32 = 3_600_000

    private func warnOfReusedIDs(newAfter lastID: Int64) throws(SQLiteError) -> [IngestSummary.Warning] {
        guard try lastEventID() > lastID else { return [] }
        let rows = try connection.makeStatement(sql: Self.reusedIDsQuery).rows([.integer(lastID)])
        var warnings: [IngestSummary.Warning] = []
        try connection.inTransactionTyped { () throws(SQLiteError) in
            let append = try connection.cachedStatement(
                sql: """
                    UPDATE files SET warnings = ifnull(warnings || char(10), '') || ?1
                    WHERE id = ?2 AND instr(ifnull(warnings, ''), ?1) = 0
                    """
            )
            for row in rows {
                guard case .integer(let fileID) = row[0], case .text(let path) = row[1],
                    case .integer(let index) = row[2], case .text(let eventID) = row[3]
                else { continue }
                let message =
                    "record \(index) has the eventID '\(eventID)' of a stored event but a different eventTime "
                    + "(possible tampering); both copies are kept"
                try append.run([.text(message), .integer(fileID)])
                if connection.changes > 0 {
                    warnings.append(IngestSummary.Warning(path: path, message: message))
                }
            }
        }
        return warnings
    }

    /// Builds each missing reading index in a transaction of its own, so an interruption keeps
    /// those already built.
    ///
    /// Each build sorts the whole column. SQLite's sorter holds up to the page cache's size in
    /// memory and, with `temp_store = MEMORY`, its overflow too: with the writer's 64 MiB cache
    /// that took the ingest's peak from 127 to 232 MiB at one million events. A 16 MiB cache
    /// and temporary files on disk build them as fast (1.5 s for `events_principal` either way).
    private func buildReadingIndexes(_ indexes: [(name: String, sql: String)]) throws(SQLiteError) {
        try connection.execute("PRAGMA cache_size = -16384; PRAGMA temp_store = FILE")
        // The load's page cache and decoding buffers are free now, but still held by the process.
        FreeMemory.returnToSystem()
        defer {
            try? connection.execute("PRAGMA cache_size = -\(Schema.writerCacheKiB); PRAGMA temp_store = MEMORY")
        }
        for index in indexes {
            try connection.inTransactionTyped { () throws(SQLiteError) in
                try connection.execute(index.sql)
            }
        }
    }

    /// The events after `?1` whose id and recipient are those of an earlier event.
    ///
    /// The ids seen twice come from `events_event_id` alone (SQLite 3.40 does not read
    /// `ifnull(recipient_account_id, '')` from the index, so grouping on it visits every row:
    /// 4.8 s against 0.2 s at one million events); the few found are then checked in full.
    private static let reusedIDsQuery = """
        WITH reused AS (
            SELECT event_id FROM events WHERE event_id IS NOT NULL GROUP BY event_id HAVING count(*) > 1
        )
        SELECT f.id, f.path, e.record_index, e.event_id
        FROM reused JOIN events e ON e.event_id = reused.event_id JOIN files f ON f.id = e.file_id
        WHERE e.id > ?1 AND EXISTS (
            SELECT 1 FROM events earlier
            WHERE earlier.event_id = e.event_id AND earlier.id < e.id
                AND ifnull(earlier.recipient_account_id, '') = ifnull(e.recipient_account_id, ''))
        ORDER BY e.id
        """

    // MARK: - Events

    private func bindEvent(
        _ record: EventRecord,
        fileID: Int64,
        block: Int64,
        placement: RawBlocks.Placement
    ) throws(SQLiteError) {
        insertEvent.reset()
        try insertEvent.bind(.integer(fileID), at: 1)
        try insertEvent.bind(.integer(Int64(record.recordIndex)), at: 2)
        try insertEvent.bind(.integer(Int64(record.byteOffset)), at: 3)
        try insertEvent.bind(.integer(Int64(record.gzipMember)), at: 4)
        try insertEvent.bind(.integer(record.duplicateKeys.isEmpty ? 0 : 1), at: 5)
        let time = record.text(.eventTime).flatMap(EventTime.milliseconds(from:))
        try insertEvent.bind(time.map { .integer($0) } ?? .null, at: 6)
        for field in EventField.allCases {
            try insertEvent.bind(Self.columnValue(record, field), at: Int32(7 + field.rawValue))
        }
        let rawColumn = Int32(7 + EventField.allCases.count)
        try insertEvent.bind(.text(""), at: rawColumn)
        try insertEvent.bind(.integer(block), at: rawColumn + 1)
        try insertEvent.bind(.integer(Int64(placement.offset)), at: rawColumn + 2)
        try insertEvent.bind(.integer(Int64(placement.length)), at: rawColumn + 3)
    }

    private static func columnValue(_ record: EventRecord, _ field: EventField) -> SQLiteValue {
        guard let value = record[field] else { return .null }
        if field.isBoolean {
            return value.boolean.map { .integer($0 ? 1 : 0) } ?? .null
        }
        guard let text = value.text else { return .null }
        // An empty key is no key: it must not join unrelated calls in the session graph.
        if text.isEmpty && (field == .accessKeyID || field == .issuedAccessKeyID) { return .null }
        return .text(text)
    }

    private func checkDuplicate(_ record: EventRecord) throws(SQLiteError) {
        guard let eventID = record.text(.eventID) else { return }
        let recipient = record.text(.recipientAccountID) ?? ""
        let time = record.text(.eventTime).flatMap(EventTime.milliseconds(from:)) ?? 0
        let rows = try findEvent.rows([.integer(time), .text(eventID), .text(recipient)])
        guard case .text(let stored) = rows.first?.first, Array(stored.utf8) != record.raw,
            !Self.sameJSON(Array(stored.utf8), record.raw)
        else { return }
        tally.conflictingDuplicates.append(
            "record \(record.recordIndex) has the eventID '\(eventID)' of a stored event but different content "
                + "(possible tampering); the first copy is kept"
        )
    }
}

extension CaseWriter {
    /// Whether two texts hold the same JSON value, whatever their whitespace and key order.
    ///
    /// The same event reaches a dump in several formats: a delivery file's record, an
    /// EventBridge `detail` re-serialised by AWS, a `lookup-events` string. Only a difference in
    /// content is a sign of tampering. This runs for duplicates whose bytes differ, which are few.
    static func sameJSON(_ first: [UInt8], _ second: [UInt8]) -> Bool {
        guard let lhs = canonicalJSON(first), let rhs = canonicalJSON(second) else { return false }
        return lhs == rhs
    }

    /// The text re-serialised with sorted keys and no whitespace.
    private static func canonicalJSON(_ text: [UInt8]) -> Data? {
        guard let value = try? JSONSerialization.jsonObject(with: Data(text), options: [.fragmentsAllowed]) else {
            return nil
        }
        return try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed])
    }
}

@available(*, unavailable)
extension CaseWriter: Sendable {}

extension SQLiteValue {
    static func optionalText(_ text: String?) -> SQLiteValue {
        text.map { .text($0) } ?? .null
    }
}
