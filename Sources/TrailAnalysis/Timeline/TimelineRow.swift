import TrailCore

/// One call in a principal's timeline, with the chain of sessions it was made through.
package struct TimelineRow: Sendable {
    package var time: String?
    package var eventID: String?
    package var accountID: String?
    package var region: String?
    package var eventSource: String?
    package var eventName: String?
    package var errorCode: String?
    package var sourceIPAddress: String?
    package var userAgent: String?
    package var principalARN: String?
    package var accessKeyID: String?
    /// Access keys from the origin's first session down to the one that made the call; empty
    /// for calls made with long-term credentials.
    package var chain: [String]
    /// The request's notable parameters, such as `roleArn=…` or `bucketName=…`.
    package var summary: String
    /// The ATT&CK technique the call maps to, by the technique table.
    package var technique: Technique?
    package var file: String?
    package var recordIndex: Int?

    /// The row's fields, in the order of `timeline --format json`.
    package var members: [(String, JSONValue)] {
        [
            ("time", .optional(time)), ("eventID", .optional(eventID)), ("accountId", .optional(accountID)),
            ("region", .optional(region)), ("eventSource", .optional(eventSource)), ("eventName", .optional(eventName)),
            ("errorCode", .optional(errorCode)), ("sourceIPAddress", .optional(sourceIPAddress)),
            ("userAgent", .optional(userAgent)), ("principalArn", .optional(principalARN)),
            ("accessKeyId", .optional(accessKeyID)), ("chain", .array(chain.map { .string($0) })),
            ("summary", .string(summary)), ("technique", technique?.jsonValue ?? .null), ("file", .optional(file)),
            ("recordIndex", recordIndex.map { .int($0) } ?? .null),
        ]
    }
}
