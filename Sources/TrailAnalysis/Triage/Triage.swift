import Foundation
import TrailCore
import TrailIngest
import TrailStore

/// Finds the incidents of a case: origin principals whose tree of sessions shows attacker
/// techniques that are not the origin's routine activity.
///
/// One pass over the events attributes each call to its origin (through the session graph),
/// maps it to a technique by the technique table, and keeps what the behaviours found across
/// calls need. Then, per origin, it finds the behaviours, discounts routine sightings, and
/// decides. The rules are in the README ("How triage decides").
package struct Triage {
    package struct Options: Sendable {
        /// When not empty, report the origins of these principals (ARNs or access keys), whatever
        /// triage would decide, and nothing else.
        package var principals: [String] = []
        /// ISO 8601 bounds of the calls considered.
        package var from: String?
        package var to: String?

        /// How many kept calls (``CallList``) stay in memory before all of them move to a
        /// temporary database on disk.
        ///
        /// Each takes about 40 bytes in memory. Tests set 0 to use the disk at once.
        package var callsKeptInMemory = 2_000_000

        package init() {}
    }

    /// A sighting is routine when its origin used the same source address, or made the same
    /// call, on at least this many distinct days of the dump.
    static let routineDays = 3
    /// A call or behaviour that at least this many origins of the dump show is common.
    static let commonOrigins = 5
    static let burstWindowMs: Int64 = 10 * 60 * 1000
    /// Distinct discovery calls within a window that make a discovery burst.
    static let discoveryBurstNames = 10
    /// Failed calls within a window that make a failed-call burst.
    static let failedBurstCalls = 8
    /// Object reads within a window that make a mass read.
    static let massReadCalls = 100

    private let databasePath: String
    private let options: Options
    private let techniques: TechniqueTable
    /// What attribution needs of each session, by access key (the first session of a key).
    private var sessionsByKey: [String: SessionBrief] = [:]
    /// Each distinct origin once: sessions of one tree share theirs.
    private var origins: [Session.Origin] = []
    /// The longest chain in each origin's tree.
    private var longestChain: [String: Int] = [:]
    /// The origins whose tree holds a session named by ``Options/principals``.
    private var originsOfPrincipals: Set<String> = []
    private var activities: [String: OriginActivity] = [:]
    private var groups: [String: [String: SightingGroup]] = [:]
    private var callNames: [String: Int32] = [:]
    private var addresses: [String] = []
    private var addressIndex: [String: Int32] = [:]
    /// The origins' keys by their number (``originNumber(_:)``).
    private var originKeys: [String] = []
    private var originNumbers: [String: Int32] = [:]

    /// The calls of one origin that map to one technique under one name from one address.
    struct SightingGroup {
        var technique: Technique
        var name: String
        var sourceIP: String?
        var count = 0
        var firstMs = Int64.max
        var lastMs = Int64.min
        var rowIDs: [Int64] = []
        var routine = false
        mutating func add(timeMs: Int64, rowID: Int64) {
            count += 1
            firstMs = min(firstMs, timeMs)
            lastMs = max(lastMs, timeMs)
            if rowIDs.count < TechniqueSighting.evidenceLimit { rowIDs.append(rowID) }
        }
    }

    /// A session as attribution sees it: its origin and how it hopped.
    private struct SessionBrief {
        /// The number of the origin's key.
        var originKey: Int32
        /// The origin, in ``origins``.
        var origin: Int32
        var crossAccount: Bool
        var roleChaining: Bool
    }

    package init(databasePath: String, options: Options) throws {
        self.databasePath = databasePath
        self.options = options
        techniques = try TechniqueTable.bundled()
    }

    /// The incidents, most severe first.
    package mutating func run() throws -> [Incident] {
        let store = try SessionStore(databasePath: databasePath)
        try readSessions(store)
        let spill = KeptCalls(memoryLimit: options.callsKeptInMemory)
        try scan(into: spill)
        try spill.forEachOrigin { origin, lists in findBehaviours(of: originKeys[Int(origin)], lists: lists) }
        judgeRoutine()
        var chosen: [(OriginActivity, Verdict)] = []
        for activity in activities.values {
            let verdict = verdict(for: activity)
            if options.principals.isEmpty ? verdict.isIncident : matchesPrincipal(activity) {
                chosen.append((activity, verdict))
            }
        }
        let treeByOrigin = try trees(of: Set(chosen.map(\.0.key)), in: store)
        chosen.sort { left, right in
            let ranks = (TechniqueTable.rank(of: left.1.severity), TechniqueTable.rank(of: right.1.severity))
            return ranks.0 != ranks.1
                ? ranks.0 > ranks.1 : (left.0.firstMs, left.0.key) < (right.0.firstMs, right.0.key)
        }
        let connection = try Connection(path: databasePath, mode: .readOnly)
        return try chosen.enumerated().map { index, pair in
            try incident(
                number: index + 1,
                activity: pair.0,
                verdict: pair.1,
                tree: treeByOrigin[pair.0.key] ?? [],
                connection: connection
            )
        }
    }

    // MARK: - Reading the session graph

    /// Reads what attribution and the verdicts need of each session, one session at a time:
    /// a large case's sessions, held whole, took most of the report's memory.
    private mutating func readSessions(_ store: SessionStore) throws {
        let decoder = JSONDecoder()
        var originIndex: [Session.Origin: Int32] = [:]
        try store.forEachDocument(matching: SessionStore.Filter()) { document in
            let session = try decoder.decode(Session.self, from: Data(document))
            let attribution = Self.origin(of: session)
            longestChain[attribution.key] = max(longestChain[attribution.key] ?? Int.min, session.chainDepth)
            if options.principals.contains(where: {
                $0 == session.accessKeyId || $0 == session.sessionArn || $0 == session.roleArn
            }) {
                originsOfPrincipals.insert(attribution.key)
            }
            guard sessionsByKey[session.accessKeyId] == nil else { return }
            let index: Int32
            if let known = originIndex[attribution.origin] {
                index = known
            } else {
                index = Int32(origins.count)
                origins.append(attribution.origin)
                originIndex[attribution.origin] = index
            }
            sessionsByKey[session.accessKeyId] = SessionBrief(
                originKey: originNumber(attribution.key),
                origin: index,
                crossAccount: session.crossAccount,
                roleChaining: session.roleChaining
            )
        }
    }

    /// The sessions of each origin in `keys`, in graph order.
    private func trees(of keys: Set<String>, in store: SessionStore) throws -> [String: [Session]] {
        var trees: [String: [Session]] = [:]
        guard !keys.isEmpty else { return trees }
        let decoder = JSONDecoder()
        try store.forEachDocument(matching: SessionStore.Filter()) { document in
            let session = try decoder.decode(Session.self, from: Data(document))
            let key = Self.origin(of: session).key
            if keys.contains(key) { trees[key, default: []].append(session) }
        }
        return trees
    }

    // MARK: - Attributing calls to origins

    /// The origin of a session, by the graph, or by the session itself when its issuing call is
    /// not in the dump (instance-profile sessions are attributed to their instance).
    static func origin(of session: Session) -> (key: String, origin: Session.Origin) {
        let origin = session.origin
        // A federation token is handed by a broker to someone else: that person is the origin.
        if session.kind == "GetFederationToken", let arn = session.sessionArn {
            var federated = Session.Origin()
            federated.type = "FederatedUser"
            federated.arn = arn
            federated.name = session.sessionName
            return (arn, federated)
        }
        if let arn = origin.arn {
            // Every user of a SAML or OIDC provider shares its ARN: the user is the origin.
            let perUser = ["SAMLUser", "IdentityCenterUser", "WebIdentityUser"].contains(origin.type ?? "")
            if perUser, let name = origin.name { return ("\(arn)/\(name)", origin) }
            return (arn, origin)
        }
        if let service = origin.service { return ("\(service)/\(origin.resource ?? "")", origin) }
        if let name = session.sessionName, isInstanceID(name) {
            var instance = Session.Origin()
            instance.type = "AWSService"
            instance.service = "ec2.amazonaws.com"
            instance.resource = name
            return ("ec2.amazonaws.com/\(name)", instance)
        }
        var fallback = Session.Origin()
        fallback.type = "AssumedRole"
        fallback.arn = session.sessionArn ?? session.roleArn
        fallback.name = session.sessionName
        return (fallback.arn ?? session.accessKeyId, fallback)
    }

    static func isInstanceID(_ text: String) -> Bool {
        text.hasPrefix("i-") && text.count >= 10 && text.dropFirst(2).allSatisfy(\.isHexDigit)
    }

    private var parameterPaths: [String] {
        let names = Set(techniques.conditionParameters.values.joined()).sorted()
        return names.map { "$.requestParameters.\($0)" } + ["$.additionalEventData.MFAUsed"]
    }

    private mutating func scan(into spill: KeptCalls) throws {
        let conditional = Set(techniques.conditionParameters.keys).union(["ConsoleLogin"]).sorted()
        let parameterNames = Set(techniques.conditionParameters.values.joined()).sorted()
        let paths = parameterPaths.map { "'\($0)'" }.joined(separator: ", ")
        let raw = Schema.rawRecord(of: "e")
        let sql = """
            SELECT e.id, e.event_time_ms, e.access_key_id, e.principal_arn, e.identity_type, e.event_source,
                e.event_name, e.error_code, e.source_ip_address, e.issued_access_key_id, e.recipient_account_id,
                CASE WHEN e.event_name IN (SELECT value FROM json_each(?3)) THEN json_extract(\(raw), \(paths)) END
            FROM events e NOT INDEXED
            WHERE ifnull(e.event_time_ms, 0) BETWEEN ?1 AND ?2
            """
        let connection = try Connection(path: databasePath, mode: .readOnly)
        let bounds = (
            options.from.flatMap(EventTime.milliseconds(from:)) ?? Int64.min,
            options.to.flatMap(EventTime.milliseconds(from:)) ?? Int64.max
        )
        let names = JSONValue.array(conditional.map { .string($0) }).rendered()
        try connection.makeStatement(sql: sql).forEachRow([.integer(bounds.0), .integer(bounds.1), .text(names)]) {
            row in
            guard let rowID = row.integer(at: 0) else { return }
            let type = row.text(at: 4)
            if type == "AWSAccount" || type == "AWSService" { return }
            let key = row.text(at: 2).flatMap { $0.isEmpty ? nil : $0 }
            let attribution: (key: String, origin: Session.Origin)
            if let key, let session = sessionsByKey[key] {
                attribution = (originKeys[Int(session.originKey)], origins[Int(session.origin)])
            } else if let arn = row.text(at: 3) {
                var origin = Session.Origin()
                origin.type = type
                origin.arn = arn
                origin.name = arn.split(separator: "/").last.map(String.init)
                attribution = (arn, origin)
            } else {
                return
            }
            let timeMs = row.integer(at: 1) ?? 0
            let name = row.text(at: 6) ?? ""
            let errorCode = row.text(at: 7)
            let sourceIP = row.text(at: 8)
            var parameters: [String: String] = [:]
            if let text = row.text(at: 11),
                let values = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [Any]
            {
                for (parameter, value) in zip(parameterNames + ["MFAUsed"], values) where !(value is NSNull) {
                    parameters[parameter] = (value as? String) ?? "\(value)"
                }
            }
            try record(
                Call(
                    rowID: rowID,
                    timeMs: timeMs,
                    key: key,
                    type: type,
                    source: row.text(at: 5),
                    name: name,
                    errorCode: errorCode,
                    sourceIP: sourceIP,
                    issuedKey: row.text(at: 9),
                    account: row.text(at: 10),
                    parameters: parameters
                ),
                to: attribution,
                spill: spill
            )
        }
    }

    /// The columns of one call that triage reads.
    private struct Call {
        var rowID: Int64
        var timeMs: Int64
        var key: String?
        var type: String?
        var source: String?
        var name: String
        var errorCode: String?
        var sourceIP: String?
        var issuedKey: String?
        var account: String?
        var parameters: [String: String]
    }

    private mutating func record(
        _ call: Call,
        to attribution: (key: String, origin: Session.Origin),
        spill: KeptCalls
    ) throws {
        let day = Int32(call.timeMs / 86_400_000)
        var found: [(Technique, String)] = []
        if let technique = techniques.technique(
            eventSource: call.source,
            eventName: call.name,
            errorCode: call.errorCode,
            parameters: call.parameters
        ) {
            found.append((technique, call.name))
        }
        if call.type == "Root" { found += behaviour("RootUse") }
        if call.name == "ConsoleLogin", call.errorCode == nil,
            let mfa = call.parameters["MFAUsed"], mfa == "No" || mfa == "0" || mfa == "false"
        {
            found += behaviour("ConsoleLoginWithoutMFA")
        }
        if let issued = call.issuedKey, let session = sessionsByKey[issued], call.errorCode == nil {
            if session.crossAccount { found += behaviour("CrossAccountAssumeRole") }
            if session.roleChaining { found += behaviour("RoleChaining") }
        }
        for (technique, name) in found {
            let groupKey = "\(name)|\(technique.techniqueID)|\(technique.severity)|\(call.sourceIP ?? "")"
            groups[attribution.key, default: [:]][
                groupKey,
                default: SightingGroup(technique: technique, name: name, sourceIP: call.sourceIP)
            ].add(timeMs: call.timeMs, rowID: call.rowID)
        }

        let kept = OriginActivity.Call(
            timeMs: call.timeMs,
            rowID: call.rowID,
            name: intern(call.name),
            address: address(call.sourceIP)
        )
        let origin = originNumber(attribution.key)
        if Self.isDiscovery(source: call.source, name: call.name) { try spill.add(kept, to: .discovery, of: origin) }
        if call.errorCode != nil { try spill.add(kept, to: .failures, of: origin) }
        if call.name == "GetObject" { try spill.add(kept, to: .objectReads, of: origin) }
        if attribution.origin.service == "ec2.amazonaws.com" { try spill.add(kept, to: .instanceCalls, of: origin) }
        activities[attribution.key, default: OriginActivity(key: attribution.key, origin: attribution.origin)].absorb(
            kept,
            day: day,
            name: call.name,
            sourceIP: call.sourceIP,
            account: call.account,
            failed: call.errorCode != nil,
            longTermKey: call.key.flatMap { $0.hasPrefix("AKIA") ? $0 : nil },
            behaviours: found.map(\.1).filter { $0 != call.name }
        )
    }

    /// The number of the origin `key`, among sessions and kept calls.
    private mutating func originNumber(_ key: String) -> Int32 {
        if let number = originNumbers[key] { return number }
        let number = Int32(originKeys.count)
        originKeys.append(key)
        originNumbers[key] = number
        return number
    }

    private func behaviour(_ name: String) -> [(Technique, String)] {
        techniques.behaviour(name).map { [($0, name)] } ?? []
    }

    private mutating func intern(_ name: String) -> Int32 {
        if let index = callNames[name] { return index }
        let index = Int32(callNames.count)
        callNames[name] = index
        return index
    }

    private mutating func address(_ text: String?) -> Int32 {
        guard let text else { return -1 }
        if let index = addressIndex[text] { return index }
        let index = Int32(addresses.count)
        addresses.append(text)
        addressIndex[text] = index
        return index
    }

    /// Calls that enumerate what an account holds: `List*`, `Describe*`, IAM `Get*` and
    /// `GetCallerIdentity`.
    static func isDiscovery(source: String?, name: String) -> Bool {
        name.hasPrefix("List") || name.hasPrefix("Describe") || name == "GetCallerIdentity"
            || (source == "iam.amazonaws.com" && name.hasPrefix("Get"))
    }

    // MARK: - Behaviours across calls

    /// Finds the behaviours across the calls of the origin `key`, given its ``CallList``s.
    private mutating func findBehaviours(of key: String, lists: [[OriginActivity.Call]]) {
        guard var activity = activities[key] else { return }
        var found: [(String, [OriginActivity.Call])] = []
        found += Self.bursts(in: lists[CallList.discovery.rawValue]) { window in
            Set(window.map(\.name)).count >= Self.discoveryBurstNames
        }.map { ("DiscoveryBurst", $0) }
        found += Self.bursts(in: lists[CallList.failures.rawValue]) { $0.count >= Self.failedBurstCalls }.map {
            ("FailedCallBurst", $0)
        }
        found += Self.bursts(in: lists[CallList.objectReads.rawValue]) { $0.count >= Self.massReadCalls }.map {
            ("MassObjectRead", $0)
        }
        found += instanceCredentialsElsewhere(activity, calls: lists[CallList.instanceCalls.rawValue]).map {
            ("InstanceCredentialsElsewhere", $0)
        }
        for (name, calls) in found {
            guard let technique = techniques.behaviour(name), let first = calls.first else { continue }
            let sourceIP = Self.mostCommon(calls.map(\.address)).flatMap { $0 >= 0 ? addresses[Int($0)] : nil }
            let groupKey = "\(name)|\(first.timeMs)"
            var group = SightingGroup(technique: technique, name: name, sourceIP: sourceIP)
            for call in calls { group.add(timeMs: call.timeMs, rowID: call.rowID) }
            group.count = 1
            groups[key, default: [:]][groupKey] = group
            activity.nameDays[name, default: []].insert(Int32(first.timeMs / 86_400_000))
        }
        activities[key] = activity
    }

    /// Non-overlapping windows of at most ``burstWindowMs`` whose calls satisfy `isBurst`.
    static func bursts(
        in calls: [OriginActivity.Call],
        isBurst: ([OriginActivity.Call]) -> Bool
    ) -> [[OriginActivity.Call]] {
        let sorted = calls.sorted { ($0.timeMs, $0.rowID) < ($1.timeMs, $1.rowID) }
        var result: [[OriginActivity.Call]] = []
        var start = 0
        var end = 0
        while start < sorted.count {
            while end < sorted.count, sorted[end].timeMs - sorted[start].timeMs <= burstWindowMs { end += 1 }
            let window = Array(sorted[start..<end])
            if isBurst(window) {
                result.append(window)
                start = end
            } else {
                start += 1
            }
            end = max(end, start)
        }
        return result
    }

    /// Calls of an instance's credentials from public addresses that the instance does not use.
    ///
    /// The instance's own addresses are those of its first minute of calls (the instance uses
    /// fresh credentials before anyone could have stolen them), and any address used on several
    /// days; most calls are not a home, since a thief may well make more calls than the instance.
    private func instanceCredentialsElsewhere(
        _ activity: OriginActivity,
        calls: [OriginActivity.Call]
    ) -> [[OriginActivity.Call]] {
        var elsewhere: [Int32: [OriginActivity.Call]] = [:]
        for call in calls where call.address >= 0 {
            let text = addresses[Int(call.address)]
            guard IsolationPlanner.isPublicAddress(text), !activity.isEstablished(text, days: Self.routineDays)
            else { continue }
            elsewhere[call.address, default: []].append(call)
        }
        return elsewhere.keys.sorted().compactMap { key in
            elsewhere[key]?.sorted { ($0.timeMs, $0.rowID) < ($1.timeMs, $1.rowID) }
        }
    }

    private static func mostCommon(_ values: [Int32]) -> Int32? {
        var counts: [Int32: Int] = [:]
        for value in values { counts[value, default: 0] += 1 }
        return counts.max { ($0.value, -$0.key) < ($1.value, -$1.key) }?.key
    }

    // MARK: - Deciding

    /// Marks sightings as routine: made from the origin's usual places, or calls it makes
    /// habitually, or calls that many origins of the dump make (unless this origin has usual
    /// places and made it from elsewhere).
    ///
    /// A critical sighting is routine only from a usual place, or when many origins make it and
    /// this one has no usual place to compare with; one that impairs defences (logging,
    /// detectors) never is.
    private mutating func judgeRoutine() {
        var origins: [String: Int] = [:]
        for activity in activities.values {
            for name in activity.nameDays.keys { origins[name, default: 0] += 1 }
        }
        for (key, originGroups) in groups {
            guard let activity = activities[key] else { continue }
            let hasBaseline = activity.hasEstablishedAddress(days: Self.routineDays)
            for (groupKey, var group) in originGroups {
                let established = activity.isEstablished(group.sourceIP, days: Self.routineDays)
                let habitual = activity.isHabitual(group.name, days: Self.routineDays)
                let common = (origins[group.name] ?? 0) >= Self.commonOrigins && (established || !hasBaseline)
                switch TechniqueTable.rank(of: group.technique.severity) {
                case 4 where group.technique.tactic == "Defense Evasion": group.routine = false
                case 4: group.routine = established || common
                default: group.routine = established || habitual || common
                }
                groups[key]?[groupKey] = group
            }
        }
    }

    struct Verdict {
        var isIncident: Bool
        var severity: String
        var reasons: [String]
    }

    /// Whether an origin is an incident, and how severe: a high or critical technique outside
    /// its routine, two medium ones, or one medium among four tactics; as severe as its worst
    /// technique, raised a level when its tree hops accounts, chains roles or spans four tactics.
    private func verdict(for activity: OriginActivity) -> Verdict {
        let live = (groups[activity.key] ?? [:]).values.filter { !$0.routine }
        let rank = { (group: SightingGroup) in TechniqueTable.rank(of: group.technique.severity) }
        let worst = live.map(rank).max() ?? -1
        let seriousTechniques = Set(live.filter { rank($0) >= 2 }.map(\.technique.techniqueID))
        let tactics = Set(live.filter { rank($0) >= 1 }.map(\.technique.tactic))
        let isIncident = worst >= 3 || seriousTechniques.count >= 2 || (worst >= 2 && tactics.count >= 4)
        var level = max(worst, isIncident ? 2 : 0)
        let hops = live.contains { $0.name == "CrossAccountAssumeRole" || $0.name == "RoleChaining" }
        if isIncident, hops || tactics.count >= 4 { level = min(level + 1, 4) }

        var reasons: [String] = []
        if worst >= 3 {
            reasons.append("It used a technique of severity \(TechniqueTable.severities[worst]) outside its routine.")
        }
        if seriousTechniques.count >= 2 {
            reasons.append(
                "It used \(seriousTechniques.count) different techniques of severity medium or above "
                    + "outside its routine."
            )
        }
        if tactics.count >= 4 {
            reasons.append(
                "Its calls span \(tactics.count) ATT&CK tactics: \(tactics.sorted().joined(separator: ", "))."
            )
        }
        if isIncident, hops {
            reasons.append(
                "Its credentials were carried on through role chaining or into another account "
                    + "(longest chain \(longestChain[activity.key] ?? 1)), which raises the severity a level."
            )
        }
        let routine = (groups[activity.key] ?? [:]).values.filter(\.routine).map(\.count).reduce(0, +)
        if routine > 0 {
            reasons.append(
                "\(routine) technique sightings were discounted as routine: made from an address it used, "
                    + "or calls it made, on \(Self.routineDays) or more days, or calls that "
                    + "\(Self.commonOrigins) or more origins of the dump make."
            )
        }
        return Verdict(isIncident: isIncident, severity: TechniqueTable.severities[max(level, 0)], reasons: reasons)
    }

    private func matchesPrincipal(_ activity: OriginActivity) -> Bool {
        originsOfPrincipals.contains(activity.key)
            || options.principals.contains { principal in
                activity.key == principal || activity.origin.arn == principal
                    || activity.longTermKeys.contains(principal)
            }
    }

    // MARK: - Building the incident

    private func incident(
        number: Int,
        activity: OriginActivity,
        verdict: Verdict,
        tree: [Session],
        connection: Connection
    ) throws -> Incident {
        let lookup = try connection.makeStatement(sql: "SELECT event_id FROM events WHERE id = ?")
        func eventIDs(_ rowIDs: [Int64]) throws -> [String] {
            try rowIDs.compactMap { try lookup.rows([.integer($0)]).first?.first?.text }
        }
        var byTechnique: [String: TechniqueSighting] = [:]
        var evidence: [String: Technique] = [:]
        // A total order: dictionary order differs from one run to the next.
        let originGroups = (groups[activity.key] ?? [:]).values.sorted { left, right in
            (left.firstMs, left.name, left.technique.techniqueID, left.technique.severity, left.sourceIP ?? "")
                < (
                    right.firstMs, right.name, right.technique.techniqueID, right.technique.severity,
                    right.sourceIP ?? ""
                )
        }
        for group in originGroups {
            let key = group.technique.tactic + group.technique.techniqueID
            var sighting =
                byTechnique[key]
                ?? TechniqueSighting(
                    technique: group.technique,
                    names: [],
                    count: 0,
                    routineCount: 0,
                    firstSeen: nil,
                    lastSeen: nil,
                    eventIDs: [],
                    sourceIPAddresses: []
                )
            if TechniqueTable.rank(of: group.technique.severity) > TechniqueTable.rank(of: sighting.technique.severity)
                && !group.routine
            {
                sighting.technique = group.technique
            }
            if !sighting.names.contains(group.name) { sighting.names.append(group.name) }
            sighting.count += group.count
            if group.routine { sighting.routineCount += group.count }
            let first = EventTime.iso8601(milliseconds: group.firstMs)
            let last = EventTime.iso8601(milliseconds: group.lastMs)
            if sighting.firstSeen.map({ first < $0 }) ?? true { sighting.firstSeen = first }
            if sighting.lastSeen.map({ last > $0 }) ?? true { sighting.lastSeen = last }
            let room = TechniqueSighting.evidenceLimit - sighting.eventIDs.count
            let ids = try eventIDs(Array(group.rowIDs.prefix(max(room, 0))))
            sighting.eventIDs += ids
            if !group.routine {
                for id in ids where evidence[id] == nil { evidence[id] = group.technique }
            }
            if let address = group.sourceIP, !sighting.sourceIPAddresses.contains(address) {
                sighting.sourceIPAddresses.append(address)
            }
            byTechnique[key] = sighting
        }
        let sightings = byTechnique.values.sorted { left, right in
            let ranks = (
                TechniqueTable.rank(of: left.technique.severity), TechniqueTable.rank(of: right.technique.severity)
            )
            guard ranks.0 == ranks.1 else { return ranks.0 > ranks.1 }
            return (left.firstSeen ?? "", left.technique.tactic, left.technique.techniqueID)
                < (right.firstSeen ?? "", right.technique.tactic, right.technique.techniqueID)
        }

        let subjects = activity.origin.arn != nil ? [activity.key] : tree.map(\.accessKeyId)
        var rows: [TimelineRow] = []
        do {
            rows = try Timeline.build(
                subjects: subjects,
                databasePath: databasePath,
                from: options.from,
                to: options.to,
                techniques: techniques
            ).rows
        } catch SessionChain.LookupError.notFound {
            // No call of the tree falls in the window: the incident has an empty timeline.
        }
        for index in rows.indices where rows[index].technique == nil {
            rows[index].technique = rows[index].eventID.flatMap { evidence[$0] }
        }
        return Incident(
            id: "INC-\(number)",
            severity: verdict.severity,
            origin: activity.origin,
            originKey: activity.key,
            sessions: tree,
            techniques: sightings,
            reasons: verdict.reasons,
            timeline: rows,
            eventCount: activity.eventCount,
            errorCount: activity.errorCount,
            firstSeen: activity.eventCount > 0 ? EventTime.iso8601(milliseconds: activity.firstMs) : nil,
            lastSeen: activity.eventCount > 0 ? EventTime.iso8601(milliseconds: activity.lastMs) : nil,
            accounts: activity.accounts.sorted(),
            sourceIPAddresses: activity.ipCalls.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map(\.key)
        )
    }
}

