import TrailCore

// MARK: - Related sessions

extension Investigator {
    /// How long before and after the principal's use of an address others' calls from it count.
    static let neighbourMarginMs: Int64 = 3_600_000

    /// The other sessions of the subtree active in the scope, and the principals outside it that
    /// called with the same user agent from a public source address the principal used in the
    /// scope but not in its baseline, within an hour of that use.
    func relatedSessions(databasePath: String) throws -> [Indicator] {
        var found: [Indicator] = []
        if let tree = sessionsOfTree() { found.append(tree) }

        // Only addresses new against the baseline: a routine address (an office's NAT) is shared
        // by colleagues for good reasons, and leaving it out keeps the time-index scan short.
        let usual = Set(baseline.compactMap(\.sourceIPAddress))
        var pairs: Set<AddressAgent> = []
        var window = (start: Int64.max, end: Int64.min)
        for call in scope {
            guard let address = call.sourceIPAddress, let agent = call.userAgent, Self.isPublicIP(address),
                !usual.contains(address)
            else { continue }
            pairs.insert(AddressAgent(address: address, userAgent: agent))
            window = (min(window.start, call.timeMs), max(window.end, call.timeMs))
        }
        let neighbours = try InvestigationEvidence.neighbours(
            sharing: pairs,
            between: max(scopeStartMs, window.start - Self.neighbourMarginMs),
            and: min(scopeEndMs, window.end + Self.neighbourMarginMs),
            excludingKeys: sessionKeys.union(calls.compactMap(\.accessKeyID)),
            actors: Set(calls.map(\.actor)),
            databasePath: databasePath
        )
        guard !neighbours.isEmpty else { return found }
        var order: [String] = []
        var byActor: [String: [InvestigationEvidence.Neighbour]] = [:]
        for neighbour in neighbours.sorted(by: { $0.firstEventID < $1.firstEventID }) {
            if byActor[neighbour.actor] == nil { order.append(neighbour.actor) }
            byActor[neighbour.actor, default: []].append(neighbour)
        }
        let described = order.map { actor in
            let group = byActor[actor] ?? []
            let addresses = Self.distinct(group.map(\.sourceIPAddress))
            return "\(actor) (\(Self.list(addresses)), \(Self.count(group.map(\.calls).reduce(0, +), "call")))"
        }
        let principals: [JSONValue] = order.map { actor in
            let group = byActor[actor] ?? []
            return .object([
                ("principal", .string(actor)),
                ("accessKeyIds", .array(Self.distinct(group.compactMap(\.accessKeyID)).map { .string($0) })),
                ("sourceIPAddresses", .array(Self.distinct(group.map(\.sourceIPAddress)).map { .string($0) })),
                ("callCount", .int(group.map(\.calls).reduce(0, +))),
            ])
        }
        found.append(
            Indicator(
                kind: .relatedSessions,
                severity: "low",
                explanation: "\(Self.count(order.count, "other principal")) called from the same source IP with the "
                    + "same user agent in the scope: \(Self.list(described)).",
                eventIDs: order.compactMap { byActor[$0]?.first?.firstEventID },
                details: [("sameSourceAndUserAgent", .array(principals))]
            )
        )
        return found
    }

    /// The sessions of the subtree that made calls in the scope, when there are several.
    private func sessionsOfTree() -> Indicator? {
        var order: [String] = []
        var byKey: [String: [InvestigatedCall]] = [:]
        for call in scope {
            guard let key = call.accessKeyID, sessionKeys.contains(key) else { continue }
            if byKey[key] == nil { order.append(key) }
            byKey[key, default: []].append(call)
        }
        guard order.count >= 2 else { return nil }
        let sessions: [JSONValue] = order.map { key in
            let group = byKey[key] ?? []
            return .object([
                ("accessKeyId", .string(key)), ("principal", .optional(group.first?.actor)),
                ("callCount", .int(group.count)),
            ])
        }
        let described = order.map { key in
            "\(key) (\(byKey[key]?.first?.actor ?? "?"), \(Self.count(byKey[key]?.count ?? 0, "call")))"
        }
        return Indicator(
            kind: .relatedSessions,
            severity: "informational",
            explanation: "\(order.count) sessions of its tree made calls in the scope: \(Self.list(described)).",
            eventIDs: order.compactMap { byKey[$0]?.first?.eventID },
            details: [("treeSessions", .array(sessions))]
        )
    }
}
