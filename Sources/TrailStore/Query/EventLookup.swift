/// One stored copy of an event: its exact record and where it was read from.
package struct StoredRecord: Sendable, Equatable {
    /// The record's `eventID`.
    package var eventID: String
    /// The record's `recipientAccountId`, `nil` when it has none.
    package var recipientAccountID: String?
    /// The dump root the file was found under (`files.root`).
    package var root: String
    /// The file's path below ``root`` (`files.path`).
    package var path: String
    /// The record's position in the file, from 0.
    package var recordIndex: Int64
    /// The offset of the record's first byte in the file's decompressed data.
    package var byteOffset: Int64
    /// The record's bytes exactly as stored: the text at ``byteOffset`` of the decompressed file,
    /// or the decoded text of the string holding it for embedded records.
    package var raw: [UInt8]

    /// A record with every field given.
    package init(
        eventID: String,
        recipientAccountID: String?,
        root: String,
        path: String,
        recordIndex: Int64,
        byteOffset: Int64,
        raw: [UInt8]
    ) {
        self.eventID = eventID
        self.recipientAccountID = recipientAccountID
        self.root = root
        self.path = path
        self.recordIndex = recordIndex
        self.byteOffset = byteOffset
        self.raw = raw
    }

    /// The file's full path: ``root`` and ``path`` joined.
    package var file: String {
        root.hasSuffix("/") ? root + path : root + "/" + path
    }
}

/// Finds events by their CloudTrail `eventID` in a case database opened read-only.
package struct EventLookup {
    private let statement: Statement

    /// Opens the case database at `databasePath` read-only; it is never migrated, as it is
    /// evidence.
    ///
    /// - Throws: `SQLiteError` when it cannot be opened or is not a case database.
    package init(databasePath: String) throws(SQLiteError) {
        let connection = try Connection(path: databasePath, mode: .readOnly)
        let version = try connection.makeStatement(sql: "PRAGMA user_version").rows()
        guard case .integer(let current) = version.first?.first else {
            throw SQLiteError(code: 1, message: "the case database has no schema version")
        }
        statement = try connection.makeStatement(sql: Self.query(schemaVersion: current))
    }

    /// Every stored copy of the event `eventID`, in the order they were stored; empty when there
    /// is none.
    ///
    /// One id may have several rows: the copies logged in different recipient accounts, and a
    /// copy whose `eventTime` differs (which ingest warns about).
    package func records(withEventID eventID: String) throws(SQLiteError) -> [StoredRecord] {
        statement.reset()
        try statement.bind(.text(eventID), at: 1)
        var records: [StoredRecord] = []
        while try statement.step() {
            records.append(
                StoredRecord(
                    eventID: statement.text(at: 0) ?? eventID,
                    recipientAccountID: statement.text(at: 1),
                    root: statement.text(at: 2) ?? "",
                    path: statement.text(at: 3) ?? "",
                    recordIndex: statement.integer(at: 4) ?? 0,
                    byteOffset: statement.integer(at: 5) ?? 0,
                    // The bytes SQLite holds, not a `String` made of them, which would replace
                    // anything that is not UTF-8.
                    raw: statement.withUTF8(at: 6) { Array($0) }
                )
            )
        }
        return records
    }

    /// The lookup's SQL for a database of `schemaVersion`: before version 5 the record is in
    /// `raw` and the columns ``Schema/rawRecord(of:)`` reads do not exist yet.
    static func query(schemaVersion: Int64) -> String {
        let raw = schemaVersion >= 5 ? Schema.rawRecord(of: "e") : "e.raw"
        return """
            SELECT e.event_id, e.recipient_account_id, f.root, f.path, e.record_index,
                e.byte_offset, \(raw)
            FROM events e JOIN files f ON f.id = e.file_id
            WHERE e.event_id = ?
            ORDER BY e.id
            """
    }
}

@available(*, unavailable)
extension EventLookup: Sendable {}