/// The lists of calls that behaviours across calls are found in.
enum CallList: Int, CaseIterable {
    case discovery, failures, objectReads, instanceCalls
}

/// The calls kept for behaviours across calls, by origin and ``CallList``: in memory up to a
/// limit, then all in a temporary database on disk.
///
/// Held in memory they grow with the dump: 30 MB of the report's memory on one million events,
/// 90 MB on five million. On disk the report takes longer (5.3 s against 3.9 s on one million
/// events), so only cases too large for the limit go there.
final class KeptCalls {
    private let memoryLimit: Int
    private var inMemory: [Int32: [[OriginActivity.Call]]] = [:]
    private var count = 0
    private var spill: CallSpill?

    init(memoryLimit: Int) {
        self.memoryLimit = memoryLimit
    }

    func add(_ call: OriginActivity.Call, to list: CallList, of origin: Int32) throws(SQLiteError) {
        if let spill {
            try spill.add(call, to: list, of: origin)
            return
        }
        inMemory[origin, default: Array(repeating: [], count: CallList.allCases.count)][list.rawValue].append(call)
        count += 1
        guard count > memoryLimit else { return }
        let spill = try CallSpill()
        for (origin, lists) in inMemory {
            for (list, calls) in zip(CallList.allCases, lists) {
                for call in calls { try spill.add(call, to: list, of: origin) }
            }
        }
        inMemory = [:]
        self.spill = spill
    }

