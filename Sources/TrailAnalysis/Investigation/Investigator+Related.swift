import TrailCore

// MARK: - Related sessions

extension Investigator {
    /// How long before and after the principal's use of an address others' calls from it count.
    static let neighbourMarginMs: Int64 = 15 * 60_000

    /// The disjoint windows of `margin` either side of `times` (in time order), inside `bounds`.
    static func windows(
        around times: [Int64],
        margin: Int64,
        within bounds: ClosedRange<Int64>
    ) -> [ClosedRange<Int64>] {
        var windows: [ClosedRange<Int64>] = []
        for time in times {
            let start = max(bounds.lowerBound, time - margin)
            let end = min(bounds.upperBound, time + margin)
            guard start <= end else { continue }
            if let last = windows.last, start <= last.upperBound + 1 {
                windows[windows.count - 1] = last.lowerBound...max(last.upperBound, end)
            } else {
                windows.append(start...end)
            }
        }
        return windows
    }

    /// The other sessions of the subtree active in the scope, and the principals outside it that
    /// called with the same user agent from a public source address the principal used in the
    /// scope but not in its baseline, within 15 minutes of a call of the principal from there.
    func relatedSessions(databasePath: String) throws -> [Indicator] {
        var found: [Indicator] = []
        if let tree = sessionsOfTree() { found.append(tree) }

        // Only addresses new against the baseline: a routine address (an office's NAT) is shared
        // by colleagues for good reasons, and leaving it out keeps the time-index scan short.
        let usual = Set(baseline.compactMap(\.sourceIPAddress))
        var pairs: Set<AddressAgent> = []
        var times: [Int64] = []
        for call in scope {
            guard let address = call.sourceIPAddress, let agent = call.userAgent, Self.isPublicIP(address),
                !usual.contains(address)
            else { continue }
            pairs.insert(AddressAgent(address: address, userAgent: agent))
            times.append(call.timeMs)
        }
        let neighbours = try InvestigationEvidence.neighbours(
            sharing: pairs,
            during: Self.windows(around: times, margin: Self.neighbourMarginMs, within: scopeStartMs...scopeEndMs),
            excludingKeys: sessionKeys.union(calls.compactMap(\.accessKeyID)),
            actors: Set(calls.map(\.actor)),
            databasePath: databasePath
        )
        if let shared = Self.sharedAddressIndicator(neighbours) { found.append(shared) }
        return found
    }

    /// The principals that shared an address and user agent, one line of evidence each.
    private static func sharedAddressIndicator(_ neighbours: [InvestigationEvidence.Neighbour]) -> Indicator? {
        guard !neighbours.isEmpty else { return nil }
        var order: [String] = []
        var byActor: [String: [InvestigationEvidence.Neighbour]] = [:]
        for neighbour in neighbours.sorted(by: { $0.firstEventID < $1.firstEventID }) {
            if byActor[neighbour.actor] == nil { order.append(neighbour.actor) }
            byActor[neighbour.actor, default: []].append(neighbour)
        }
        var described: [String] = []
        var principals: [JSONValue] = []
        for actor in order {
            let group = byActor[actor] ?? []
            let addresses = distinct(group.map(\.sourceIPAddress))
            let calls = group.map(\.calls).reduce(0, +)
            described.append("\(actor) (\(list(addresses)), \(count(calls, "call")))")
            principals.append(
                .object([
                    ("principal", .string(actor)),
                    ("accessKeyIds", .array(distinct(group.compactMap(\.accessKeyID)).map { .string($0) })),
                    ("sourceIPAddresses", .array(addresses.map { .string($0) })), ("callCount", .int(calls)),
                ])
            )
        }
        return Indicator(
            kind: .relatedSessions,
            severity: "low",
            explanation: "\(count(order.count, "other principal")) called from the same source IP with the "
                + "same user agent in the scope: \(list(described)).",
            eventIDs: order.compactMap { byActor[$0]?.first?.firstEventID },
            details: [("sameSourceAndUserAgent", .array(principals))]
        )
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
