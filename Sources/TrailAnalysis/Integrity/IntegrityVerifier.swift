import TrailCore
import TrailIngest
import TrailStore

/// Checks a dump against its CloudTrail digest files, offline.
///
/// Log file hashes come from the case database (ingest computed the SHA-256 of each file's
/// decompressed first gzip member); digest files are read from the dump.
package struct IntegrityVerifier {
    private struct LoadedDigest {
        var root: String
        var path: String
        var digest: DigestFile?
        var contentSHA256: String?
        var fileSHA256: String?
        var error: String?
    }

    private struct StoredFile {
        var root: String
        var path: String
        var status: String
        var contentSHA256: String?
        var gzipMembers: Int
        var warnings: String?
        var layout: PathLayout
    }

    private let paths: [String]
    private let databasePath: String
    private let material: SignatureMaterial?

    /// - Parameter material: Keys and signatures; `nil` when the analyst saved none, and then
    ///   signatures are reported as not checked.
    package init(paths: [String], databasePath: String, material: SignatureMaterial?) {
        self.paths = paths
        self.databasePath = databasePath
        self.material = material
    }

    /// Verifies and stores the verdicts in the case database.
    package func verify(checkedAt: String) throws -> IntegrityReport {
        var discovery = Discovery()
        for path in paths { discovery.add(path: path) }
        let files = discovery.sortedFiles()
        let roots = Set(files.map(\.root))
        let digests = files.filter { $0.layout.area == .digests }.map(load)
        let connection = try Connection(path: databasePath)
        try Schema.migrate(connection)
        let stored = try storedLogFiles(connection, roots: roots)

        var report = IntegrityReport(
            checkedAt: checkedAt,
            signatures: material == nil
                ? "not checked: no --public-keys and --signatures were given (save them with aws cloudtrail "
                    + "list-public-keys and aws s3api head-object)"
                : "checked",
            logFiles: [],
            digests: [],
            gaps: [],
            missingDigests: [],
            summaries: []
        )
        report.logFiles = logFileVerdicts(digests, stored)
        report.digests = digests.map { digestVerdict($0, among: digests) }
        (report.gaps, report.missingDigests) = chainProblems(digests)
        report.summaries = summaries(report)
        try IntegrityStore(connection: connection).save(report, roots: roots)
        return report
    }

    // MARK: - Loading

    private func load(_ file: DiscoveredFile) -> LoadedDigest {
        var loaded = LoadedDigest(root: file.root, path: file.relativePath)
        do {
            let (content, _) = try GzipContent.read(path: file.path)
            loaded.contentSHA256 = SHA256.hex(of: content)
            loaded.fileSHA256 = try? SHA256.hex(ofFileAt: file.path)
            loaded.digest = try DigestFile(json: content)
        } catch {
            loaded.error = String(describing: error)
        }
        return loaded
    }

    private func storedLogFiles(_ connection: Connection, roots: Set<String>) throws -> [StoredFile] {
        let rows = try connection.makeStatement(
            sql: """
                SELECT root, path, status, content_sha256, ifnull(gzip_members, 0), warnings FROM files
                WHERE status != 'skipped' AND root IN (SELECT value FROM json_each(?))
                """
        ).rows([.text(JSONValue.array(roots.sorted().map { .string($0) }).rendered())])
        return rows.compactMap { row in
            guard let root = row[0].text, let path = row[1].text, let status = row[2].text else { return nil }
            let layout = PathLayout(path: path)
            guard layout.area == .logs else { return nil }
            return StoredFile(
                root: root,
                path: path,
                status: status,
                contentSHA256: row[3].text,
                gzipMembers: Int(row[4].integer ?? 0),
                warnings: row[5].text,
                layout: layout
            )
        }
    }

    // MARK: - Log files

    private func logFileVerdicts(_ digests: [LoadedDigest], _ stored: [StoredFile]) -> [IntegrityReport.LogFileVerdict]
    {
        let byKey = Dictionary(
            stored.map { ("\($0.root)\u{0}\($0.path)", $0) },
            uniquingKeysWith: { first, _ in first }
        )
        var listed: Set<String> = []
        var verdicts: [IntegrityReport.LogFileVerdict] = []
        for loaded in digests {
            guard let digest = loaded.digest else { continue }
            for entry in digest.logFiles {
                let key = "\(loaded.root)\u{0}\(entry.s3Object)"
                listed.insert(key)
                let layout = PathLayout(path: entry.s3Object)
                var verdict = IntegrityReport.LogFileVerdict(
                    verdict: "valid",
                    path: entry.s3Object,
                    accountID: layout.accountID,
                    region: layout.region,
                    digestPath: loaded.path
                )
                switch byKey[key] {
                case nil:
                    verdict.verdict = "missing"
                    verdict.detail = "listed by the digest but not in the dump"
                case let file? where file.contentSHA256 == nil:
                    verdict.verdict = "unreadable"
                    verdict.detail = "the file's first gzip member could not be read in full (status \(file.status))"
                case let file? where file.contentSHA256 != entry.hashValue:
                    verdict.verdict = "modified"
                    verdict.detail = "SHA-256 \(file.contentSHA256 ?? "") differs from the digest's \(entry.hashValue)"
                case let file? where file.gzipMembers > 1 || (file.warnings ?? "").contains("not gzip follow"):
                    verdict.verdict = "extra-data"
                    verdict.detail = "the first gzip member matches, but data follows it that no digest covers"
                default:
                    break
                }
                verdicts.append(verdict)
            }
        }
        for file in stored where !listed.contains("\(file.root)\u{0}\(file.path)") {
            verdicts.append(
                IntegrityReport.LogFileVerdict(
                    verdict: "uncovered",
                    path: file.path,
                    accountID: file.layout.accountID,
                    region: file.layout.region,
                    detail: "no digest in the dump lists this file"
                )
            )
        }
        return verdicts.sorted { $0.path < $1.path }
    }

    // MARK: - Digests

    private func digestVerdict(_ loaded: LoadedDigest, among all: [LoadedDigest]) -> IntegrityReport.DigestVerdict {
        let layout = PathLayout(path: loaded.path)
        var verdict = IntegrityReport.DigestVerdict(
            path: loaded.path,
            accountID: layout.accountID,
            region: layout.region,
            signature: "not-checked",
            location: "in-place",
            previousHash: "first",
            detail: loaded.error
        )
        guard let digest = loaded.digest, let content = loaded.contentSHA256 else {
            verdict.signature = "unreadable"
            return verdict
        }
        verdict.accountID = digest.accountID ?? layout.accountID
        verdict.region = digest.region ?? layout.region
        verdict.startTime = digest.startTime
        verdict.endTime = digest.endTime
        if digest.s3Object != loaded.path {
            verdict.location = "moved"
            verdict.detail = "found at '\(loaded.path)' but records itself as '\(digest.s3Object)'"
        }
        verdict.previousHash = previousHashVerdict(digest, root: loaded.root, among: all)
        verdict.signature = signatureVerdict(digest, contentSHA256: content)
        return verdict
    }

    private func previousHashVerdict(_ digest: DigestFile, root: String, among all: [LoadedDigest]) -> String {
        guard let previousKey = digest.previousS3Object, let expected = digest.previousHashValue?.lowercased() else {
            return "first"
        }
        guard let previous = all.first(where: { $0.root == root && $0.digest?.s3Object == previousKey }) else {
            return "not-checked"
        }
        if previous.contentSHA256 == expected { return "matches" }
        if previous.fileSHA256 == expected { return "matches-compressed" }
        return "differs"
    }

    private func signatureVerdict(_ digest: DigestFile, contentSHA256: String) -> String {
        guard let material else { return "not-checked" }
        guard let signature = material.signature(bucket: digest.s3Bucket, key: digest.s3Object) else {
            return "no-signature"
        }
        guard let key = material.key(fingerprint: digest.publicKeyFingerprint) else { return "unknown-key" }
        guard let bytes = Hex.bytes(from: signature) else { return "invalid" }
        let message = Array(digest.signingString(contentSHA256: contentSHA256).utf8)
        return key.verifySHA256(signature: bytes, message: message) ? "valid" : "invalid"
    }

    // MARK: - Chain

    private func chainProblems(_ digests: [LoadedDigest]) -> ([IntegrityReport.Gap], [IntegrityReport.MissingDigest]) {
        let parsed = digests.compactMap { loaded in loaded.digest.map { (loaded, $0) } }
        let keys = Set(parsed.map { "\($0.0.root)\u{0}\($0.1.s3Object)" })
        var missing: [IntegrityReport.MissingDigest] = []
        for (loaded, digest) in parsed {
            if let previous = digest.previousS3Object, !keys.contains("\(loaded.root)\u{0}\(previous)") {
                missing.append(IntegrityReport.MissingDigest(path: previous, referencedBy: loaded.path))
            }
        }
        var gaps: [IntegrityReport.Gap] = []
        let chains = Dictionary(grouping: parsed) {
            "\($0.0.root)\u{0}\($0.1.accountID ?? "")\u{0}\($0.1.region ?? "")"
        }
        for chain in chains.values {
            let ordered = chain.map(\.1).sorted { $0.startTime < $1.startTime }
            for (previous, next) in zip(ordered, ordered.dropFirst()) where next.startTime > previous.endTime {
                gaps.append(
                    IntegrityReport.Gap(
                        accountID: next.accountID,
                        region: next.region,
                        from: previous.endTime,
                        to: next.startTime
                    )
                )
            }
        }
        return (
            gaps.sorted {
                ($0.accountID ?? "", $0.region ?? "", $0.from) < ($1.accountID ?? "", $1.region ?? "", $1.from)
            },
            missing.sorted { $0.path < $1.path }
        )
    }

    // MARK: - Summaries

    private func summaries(_ report: IntegrityReport) -> [IntegrityReport.Summary] {
        var groups: [String: IntegrityReport.Summary] = [:]
        func key(_ account: String?, _ region: String?) -> String { "\(account ?? "")/\(region ?? "")" }
        func touch(_ account: String?, _ region: String?) {
            if groups[key(account, region)] == nil {
                groups[key(account, region)] = IntegrityReport.Summary(
                    accountID: account,
                    region: region,
                    verdict: "valid",
                    counts: [:]
                )
            }
        }
        for file in report.logFiles {
            touch(file.accountID, file.region)
            groups[key(file.accountID, file.region)]?.counts[file.verdict, default: 0] += 1
        }
        for digest in report.digests {
            touch(digest.accountID, digest.region)
            let groupKey = key(digest.accountID, digest.region)
            groups[groupKey]?.counts["digests", default: 0] += 1
            if let start = digest.startTime, start < groups[groupKey]?.from ?? "~" { groups[groupKey]?.from = start }
            if let end = digest.endTime, end > groups[groupKey]?.to ?? "" { groups[groupKey]?.to = end }
            for problem in problems(of: digest) { groups[groupKey]?.counts[problem, default: 0] += 1 }
        }
        for gap in report.gaps {
            touch(gap.accountID, gap.region)
            groups[key(gap.accountID, gap.region)]?.counts["gaps", default: 0] += 1
        }
        for missing in report.missingDigests {
            let layout = PathLayout(path: missing.path)
            touch(layout.accountID, layout.region)
            groups[key(layout.accountID, layout.region)]?.counts["missing-digests", default: 0] += 1
        }
        return groups.values.map { summary in
            var summary = summary
            summary.verdict = Self.verdict(for: summary.counts)
            return summary
        }.sorted { ($0.accountID ?? "", $0.region ?? "") < ($1.accountID ?? "", $1.region ?? "") }
    }

    private func problems(of digest: IntegrityReport.DigestVerdict) -> [String] {
        var problems: [String] = []
        if digest.location == "moved" { problems.append("moved-digests") }
        if digest.previousHash == "differs" { problems.append("previous-hash-differs") }
        if ["invalid", "unreadable"].contains(digest.signature) { problems.append("invalid-signatures") }
        if ["unknown-key", "no-signature"].contains(digest.signature) { problems.append("unverified-signatures") }
        return problems
    }

    private static func verdict(for counts: [String: Int]) -> String {
        let has = { (names: [String]) in names.contains { counts[$0, default: 0] > 0 } }
        if has(["modified", "extra-data", "unreadable", "invalid-signatures", "previous-hash-differs", "moved-digests"])
        {
            return "modified"
        }
        if has(["missing", "missing-digests", "gaps"]) { return "missing" }
        if has(["uncovered", "unverified-signatures"]) { return "unverifiable" }
        return "valid"
    }
}
