import TrailStore

/// Keeps the verdicts of the last verification in the case database, so that reports and
/// timelines can mark events read from unverified or modified files.
struct IntegrityStore {
    let connection: Connection

    func save(_ report: IntegrityReport, roots: Set<String>) throws {
        try connection.inTransaction {
            try connection.execute("DELETE FROM file_verdicts; DELETE FROM digest_verdicts")
            let fileInsert = try connection.makeStatement(
                sql: """
                    INSERT OR REPLACE INTO file_verdicts (path, verdict, detail, digest_path, checked_at)
                    VALUES (?, ?, ?, ?, ?)
                    """
            )
            for file in report.logFiles {
                try fileInsert.run([
                    .text(file.path), .text(file.verdict), file.detail.map { .text($0) } ?? .null,
                    file.digestPath.map { .text($0) } ?? .null, .text(report.checkedAt),
                ])
            }
            let digestInsert = try connection.makeStatement(
                sql: """
                    INSERT OR REPLACE INTO digest_verdicts (path, account_id, region, start_time, end_time, signature,
                        location, previous_hash, detail, checked_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """
            )
            for digest in report.digests {
                let texts: [String?] = [
                    digest.path, digest.accountID, digest.region, digest.startTime, digest.endTime, digest.signature,
                    digest.location, digest.previousHash, digest.detail, report.checkedAt,
                ]
                try digestInsert.run(texts.map { $0.map { .text($0) } ?? .null })
            }
        }
    }
}
