import TrailCore

/// The verdicts of `trailhound verify`.
///
/// Each log file and digest, the chain's gaps, and a verdict per account and region. Field names
/// are the `verify --format json` contract.
package struct IntegrityReport: Sendable {
    package struct LogFileVerdict: Sendable {
        /// `valid`, `modified`, `missing`, `extra-data`, `unreadable` or `uncovered`.
        package var verdict: String
        package var path: String
        package var accountID: String?
        package var region: String?
        package var detail: String?
        package var digestPath: String?
    }

    package struct DigestVerdict: Sendable {
        package var path: String
        package var accountID: String?
        package var region: String?
        package var startTime: String?
        package var endTime: String?
        /// `valid`, `invalid`, `unknown-key`, `no-signature`, `not-checked` or `unreadable`.
        package var signature: String
        /// `in-place` or `moved` (found away from the key it records).
        package var location: String
        /// `matches`, `matches-compressed`, `differs`, `not-checked` or `first` (no previous).
        package var previousHash: String
        package var detail: String?
    }

    package struct Gap: Sendable {
        package var accountID: String?
        package var region: String?
        package var from: String
        package var to: String
    }

    package struct MissingDigest: Sendable {
        package var path: String
        package var referencedBy: String
    }

    package struct Summary: Sendable {
        package var accountID: String?
        package var region: String?
        package var from: String?
        package var to: String?
        /// `valid`, `modified`, `missing` or `unverifiable`.
        package var verdict: String
        package var counts: [String: Int]
    }

    package var checkedAt: String
    /// Whether signatures were checked, and if not, why.
    package var signatures: String
    package var logFiles: [LogFileVerdict]
    package var digests: [DigestVerdict]
    package var gaps: [Gap]
    package var missingDigests: [MissingDigest]
    package var summaries: [Summary]

    /// The worst verdict of all: `valid` only when everything checked is valid.
    package var verdict: String {
        let order = ["modified", "missing", "unverifiable", "valid"]
        return order.first { verdict in summaries.contains { $0.verdict == verdict } } ?? "valid"
    }
}

// MARK: - JSON

extension IntegrityReport {
    package var jsonValue: JSONValue {
        .object([
            ("checkedAt", .string(checkedAt)),
            ("verdict", .string(verdict)),
            ("signatures", .string(signatures)),
            ("summary", .array(summaries.map(\.jsonValue))),
            ("logFiles", .array(logFiles.map(\.jsonValue))),
            ("digests", .array(digests.map(\.jsonValue))),
            ("gaps", .array(gaps.map(\.jsonValue))),
            (
                "missingDigests",
                .array(
                    missingDigests.map {
                        .object([("path", .string($0.path)), ("referencedBy", .string($0.referencedBy))])
                    }
                )
            ),
        ])
    }
}

extension IntegrityReport.LogFileVerdict {
    var jsonValue: JSONValue {
        .object([
            ("path", .string(path)), ("verdict", .string(verdict)), ("accountId", .optional(accountID)),
            ("region", .optional(region)), ("detail", .optional(detail)), ("digest", .optional(digestPath)),
        ])
    }
}

extension IntegrityReport.DigestVerdict {
    var jsonValue: JSONValue {
        .object([
            ("path", .string(path)), ("accountId", .optional(accountID)), ("region", .optional(region)),
            ("startTime", .optional(startTime)), ("endTime", .optional(endTime)), ("signature", .string(signature)),
            ("location", .string(location)), ("previousHash", .string(previousHash)), ("detail", .optional(detail)),
        ])
    }
}

extension IntegrityReport.Gap {
    var jsonValue: JSONValue {
        .object([
            ("accountId", .optional(accountID)), ("region", .optional(region)), ("from", .string(from)),
            ("to", .string(to)),
        ])
    }
}

extension IntegrityReport.Summary {
    var jsonValue: JSONValue {
        .object([
            ("accountId", .optional(accountID)), ("region", .optional(region)), ("from", .optional(from)),
            ("to", .optional(to)), ("verdict", .string(verdict)),
            ("counts", .object(counts.sorted { $0.key < $1.key }.map { ($0.key, .int($0.value)) })),
        ])
    }
}
