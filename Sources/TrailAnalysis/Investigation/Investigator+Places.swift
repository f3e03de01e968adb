import Foundation
import TrailCore
import TrailGeo

// MARK: - Where the calls came from

extension Investigator {
    /// A jump between two successive located calls of one principal, too fast to travel.
    private struct Leg {
        var start: InvestigatedCall
        var end: InvestigatedCall
        var startPlace: GeoLocator.Place
        var endPlace: GeoLocator.Place
        var distanceKm: Double

        var minutes: Double { Double(end.timeMs - start.timeMs) / 60_000 }

        var jsonValue: JSONValue {
            .object([
                ("fromSourceIPAddress", .optional(start.sourceIPAddress)),
                ("fromCountry", .optional(startPlace.countryCode)),
                ("fromTime", .string(Investigator.time(start.timeMs))),
                ("toSourceIPAddress", .optional(end.sourceIPAddress)), ("toCountry", .optional(endPlace.countryCode)),
                ("toTime", .string(Investigator.time(end.timeMs))), ("distanceKm", .int(Int(distanceKm.rounded()))),
                ("minutes", .double(Investigator.rounded(minutes))),
            ])
        }
    }

    /// Successive calls of the same principal from places too far apart for the time between them.
    func impossibleTravel() -> [Indicator] {
        guard geo.hasCities else { return [] }
        var previous: [String: (InvestigatedCall, GeoLocator.Place)] = [:]
        var actors: [String] = []
        var legs: [String: [Leg]] = [:]
        for call in scope {
            guard let place = geo.place(of: call.sourceIPAddress), place.hasLocation else { continue }
            defer { previous[call.actor] = (call, place) }
            guard let (last, lastPlace) = previous[call.actor],
                let distance = GeoLocator.distanceKm(from: lastPlace, to: place), distance >= Self.travelMinimumKm
            else { continue }
            let hours = Double(call.timeMs - last.timeMs) / 3_600_000
            guard hours <= 0 || distance / hours > Self.travelSpeedKmPerHour else { continue }
            if legs[call.actor] == nil { actors.append(call.actor) }
            legs[call.actor, default: []].append(
                Leg(start: last, end: call, startPlace: lastPlace, endPlace: place, distanceKm: distance)
            )
        }
        return actors.compactMap { actor in
            guard let found = legs[actor], let leg = found.first else { return nil }
            let more = found.count > 1 ? ", one of \(found.count) such jumps" : ""
            return Indicator(
                kind: .impossibleTravel,
                severity: "high",
                explanation: "\(actor) called from \(Self.placeName(leg.start, leg.startPlace)) at "
                    + "\(Self.time(leg.start.timeMs)) and from \(Self.placeName(leg.end, leg.endPlace)) at "
                    + "\(Self.time(leg.end.timeMs)), \(Int(leg.distanceKm.rounded())) km apart in "
                    + "\(Self.decimal(leg.minutes)) minutes\(more).",
                eventIDs: Self.distinct(found.flatMap { [$0.start.eventID, $0.end.eventID] }),
                details: [("principal", .string(actor)), ("legs", .array(found.prefix(20).map(\.jsonValue)))]
            )
        }
    }

    private static func placeName(_ call: InvestigatedCall, _ place: GeoLocator.Place) -> String {
        (call.sourceIPAddress ?? "?") + (place.countryCode.map { " (\($0))" } ?? "")
    }

    /// Calls from the addresses or networks of the analyst's list, one indicator per entry.
    func flaggedAddresses() -> [Indicator] {
        guard let list = options.flaggedAddresses else { return [] }
        var entries: [String: FlaggedAddressList.Entry?] = [:]
        var order: [Int] = []
        var matches: [Int: [InvestigatedCall]] = [:]
        for call in scope {
            guard let address = call.sourceIPAddress else { continue }
            if entries[address] == nil { entries[address] = list.entry(containing: address) }
            guard let entry = entries[address] ?? nil,
                let index = list.entries.firstIndex(where: { $0.text == entry.text })
            else { continue }
            if matches[index] == nil { order.append(index) }
            matches[index, default: []].append(call)
        }
        return order.compactMap { index in
            guard let group = matches[index] else { return nil }
            let entry = list.entries[index]
            let addresses = Self.distinct(group.compactMap(\.sourceIPAddress))
            return Indicator(
                kind: .flaggedIP,
                severity: "high",
                explanation: "It made \(Self.count(group.count, "call")) from \(Self.list(addresses)), in "
                    + "\(entry.text) of the flagged list" + (entry.label.map { " (\($0))" } ?? "") + ".",
                eventIDs: Self.evidence(group),
                details: [
                    ("network", .string(entry.text)), ("label", .optional(entry.label)),
                    ("sourceIPAddresses", .array(addresses.map { .string($0) })), ("callCount", .int(group.count)),
                ]
            )
        }
    }