    /// Calls `body` with each origin that has calls, in order of origin number, and its lists
    /// indexed by ``CallList``, in no particular order: the behaviours sort what they read.
    func forEachOrigin(_ body: (Int32, [[OriginActivity.Call]]) throws -> Void) throws {
        if let spill { return try spill.forEachOrigin(body) }
        for origin in inMemory.keys.sorted() {
            guard let lists = inMemory.removeValue(forKey: origin) else { continue }
            try body(origin, lists)
        }
    }
}

/// Kept calls in a private temporary database on disk, read back one origin at a time; SQLite
/// sorts them by origin within a small cache, spilling to temporary files.
private final class CallSpill {
    private let connection: Connection
    private let insert: Statement

    init() throws(SQLiteError) {
        // An empty path opens a private temporary database, deleted when it is closed.
        connection = try Connection(path: "")
        try connection.execute(
            """
            PRAGMA cache_size = -4096; PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;
            PRAGMA temp_store = FILE;
            CREATE TABLE calls (
                origin INTEGER NOT NULL, list INTEGER NOT NULL, time_ms INTEGER NOT NULL,
                row_id INTEGER NOT NULL, name INTEGER NOT NULL, address INTEGER NOT NULL
            );
            BEGIN
            """
        )
        insert = try connection.makeStatement(sql: "INSERT INTO calls VALUES (?, ?, ?, ?, ?, ?)")
    }

