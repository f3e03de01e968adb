import Foundation
import TrailCore
import TrailGeo
import TrailIngest

/// Investigates a principal and its session subtree over a scope time, against the baseline of
/// the days before it: the rules are in the README ("How investigate decides").
package struct Investigator {
    package struct Options: Sendable {
        /// The principal ARNs, session ARNs or access keys investigated together.
        package var subjects: [String]
        /// ISO 8601 bounds of the scope; without them the scope is the last 24 hours of activity.
        package var from: String?
        package var to: String?
        /// How the caller chose `from` and `to`, when it was not the analyst.
        package var scopeRule: String?
        package var baselineDays = Investigation.defaultBaselineDays
        /// A MaxMind City (or Country) database, for countries and impossible travel.
        package var cityDatabasePath: String?
        /// A MaxMind ASN database.
        package var asnDatabasePath: String?
        package var flaggedAddresses: FlaggedAddressList?

        package init(subjects: [String]) {
            self.subjects = subjects
        }
    }

    /// The fastest a person plausibly travels between two calls, an airliner's speed with margin.
    static let travelSpeedKmPerHour = 1_000.0
    /// Places closer than this are not worth calling travel: databases place cities loosely.
    static let travelMinimumKm = 500.0
    static let dayMs: Int64 = 86_400_000

    let options: Options
    let calls: [InvestigatedCall]
    let sessionKeys: Set<String>
    let scope: ArraySlice<InvestigatedCall>
    let baseline: ArraySlice<InvestigatedCall>
    let scopeStartMs: Int64
    let scopeEndMs: Int64
    let baselineStartMs: Int64
    let geo: GeoLocator

    /// Investigates the subjects of `options` in the case at `databasePath`.
    ///
    /// - Throws: `SessionChain.LookupError.notFound` when the database knows none of them.
    package static func investigate(
        databasePath: String,
        options: Options,
        techniques: TechniqueTable? = nil
    ) throws -> Investigation {
        let techniques = try techniques ?? TechniqueTable.bundled()
        let found = try InvestigationEvidence.calls(
            of: options.subjects,
            databasePath: databasePath,
            techniques: techniques
        )
        let geo = try GeoLocator(cityDatabasePath: options.cityDatabasePath, asnDatabasePath: options.asnDatabasePath)
        let investigator = Investigator(options: options, calls: found.calls, sessionKeys: found.keys, geo: geo)
        return try investigator.run(databasePath: databasePath)
    }

    init(options: Options, calls: [InvestigatedCall], sessionKeys: Set<String>, geo: GeoLocator) {
        self.options = options
        self.calls = calls
        self.sessionKeys = sessionKeys
        self.geo = geo
        let bounds = Self.scopeBounds(options: options, lastMs: calls.last?.timeMs ?? 0)
        scopeStartMs = bounds.start
        scopeEndMs = bounds.end
        baselineStartMs = bounds.start - Int64(options.baselineDays) * Self.dayMs
        let scopeFirst = calls.partitioningIndex { $0.timeMs >= bounds.start }
        let scopeEnd = calls.partitioningIndex { $0.timeMs > bounds.end }
        let baselineFirst = calls.partitioningIndex {
            $0.timeMs >= bounds.start - Int64(options.baselineDays) * Self.dayMs
        }
        scope = calls[scopeFirst..<max(scopeFirst, scopeEnd)]
        baseline = calls[baselineFirst..<scopeFirst]
    }

    /// The scope's bounds in milliseconds: the options', or the last day of activity.
    static func scopeBounds(options: Options, lastMs: Int64) -> (start: Int64, end: Int64) {
        let from = options.from.flatMap(EventTime.milliseconds(from:))
        let to = options.to.flatMap(EventTime.milliseconds(from:))
        switch (from, to) {
        case (let from?, let to?): return (from, max(from, to))
        case (let from?, nil): return (from, max(from, lastMs))
        case (nil, let to?): return (to - Investigation.defaultScopeMs, to)
        case (nil, nil): return (lastMs - Investigation.defaultScopeMs, lastMs)
        }
    }

    private var scopeRule: String {
        if let rule = options.scopeRule { return rule }
        switch (options.from, options.to) {
        case (_?, _?): return "from --from to --to"
        case (_?, nil): return "from --from to its last call"
        case (nil, _?): return "the 24 hours before --to"
        case (nil, nil): return "the last 24 hours of its activity (no --from or --to was given)"
        }
    }

    /// Whether the principal's history before the scope is shorter than Detective's two weeks.
    var baselineIsTooShort: Bool {
        guard let first = calls.first else { return true }
        return first.timeMs > scopeStartMs - Int64(Investigation.minimumBaselineDays) * Self.dayMs
    }

    func run(databasePath: String) throws -> Investigation {
        var indicators = techniquesObserved()
        if !baselineIsTooShort {
            indicators += newBehaviour() + volumeChanges()
        }
        indicators += impossibleTravel() + flaggedAddresses() + instanceCredentialsElsewhere()
        indicators += try relatedSessions(databasePath: databasePath)
        indicators.sort { left, right in
            let ranks = (TechniqueTable.rank(of: left.severity), TechniqueTable.rank(of: right.severity))
            return ranks.0 != ranks.1 ? ranks.0 > ranks.1 : left.kind.order < right.kind.order
        }
        return Investigation(
            subject: options.subjects.joined(separator: ", "),
            scopeStart: EventTime.iso8601(milliseconds: scopeStartMs),
            scopeEnd: EventTime.iso8601(milliseconds: scopeEndMs),
            scopeRule: scopeRule,
            baselineDays: options.baselineDays,
            baselineStart: EventTime.iso8601(milliseconds: baselineStartMs),
            firstActivity: calls.first.map { EventTime.iso8601(milliseconds: $0.timeMs) },
            baselineIsTooShort: baselineIsTooShort,
            scopeEventCount: scope.count,
            baselineEventCount: baseline.count,
            severity: Investigation.severity(of: indicators),
            indicators: indicators,
            limitations: limitations()
        )
    }

    // MARK: - What could not be known

    private func limitations() -> [String] {
        var notes: [String] = []
        if scope.isEmpty { notes.append("The principal made no call in the scope.") }
        if baselineIsTooShort {
            let days = calls.first.map { (scopeStartMs - $0.timeMs) / Self.dayMs } ?? 0
            notes.append(
                "The baseline is too short to judge new behaviour or call volume: the first call in the dump is "
                    + "\(max(days, 0)) days before the scope, and \(Investigation.minimumBaselineDays) are needed."
            )
        }
        if !geo.hasCities {
            notes.append(
                "Geolocation was not checked: no --geoip database was given, so new countries and impossible "
                    + "travel are unknown."
            )
        } else {
            let unplaced = Set(scope.compactMap(\.sourceIPAddress).filter(Self.isPublicIP))
                .filter { geo.place(of: $0)?.hasLocation != true }.sorted()
            if !unplaced.isEmpty {
                notes.append(
                    "\(Self.count(unplaced.count, "public source IP")) of the scope "
                        + (unplaced.count == 1 ? "has" : "have")
                        + " no location in the geolocation database: \(Self.list(unplaced))."
                )
            }
        }
        if !geo.hasNetworks {
            notes.append("Autonomous systems were not checked: no --asn database was given.")
        }
        if options.flaggedAddresses == nil {
            notes.append("Flagged IPs were not checked: no --flagged-ips list was given.")
        }
        return notes
    }

    // MARK: - Wording

    /// `1 call`, `3 calls`; `plural` when adding an s is wrong.
    static func count(_ number: Int, _ singular: String, _ plural: String? = nil) -> String {
        "\(number) " + (number == 1 ? singular : plural ?? singular + "s")
    }

    /// `a, b and c`, or the first `limit` items and how many more.
    static func list(_ items: [String], limit: Int = 5) -> String {
        guard items.count > 1 else { return items.first ?? "" }
        if items.count > limit {
            return items.prefix(limit).joined(separator: ", ") + " and \(items.count - limit) more"
        }
        return items.dropLast().joined(separator: ", ") + " and " + (items.last ?? "")
    }

    /// The event IDs of `calls`, up to the evidence limit.
    static func evidence(_ calls: some Sequence<InvestigatedCall>) -> [String] {
        Array(calls.lazy.map(\.eventID).prefix(Indicator.evidenceLimit))
    }

    /// Whether `address` is a public IPv4 or IPv6 address, not a name such as `AWS Internal`.
    static func isPublicIP(_ address: String) -> Bool {
        IPNetwork.bytes(of: address) != nil && IsolationPlanner.isPublicAddress(address)
    }

    static func time(_ milliseconds: Int64) -> String {
        EventTime.iso8601(milliseconds: milliseconds)
    }
}

extension Indicator.Kind {
    /// The position of the kind among equally severe indicators: the order of the issue.
    var order: Int { Self.allCases.firstIndex(of: self) ?? 0 }
}

extension Collection {
    /// The index of the first element for which `belongs` is true, in a collection where every
    /// element after one that belongs belongs too.
    func partitioningIndex(where belongs: (Element) -> Bool) -> Index {
        var low = startIndex
        var length = count
        while length > 0 {
            let half = length / 2
            let middle = index(low, offsetBy: half)
            if belongs(self[middle]) {
                length = half
            } else {
                low = index(after: middle)
                length -= half + 1
            }
        }
        return low
    }
}