    /// Calls with an EC2 instance's role credentials from a public address that the instance
    /// itself never used: its calls before the scope, and its first minute of calls, which it
    /// makes with credentials just delivered to it.
    func instanceCredentialsElsewhere() -> [Indicator] {
        var instances = InstanceNames()
        let home = instanceAddresses(names: &instances)
        var order: [String] = []
        var elsewhere: [String: [InvestigatedCall]] = [:]
        for call in scope {
            guard let instance = instances.instance(of: call), let address = call.sourceIPAddress,
                Self.isPublicIP(address), !(home[instance]?.contains(address) ?? false)
            else { continue }
            let key = instance + " " + address
            if elsewhere[key] == nil { order.append(key) }
            elsewhere[key, default: []].append(call)
        }
        return order.compactMap { key in
            guard let group = elsewhere[key], let first = group.first, let instance = instances.instance(of: first)
            else { return nil }
            return Self.elsewhereIndicator(instance: instance, calls: group, home: (home[instance] ?? []).sorted())
        }
    }

    /// Each instance's own addresses: those of its calls before the scope and of its first minute.
    private func instanceAddresses(names: inout InstanceNames) -> [String: Set<String>] {
        var firstMs: [String: Int64] = [:]
        var home: [String: Set<String>] = [:]
        for call in calls {
            guard let instance = names.instance(of: call) else { continue }
            let first = firstMs[instance] ?? call.timeMs
            firstMs[instance] = first
            if call.timeMs < scopeStartMs || call.timeMs <= first + OriginActivity.settlingMs,
                let address = call.sourceIPAddress
            {
                home[instance, default: []].insert(address)
            }
        }
        return home
    }

    private static func elsewhereIndicator(instance: String, calls: [InvestigatedCall], home: [String]) -> Indicator {
        let address = calls.first?.sourceIPAddress
        let ownPublic = home.filter(Self.isPublicIP)
        let usual =
            ownPublic.isEmpty
            ? "while the instance's own calls came from private addresses or AWS services"
            : "an address the instance never used (it used \(Self.list(ownPublic)))"
        return Indicator(
            kind: .instanceCredentialsElsewhere,
            severity: "high",
            explanation: "The role credentials of instance \(instance) made \(Self.count(calls.count, "call")) "
                + "from \(address ?? "?"), \(usual).",
            eventIDs: Self.evidence(calls),
            details: [
                ("instanceId", .string(instance)), ("sourceIPAddress", .optional(address)),
                ("instanceAddresses", .array(home.map { .string($0) })), ("callCount", .int(calls.count)),
            ]
        )
    }

    /// The instance of each actor, decided once per actor: many calls share few actors.
    private struct InstanceNames {
        private var known: [String: String?] = [:]

        mutating func instance(of call: InvestigatedCall) -> String? {
            if let found = known[call.actor] { return found }
            let found = Investigator.instanceID(of: call)
            known[call.actor] = found
            return found
        }
    }

    /// The instance whose role credentials made the call: the session name of an assumed-role
    /// ARN when it is an instance ID, as EC2 names instance-profile sessions.
    static func instanceID(of call: InvestigatedCall) -> String? {
        guard call.actor.contains(":assumed-role/"), let name = call.actor.split(separator: "/").last,
            Triage.isInstanceID(String(name))
        else { return nil }
        return String(name)
    }

    /// `items` without repeats, in first-seen order.
    static func distinct(_ items: [String]) -> [String] {
        var seen: Set<String> = []
        return items.filter { seen.insert($0).inserted }
    }
}