    func add(_ call: OriginActivity.Call, to list: CallList, of origin: Int32) throws(SQLiteError) {
        try insert.run([
            .integer(Int64(origin)), .integer(Int64(list.rawValue)), .integer(call.timeMs), .integer(call.rowID),
            .integer(Int64(call.name)), .integer(Int64(call.address)),
        ])
    }

    /// Calls `body` with each origin that has calls, and its lists indexed by ``CallList``.
    func forEachOrigin(_ body: (Int32, [[OriginActivity.Call]]) throws -> Void) throws {
        let empty = [[OriginActivity.Call]](repeating: [], count: CallList.allCases.count)
        var current: Int32?
        var lists = empty
        try connection.makeStatement(
            sql: "SELECT origin, list, time_ms, row_id, name, address FROM calls ORDER BY origin"
        ).forEachRow { row in
            let origin = Int32(truncatingIfNeeded: row.integer(at: 0) ?? 0)
            if origin != current {
                if let current { try body(current, lists) }
                current = origin
                lists = empty
            }
            let call = OriginActivity.Call(
                timeMs: row.integer(at: 2) ?? 0,
                rowID: row.integer(at: 3) ?? 0,
                name: Int32(truncatingIfNeeded: row.integer(at: 4) ?? 0),
                address: Int32(truncatingIfNeeded: row.integer(at: 5) ?? -1)
            )
            lists[Int(row.integer(at: 1) ?? 0)].append(call)
        }
        if let current { try body(current, lists) }
    }
}
