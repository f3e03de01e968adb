import Foundation
import TrailCore
import TrailGeo

// MARK: - Techniques, new behaviour and volume against the baseline

extension Investigator {
    /// Call volume is far above the baseline from this many calls and this ratio of rates.
    static let volumeMinimumCalls = 50
    static let volumeRatio = 10.0
    /// The failed-call rate is far above the baseline from this many failures, this share of
    /// the scope's calls, and three times the baseline's share plus this margin.
    static let failureMinimumCalls = 10
    static let failureMinimumShare = 0.2
    static let failureMargin = 0.05

    /// One indicator per technique, API call and source address of the scope's calls that the
    /// technique table maps; informational when the baseline has the same call from there.
    func techniquesObserved() -> [Indicator] {
        let routine = Set(baseline.filter { $0.technique != nil }.map { "\($0.apiName)|\($0.sourceIPAddress ?? "")" })
        var order: [String] = []
        var groups: [String: [InvestigatedCall]] = [:]
        for call in scope {
            guard let technique = call.technique else { continue }
            let key = "\(technique.techniqueID)|\(technique.severity)|\(call.apiName)|\(call.sourceIPAddress ?? "")"
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(call)
        }
        return order.compactMap { key in
            guard let group = groups[key], let first = group.first, let technique = first.technique else { return nil }
            let failures = group.filter(\.failed).count
            let isRoutine = routine.contains("\(first.apiName)|\(first.sourceIPAddress ?? "")")
            let address = first.sourceIPAddress ?? "no source address"
            let sentence =
                "\(first.apiName) was called \(Self.count(group.count, "time")) from \(address) "
                + "(\(group.count - failures) succeeded, \(failures) failed), which maps to \(technique.tactic) "
                + "\(technique.techniqueID) \(technique.name)"
                + (isRoutine ? "; the baseline has the same call from the same address." : ".")
            return Indicator(
                kind: .ttpObserved,
                severity: isRoutine ? "informational" : technique.severity,
                explanation: sentence,
                eventIDs: Self.evidence(group),
                details: [
                    ("tactic", .string(technique.tactic)), ("techniqueId", .string(technique.techniqueID)),
                    ("techniqueName", .string(technique.name)), ("procedure", .string(first.apiName)),
                    ("sourceIPAddress", .optional(first.sourceIPAddress)),
                    ("successCount", .int(group.count - failures)),
                    ("failureCount", .int(failures)), ("inBaseline", .bool(isRoutine)),
                ]
            )
        }
    }

    /// Values of the scope never seen in the baseline: API calls, source IPs, user agents,
    /// regions, and countries and networks when the databases are given.
    func newBehaviour() -> [Indicator] {
        var found: [Indicator?] = [
            newValues(.newAPICall, severity: "low", noun: "API call") { $0.apiName },
            newValues(.newSourceIP, severity: "low", noun: "source IP") { call in
                call.sourceIPAddress.flatMap { IPNetwork.bytes(of: $0) == nil ? nil : $0 }
            },
            newValues(.newUserAgent, severity: "low", noun: "user agent") { $0.userAgent },
            newValues(.newRegion, severity: "medium", noun: "region") { $0.region },
        ]
        if geo.hasCities {
            found.append(
                newValues(.newCountry, severity: "medium", noun: "country", plural: "countries") { call in
                    geo.place(of: call.sourceIPAddress)?.countryCode
                }
            )
        }
        if geo.hasNetworks {
            found.append(
                newValues(.newASN, severity: "medium", noun: "autonomous system") { call in
                    geo.place(of: call.sourceIPAddress)?.autonomousSystem
                }
            )
        }
        return found.compactMap { $0 }
    }

