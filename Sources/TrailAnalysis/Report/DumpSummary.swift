import TrailCore
import TrailIngest
import TrailStore

/// What a case database holds: the report's first section, so a reader knows what was looked at.
package struct DumpSummary: Sendable {
    /// A file that could not be read in full.
    package struct FailedFile: Sendable {
        package var path: String
        package var status: String
        package var reason: String
        package var records: Int
    }

    package var roots: [String] = []
    package var files = 0
    package var filesOK = 0
    package var filesPartial = 0
    package var filesFailed = 0
    package var filesSkipped = 0
    /// Files by the format they were recognised as (`files.format`, such as `records+gzip` or
    /// `lookup-events`), most common first; files without one count under their status.
    package var formats: [(String, Int)] = []
    package var events = 0
    package var sessions = 0
    package var principals = 0
    package var accounts: [String] = []
    package var regions: [String] = []
    package var firstEventTime: String?
    package var lastEventTime: String?
    package var failed: [FailedFile] = []

    /// The most failed files listed by name; the counts cover the rest.
    package static let failedListLimit = 200

    /// Reads the summary of the case at `databasePath`.
    package static func read(databasePath: String) throws -> DumpSummary {
        let connection = try Connection(path: databasePath, mode: .readOnly)
        var summary = DumpSummary()
        let text = { (sql: String) throws -> [String] in
            try connection.makeStatement(sql: sql).rows().compactMap { $0.first?.text }
        }
        let count = { (sql: String) throws -> Int in
            Int(try connection.makeStatement(sql: sql).rows().first?.first?.integer ?? 0)
        }

        summary.roots = try text("SELECT DISTINCT root FROM files ORDER BY root")
        for row in try connection.makeStatement(sql: "SELECT status, count(*) FROM files GROUP BY status").rows() {
            let number = Int(row[1].integer ?? 0)
            summary.files += number
            switch row[0].text {
            case "ok": summary.filesOK = number
            case "partial": summary.filesPartial = number
            case "failed": summary.filesFailed = number
            default: summary.filesSkipped = number
            }
        }
        summary.formats = try connection.makeStatement(
            sql: "SELECT ifnull(format, status), count(*) FROM files GROUP BY 1 ORDER BY 2 DESC, 1"
        ).rows().map { ($0[0].text ?? "", Int($0[1].integer ?? 0)) }

        summary.events = try count("SELECT count(*) FROM events")
        summary.sessions = try count("SELECT count(*) FROM sessions")
        summary.principals = try count("SELECT count(DISTINCT principal_arn) FROM events")
        // The bucket layout names each file's account and region: reading the files table spares
        // two scans of every event. Files outside the layout fall back to the events.
        let outsideLayout = try count(
            "SELECT count(*) FROM files WHERE event_count > 0 AND (account_id IS NULL OR region IS NULL)"
        )
        let source =
            outsideLayout == 0 ? ("files", "account_id", "region") : ("events", "recipient_account_id", "aws_region")
        let filter = source.0 == "files" ? "event_count > 0 AND" : ""
        summary.accounts = try text(
            "SELECT DISTINCT \(source.1) FROM \(source.0) WHERE \(filter) \(source.1) IS NOT NULL ORDER BY 1"
        )
        summary.regions = try text(
            "SELECT DISTINCT \(source.2) FROM \(source.0) WHERE \(filter) \(source.2) IS NOT NULL ORDER BY 1"
        )
        let span = try connection.makeStatement(sql: "SELECT min(event_time_ms), max(event_time_ms) FROM events")
            .rows().first
        summary.firstEventTime = span?[0].integer.map { EventTime.iso8601(milliseconds: $0) }
        summary.lastEventTime = span?[1].integer.map { EventTime.iso8601(milliseconds: $0) }

        summary.failed = try connection.makeStatement(
            sql: """
                SELECT path, status, ifnull(reason, ''), record_count FROM files
                WHERE status IN ('failed', 'partial') ORDER BY path LIMIT \(failedListLimit)
                """
        ).rows().map {
            FailedFile(
                path: $0[0].text ?? "",
                status: $0[1].text ?? "",
                reason: $0[2].text ?? "",
                records: Int($0[3].integer ?? 0)
            )
        }
        return summary
    }
}

// MARK: - JSON

extension DumpSummary {
    /// The `dump` object of `report.json`.
    package var jsonValue: JSONValue {
        .object([
            ("roots", .array(roots.map { .string($0) })),
            (
                "files",
                .object([
                    ("total", .int(files)), ("ok", .int(filesOK)), ("partial", .int(filesPartial)),
                    ("failed", .int(filesFailed)), ("skipped", .int(filesSkipped)),
                ])
            ),
            ("formats", .object(formats.map { ($0.0, .int($0.1)) })),
            ("events", .int(events)),
            ("sessions", .int(sessions)),
            ("principals", .int(principals)),
            ("accounts", .array(accounts.map { .string($0) })),
            ("regions", .array(regions.map { .string($0) })),
            ("firstEventTime", .optional(firstEventTime)),
            ("lastEventTime", .optional(lastEventTime)),
            (
                "failedFiles",
                .array(
                    failed.map {
                        .object([
                            ("path", .string($0.path)), ("status", .string($0.status)),
                            ("reason", .string($0.reason)), ("records", .int($0.records)),
                        ])
                    }
                )
            ),
        ])
    }
}
