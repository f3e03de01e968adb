import TrailIngest

/// The case database's tables, created and migrated through `PRAGMA user_version`.
///
/// The README's "Case database" section documents these tables for analysts; keep the two in
/// step. Columns are only ever added.
package enum Schema {
    /// The version this build writes.
    package static let version = 5

    /// The page cache of a writable connection, in KiB.
    package static let writerCacheKiB = 65_536

    /// The WAL pages after which a writable connection copies them into the database: 1 GiB.
    package static let checkpointPages = 65_536

    /// Creates or upgrades the schema of a writable connection.
    package static func migrate(_ connection: Connection) throws(SQLiteError) {
        // NORMAL synchronisation in WAL mode keeps every commit atomic and the database
        // consistent through a crash; only the last commits may be lost on power failure, and a
        // rerun restores them. The larger cache keeps the indexes' pages in memory during ingest.
        // 16 KiB pages rather than SQLite's 4 KiB suit rows of about 2 KB: on the generated
        // one-million-event dump the database shrank from 3.73 to 2.75 GB and ingest went from
        // 66 to 42 s. The size only takes on a database that has no pages yet, so it is set
        // first; older databases keep theirs.
        // Each checkpoint copies every page changed since the last one into the database, and an
        // ingest changes the same index pages (event ids are random) in every transaction. A
        // WAL of up to 1 GiB before a checkpoint, rather than SQLite's 16 MB (1000 pages),
        // copies those pages once per GiB: on the one-million-event dump, in alternating runs,
        // the ingest took 55.7 and 49.9 s before, 50.4 and 45.1 s after, at the same peak
        // memory. The WAL is removed when the writer closes.
        // A database that an interrupted large ingest left with a rollback journal
        // (``CaseWriter/beginBulkLoad()``) goes back to WAL mode when a connection has it alone;
        // until then it is used as it is.
        try connection.execute("PRAGMA page_size = 16384")
        _ = try connection.setJournalMode("wal")
        try connection.execute(
            """
            PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;
            PRAGMA cache_size = -\(writerCacheKiB); PRAGMA temp_store = MEMORY;
            PRAGMA wal_autocheckpoint = \(checkpointPages)
            """
        )
        let rows = try connection.makeStatement(sql: "PRAGMA user_version").rows()
        guard case .integer(let current) = rows.first?.first else { return }
        if current > version {
            throw SQLiteError(
                code: 1,
                message: "the case database has schema version \(current); this trailhound reads up to \(version)"
            )
        }
        for (target, sql) in [(1, versionOne), (2, versionTwo), (3, versionThree), (4, versionFour), (5, versionFive)]
        where current < target {
            try connection.inTransactionTyped { () throws(SQLiteError) in
                try connection.execute(sql)
                try connection.execute("PRAGMA user_version = \(target)")
            }
        }
    }

    /// The extracted event columns, in ``EventField`` order.
    static var eventFieldColumns: String {
        EventField.allCases.map { field in
            "    \(field.columnName) \(field.isBoolean ? "INTEGER" : "TEXT")"
        }.joined(separator: ",\n")
    }

    /// The session graph, rebuilt from the events after each ingest that adds some.
    private static let versionTwo = """
        CREATE TABLE sessions (
            access_key_id TEXT PRIMARY KEY,
            parent_access_key_id TEXT,
            kind TEXT,
            role_arn TEXT,
            session_arn TEXT,
            account_id TEXT,
            assumed_by_arn TEXT,
            assumed_by_access_key_id TEXT,
            origin_arn TEXT,
            issued_at TEXT,
            first_event_time TEXT,
            last_event_time TEXT,
            chain_depth INTEGER NOT NULL,
            document TEXT NOT NULL
        );
        CREATE INDEX sessions_parent ON sessions(parent_access_key_id);
        CREATE INDEX sessions_session_arn ON sessions(session_arn);
        CREATE INDEX sessions_origin_arn ON sessions(origin_arn);
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        """

    /// The verdicts of the last `verify`, by path relative to the dump root.
    private static let versionThree = """
        CREATE TABLE file_verdicts (
            path TEXT PRIMARY KEY,
            verdict TEXT NOT NULL,
            detail TEXT,
            digest_path TEXT,
            checked_at TEXT NOT NULL
        );
        CREATE TABLE digest_verdicts (
            path TEXT PRIMARY KEY,
            account_id TEXT,
            region TEXT,
            start_time TEXT,
            end_time TEXT,
            signature TEXT NOT NULL,
            location TEXT NOT NULL,
            previous_hash TEXT NOT NULL,
            detail TEXT,
            checked_at TEXT NOT NULL
        );
        """

    /// Indexes for finding the sessions a principal started, whichever way it is named.
    private static let versionFour = """
        CREATE INDEX sessions_assumed_by_arn ON sessions(assumed_by_arn);
        CREATE INDEX sessions_assumed_by_key ON sessions(assumed_by_access_key_id);
        CREATE INDEX sessions_role_arn ON sessions(role_arn);
        """

    /// Raw records in compressed blocks (``RawBlocks``): the events ingested from here on keep
    /// `raw` empty and point into `raw_blocks`; ``rawRecord(of:)`` reads either kind.
    ///
    /// The identity index leads with the event's time. Event ids are random, so an index on
    /// them alone gets new entries on random pages, which the writer rewrote in every
    /// transaction; led by the time, entries arrive near each other, as files are read in path
    /// (and so roughly time) order. On the one-million-event dump that took the ingest from 39.6
    /// to 34.0 s. The copies of an event carry the same time, so it still finds them. Lookups by
    /// id go through `events_event_id`, which a large ingest builds once at its end (``eventIDIndex``).
    private static var versionFive: String {
        """
        CREATE TABLE raw_blocks (
            id INTEGER PRIMARY KEY,
            size INTEGER NOT NULL,
            data BLOB NOT NULL
        );
        ALTER TABLE events ADD COLUMN raw_block INTEGER;
        ALTER TABLE events ADD COLUMN raw_offset INTEGER;
        ALTER TABLE events ADD COLUMN raw_length INTEGER;
        DROP INDEX events_identity;
        CREATE UNIQUE INDEX events_identity
            ON events(ifnull(event_time_ms, 0), event_id, ifnull(recipient_account_id, ''));
        \(eventIDIndex);
        """
    }

    /// The index for finding events by id, whatever their time.
    package static let eventIDIndex =
        "CREATE INDEX IF NOT EXISTS events_event_id ON events(event_id, ifnull(recipient_account_id, ''))"

    /// The indexes of `events` that only serve reading, by name, in the order they are built:
    /// a large ingest drops them and builds them once at its end, and every ingest ends by
    /// building any that is missing.
    ///
    /// An index kept through the load takes a B-tree search and a page write per row in each
    /// transaction; built at the end, it is one sort. `events_identity` is not among them: the
    /// load needs it to find duplicates.
    package static let readingIndexes: [(name: String, sql: String)] = [
        ("events_event_id", eventIDIndex),
        (
            "events_issued_key",
            """
            CREATE INDEX IF NOT EXISTS events_issued_key ON events(issued_access_key_id)
                WHERE issued_access_key_id IS NOT NULL
            """
        ),
        ("events_name", "CREATE INDEX IF NOT EXISTS events_name ON events(event_name)"),
        ("events_time", "CREATE INDEX IF NOT EXISTS events_time ON events(event_time_ms)"),
        ("events_access_key", "CREATE INDEX IF NOT EXISTS events_access_key ON events(access_key_id)"),
        ("events_principal", "CREATE INDEX IF NOT EXISTS events_principal ON events(principal_arn)"),
        ("events_file", "CREATE INDEX IF NOT EXISTS events_file ON events(file_id)"),
    ]

    /// How many of ``readingIndexes``, from the first, serve lookups by id, issued key and name.
    ///
    /// They are what the session graph reads besides one pass over every event: work that
    /// reads so can start once they exist, while the rest are built.
    package static let lookupIndexCount = 3

    private static var versionOne: String {
        """
        CREATE TABLE runs (
            id INTEGER PRIMARY KEY,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            tool_version TEXT NOT NULL,
            arguments TEXT NOT NULL,
            files_ok INTEGER,
            files_partial INTEGER,
            files_failed INTEGER,
            files_skipped INTEGER,
            files_unchanged INTEGER,
            events_new INTEGER,
            duplicates INTEGER
        );
        CREATE TABLE files (
            id INTEGER PRIMARY KEY,
            root TEXT NOT NULL,
            path TEXT NOT NULL,
            size INTEGER NOT NULL,
            modified_ns INTEGER NOT NULL,
            sha256 TEXT,
            content_sha256 TEXT,
            format TEXT,
            organization_id TEXT,
            account_id TEXT,
            region TEXT,
            log_date TEXT,
            record_count INTEGER NOT NULL DEFAULT 0,
            event_count INTEGER NOT NULL DEFAULT 0,
            duplicate_count INTEGER NOT NULL DEFAULT 0,
            gzip_members INTEGER,
            status TEXT NOT NULL CHECK (status IN ('ok', 'partial', 'failed', 'skipped')),
            reason TEXT,
            damage_offset INTEGER,
            warnings TEXT,
            run_id INTEGER NOT NULL REFERENCES runs(id),
            UNIQUE (root, path)
        );
        CREATE INDEX files_sha256 ON files(sha256);
        CREATE TABLE events (
            id INTEGER PRIMARY KEY,
            file_id INTEGER NOT NULL REFERENCES files(id),
            record_index INTEGER NOT NULL,
            byte_offset INTEGER NOT NULL,
            gzip_member INTEGER NOT NULL,
            has_duplicate_keys INTEGER NOT NULL,
            event_time_ms INTEGER,
        \(eventFieldColumns),
            raw TEXT NOT NULL
        );
        CREATE UNIQUE INDEX events_identity ON events(event_id, ifnull(recipient_account_id, ''));
        CREATE INDEX events_time ON events(event_time_ms);
        CREATE INDEX events_access_key ON events(access_key_id);
        CREATE INDEX events_principal ON events(principal_arn);
        CREATE INDEX events_name ON events(event_name);
        CREATE INDEX events_issued_key ON events(issued_access_key_id) WHERE issued_access_key_id IS NOT NULL;
        CREATE INDEX events_file ON events(file_id);
        """
    }
}

extension Connection {
    /// A transaction whose body throws only `SQLiteError`.
    func inTransactionTyped(_ body: () throws(SQLiteError) -> Void) throws(SQLiteError) {
        try execute("BEGIN IMMEDIATE")
        do {
            try body()
            try execute("COMMIT")
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }
}
