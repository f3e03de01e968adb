/// What one origin principal and its tree of sessions did, gathered in one pass over the events.
struct OriginActivity {
    /// A call kept for the behaviours found across calls (bursts, credentials used elsewhere).
    struct Call {
        var timeMs: Int64
        var rowID: Int64
        /// The call's name, interned by triage.
        var name: Int32
        /// The source address, interned by triage; -1 when the call has none.
        var address: Int32
    }

    var key: String
    var origin: Session.Origin
    var eventCount = 0
    var errorCount = 0
    var firstMs = Int64.max
    var lastMs = Int64.min
    var accounts: Set<String> = []
    /// The UTC days (since 1970) on which each source IP address was used.
    var ipDays: [String: Set<Int32>] = [:]
    /// The UTC days on which each call or behaviour name was seen.
    var nameDays: [String: Set<Int32>] = [:]
    var ipCalls: [String: Int] = [:]
    /// The addresses of the calls within ``settlingMs`` of the first one, with their times.
    var earlyAddresses: [(timeMs: Int64, address: String)] = []
    var longTermKeys: Set<String> = []

    init(key: String, origin: Session.Origin) {
        self.key = key
        self.origin = origin
    }

    /// Counts a call that belongs to the origin's tree.
    mutating func absorb(
        _ call: Call,
        day: Int32,
        name: String,
        sourceIP: String?,
        account: String?,
        failed: Bool,
        longTermKey: String?,
        behaviours: [String]
    ) {
        eventCount += 1
        if failed { errorCount += 1 }
        noteEarly(sourceIP, at: call.timeMs)
        firstMs = min(firstMs, call.timeMs)
        lastMs = max(lastMs, call.timeMs)
        if let longTermKey { longTermKeys.insert(longTermKey) }
        for behaviour in behaviours { nameDays[behaviour, default: []].insert(day) }
        if let account { accounts.insert(account) }
        nameDays[name, default: []].insert(day)
        if let sourceIP {
            ipDays[sourceIP, default: []].insert(day)
            ipCalls[sourceIP, default: 0] += 1
        }
    }

    /// How long after an origin's first call its addresses are its own, for AWS services.
    static let settlingMs: Int64 = 60 * 1000

    /// Keeps the addresses of the earliest calls, whatever order the calls arrive in.
    private mutating func noteEarly(_ sourceIP: String?, at timeMs: Int64) {
        guard timeMs <= (firstMs == Int64.max ? timeMs : firstMs) + Self.settlingMs else { return }
        if let sourceIP { earlyAddresses.append((timeMs, sourceIP)) }
        if timeMs < firstMs {
            earlyAddresses.removeAll { $0.timeMs > timeMs + Self.settlingMs }
        }
    }

    /// Whether `sourceIP` is one of the origin's usual places: used on at least `days` distinct
    /// days or, for an AWS service's resource (an instance, a function), used in its first calls,
    /// which the resource makes itself with credentials just delivered to it.
    func isEstablished(_ sourceIP: String?, days: Int) -> Bool {
        guard let sourceIP else { return false }
        if Self.isServiceName(sourceIP) { return true }
        if origin.type == "AWSService", earlyAddresses.contains(where: { $0.address == sourceIP }) {
            return true
        }
        return (ipDays[sourceIP]?.count ?? 0) >= days
    }

    /// Whether some IP address of the origin was used on at least `days` distinct days.
    func hasEstablishedAddress(days: Int) -> Bool {
        ipDays.contains { address, used in used.count >= days && !Self.isServiceName(address) }
    }

    /// Whether a source is a name rather than an address: "AWS Internal" or a service such as
    /// `ec2.amazonaws.com`, a call AWS made on the principal's behalf.
    static func isServiceName(_ source: String) -> Bool {
        source.contains(where: \.isLetter) && !source.contains(":")
    }

    /// Whether the origin made the call (or showed the behaviour) `name` on at least `days` distinct days.
    func isHabitual(_ name: String, days: Int) -> Bool {
        (nameDays[name]?.count ?? 0) >= days
    }
}
