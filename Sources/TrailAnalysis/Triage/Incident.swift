import TrailCore

/// An origin principal whose tree of sessions shows attacker techniques, with what it did.
///
/// The field names are the `report.json` contract documented in the README.
package struct Incident: Sendable {
    /// `INC-1`, `INC-2`, … in the order of the report: most severe first, then earliest.
    package var id: String
    package var severity: String
    package var origin: Session.Origin
    /// The origin's identity in the graph: its ARN, `service/resource`, or a session ARN.
    package var originKey: String
    package var sessions: [Session]
    package var techniques: [TechniqueSighting]
    /// One sentence per reason the origin was reported, for a person to check.
    package var reasons: [String]
    package var timeline: [TimelineRow]
    package var eventCount: Int
    package var errorCount: Int
    package var firstSeen: String?
    package var lastSeen: String?
    package var accounts: [String]
    package var sourceIPAddresses: [String]

    /// Whether a session of the tree was obtained in another account than its parent's.
    package var crossAccount: Bool { sessions.contains { $0.crossAccount } }

    /// The depth of the longest chain of sessions in the tree.
    package var chainDepth: Int { sessions.map(\.chainDepth).max() ?? 0 }

    package var jsonValue: JSONValue {
        .object([
            ("id", .string(id)),
            ("severity", .string(severity)),
            ("origin", origin.jsonValue),
            ("originKey", .string(originKey)),
            ("reasons", .array(reasons.map { .string($0) })),
            ("eventCount", .int(eventCount)),
            ("errorCount", .int(errorCount)),
            ("firstSeen", .optional(firstSeen)),
            ("lastSeen", .optional(lastSeen)),
            ("accounts", .array(accounts.map { .string($0) })),
            ("sourceIPAddresses", .array(sourceIPAddresses.map { .string($0) })),
            ("crossAccount", .bool(crossAccount)),
            ("chainDepth", .int(chainDepth)),
            ("sessions", .array(sessions.map(\.jsonValue))),
            ("techniques", .array(techniques.map(\.jsonValue))),
            ("timeline", .array(timeline.map { .object($0.members) })),
        ])
    }
}

/// The calls (or behaviours) of one incident that map to one ATT&CK technique.
package struct TechniqueSighting: Sendable {
    package var technique: Technique
    /// The behaviour or call names that showed it, such as `StopLogging` or `DiscoveryBurst`.
    package var names: [String]
    package var count: Int
    /// How many of the sightings were discounted as the origin's routine activity.
    package var routineCount: Int
    package var firstSeen: String?
    package var lastSeen: String?
    /// The evidence, at most ``TechniqueSighting/evidenceLimit`` event IDs.
    package var eventIDs: [String]
    package var sourceIPAddresses: [String]

    /// The most event IDs kept as evidence of one technique.
    package static let evidenceLimit = 50

    package var jsonValue: JSONValue {
        .object([
            ("tactic", .string(technique.tactic)),
            ("techniqueId", .string(technique.techniqueID)),
            ("name", .string(technique.name)),
            ("severity", .string(technique.severity)),
            ("seenAs", .array(names.map { .string($0) })),
            ("count", .int(count)),
            ("routineCount", .int(routineCount)),
            ("firstSeen", .optional(firstSeen)),
            ("lastSeen", .optional(lastSeen)),
            ("eventIDs", .array(eventIDs.map { .string($0) })),
            ("sourceIPAddresses", .array(sourceIPAddresses.map { .string($0) })),
        ])
    }
}

extension Session.Origin {
    /// A description for people: the name or ARN, with the service and resource when known.
    package var label: String {
        if let resource {
            return service.map { "\(resource) (\($0))" } ?? resource
        }
        return arn ?? name ?? service ?? "unknown origin"
    }
}