    private func newValues(
        _ kind: Indicator.Kind,
        severity: String,
        noun: String,
        plural: String? = nil,
        value: (InvestigatedCall) -> String?
    ) -> Indicator? {
        let known = Set(baseline.compactMap(value))
        var order: [String] = []
        var byValue: [String: [InvestigatedCall]] = [:]
        for call in scope {
            guard let text = value(call), !known.contains(text) else { continue }
            if byValue[text] == nil { order.append(text) }
            byValue[text, default: []].append(call)
        }
        guard !order.isEmpty else { return nil }
        let described = order.map { "\($0) (\(Self.count(byValue[$0]?.count ?? 0, "call")))" }
        let values: [JSONValue] = order.map { text in
            let group = byValue[text] ?? []
            return .object([
                ("value", .string(text)), ("callCount", .int(group.count)),
                ("firstSeen", .optional(group.first.map { Self.time($0.timeMs) })),
                ("eventIDs", .array(group.prefix(5).map { .string($0.eventID) })),
            ])
        }
        return Indicator(
            kind: kind,
            severity: severity,
            explanation: "In the scope it used \(Self.count(order.count, noun, plural)) never seen in its "
                + "\(options.baselineDays)-day baseline: \(Self.list(described)).",
            eventIDs: order.compactMap { byValue[$0]?.first?.eventID }
                + order.flatMap { (byValue[$0] ?? []).dropFirst().map(\.eventID) },
            details: [("values", .array(values))]
        )
    }

    /// Call volume and failed-call rate far above the baseline's.
    func volumeChanges() -> [Indicator] {
        let scopeHours = max(Double(scopeEndMs - scopeStartMs) / 3_600_000, 1)
        let baselineFrom = max(baselineStartMs, calls.first?.timeMs ?? baselineStartMs)
        let baselineHours = max(Double(scopeStartMs - baselineFrom) / 3_600_000, 1)
        let scopeRate = Double(scope.count) / scopeHours
        let baselineRate = Double(baseline.count) / baselineHours
        var found: [Indicator] = []
        if scope.count >= Self.volumeMinimumCalls, scopeRate >= Self.volumeRatio * baselineRate {
            found.append(volumeIndicator(scopeRate: scopeRate, baselineRate: baselineRate))
        }
        if let failures = failedCallRateChange() { found.append(failures) }
        return found
    }

    private func volumeIndicator(scopeRate: Double, baselineRate: Double) -> Indicator {
        Indicator(
            kind: .volumeChange,
            severity: "medium",
            explanation: "It made \(Self.count(scope.count, "call")) in the scope, \(Self.decimal(scopeRate)) "
                + "an hour, against \(Self.decimal(baselineRate)) an hour in its baseline.",
            eventIDs: Self.evidence(scope),
            details: [
                ("scopeCallsPerHour", .double(Self.rounded(scopeRate))),
                ("baselineCallsPerHour", .double(Self.rounded(baselineRate))),
                ("scopeCallCount", .int(scope.count)), ("baselineCallCount", .int(baseline.count)),
            ]
        )
    }

    private func failedCallRateChange() -> Indicator? {
        let failures = scope.filter(\.failed)
        let share = Double(failures.count) / Double(max(scope.count, 1))
        let baselineShare = Double(baseline.filter(\.failed).count) / Double(max(baseline.count, 1))
        guard failures.count >= Self.failureMinimumCalls, share >= Self.failureMinimumShare,
            share >= 3 * baselineShare + Self.failureMargin
        else { return nil }
        return Indicator(
            kind: .failedCallRateChange,
            severity: "medium",
            explanation: "\(Self.count(failures.count, "call")) of the scope's \(scope.count) failed "
                + "(\(Self.percent(share))), against \(Self.percent(baselineShare)) of its baseline's calls.",
            eventIDs: Self.evidence(failures),
            details: [
                ("scopeFailedShare", .double(Self.rounded(share))),
                ("baselineFailedShare", .double(Self.rounded(baselineShare))),
                ("scopeFailedCount", .int(failures.count)),
            ]
        )
    }

    static func decimal(_ value: Double) -> String {
        String(format: "%.1f", value)
    }

    static func percent(_ share: Double) -> String {
        String(format: "%.0f%%", share * 100)
    }

    static func rounded(_ value: Double) -> Double {
        (value * 1000).rounded() / 1000
    }
}
