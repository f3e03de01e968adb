import TrailCore

/// One set of temporary credentials: who obtained it, how, and what was done with it.
///
/// The field names are the `sessions --format json` contract documented in the README.
package struct Session: Codable, Equatable, Sendable {
    /// The principal that made the issuing call.
    package struct Principal: Codable, Equatable, Sendable {
        package var type: String?
        package var arn: String?
        package var accountId: String?
        package var accessKeyId: String?
        package var service: String?

        static let unknown = Principal()
    }

    /// The first principal at the root of a chain of sessions.
    package struct Origin: Codable, Hashable, Sendable {
        package var type: String?
        package var arn: String?
        package var name: String?
        package var service: String?
        package var resource: String?

        static let unknown = Origin()
    }

    package var accessKeyId: String
    package var kind: String?
    package var roleArn: String?
    package var sessionName: String?
    package var sessionArn: String?
    package var accountId: String?
    package var issuedAt: String?
    package var expiresAt: String?
    package var assumedBy = Principal.unknown
    package var parentAccessKeyId: String?
    package var origin = Origin.unknown
    package var chainDepth = 1
    package var roleChaining = false
    package var crossAccount = false
    package var sourceIdentity: String?
    package var eventCount = 0
    package var firstEventTime: String?
    package var lastEventTime: String?
    package var sourceIPAddresses: [String] = []
    package var userAgents: [String] = []
    package var errorCount = 0
    package var issuingEventID: String?

    init(accessKeyId: String) {
        self.accessKeyId = accessKeyId
    }
}

// MARK: - JSON output

extension Session {
    /// The contract object, fields in their documented order.
    package var jsonValue: JSONValue {
        .object(jsonMembers)
    }

    /// The contract fields, for callers that add members (as `chain` adds `descendants`).
    package var jsonMembers: [(String, JSONValue)] {
        [
            ("accessKeyId", .string(accessKeyId)),
            ("kind", .optional(kind)),
            ("roleArn", .optional(roleArn)),
            ("sessionName", .optional(sessionName)),
            ("sessionArn", .optional(sessionArn)),
            ("accountId", .optional(accountId)),
            ("issuedAt", .optional(issuedAt)),
            ("expiresAt", .optional(expiresAt)),
            ("assumedBy", assumedBy.jsonValue),
            ("parentAccessKeyId", .optional(parentAccessKeyId)),
            ("origin", origin.jsonValue),
            ("chainDepth", .int(chainDepth)),
            ("roleChaining", .bool(roleChaining)),
            ("crossAccount", .bool(crossAccount)),
            ("sourceIdentity", .optional(sourceIdentity)),
            ("eventCount", .int(eventCount)),
            ("firstEventTime", .optional(firstEventTime)),
            ("lastEventTime", .optional(lastEventTime)),
            ("sourceIPAddresses", .array(sourceIPAddresses.map { .string($0) })),
            ("userAgents", .array(userAgents.map { .string($0) })),
            ("errorCount", .int(errorCount)),
            ("issuingEventID", .optional(issuingEventID)),
        ]
    }
}

extension Session.Principal {
    var jsonValue: JSONValue {
        .object([
            ("type", .optional(type)),
            ("arn", .optional(arn)),
            ("accountId", .optional(accountId)),
            ("accessKeyId", .optional(accessKeyId)),
            ("service", .optional(service)),
        ])
    }
}

extension Session.Origin {
    var jsonValue: JSONValue {
        .object([
            ("type", .optional(type)),
            ("arn", .optional(arn)),
            ("name", .optional(name)),
            ("service", .optional(service)),
            ("resource", .optional(resource)),
        ])
    }
}
