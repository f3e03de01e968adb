import TrailStore

/// What the case database says about credentials.
///
/// Issuing calls, the calls made with each temporary key, and console sign-ins. What every key
/// needs is in memory, compactly: the row of its trusted issuance and of its earliest call,
/// its times and totals, and its addresses and user agents as numbers. The rest of those rows
/// is read again, one indexed lookup each, when the key's session is made.
final class SessionEvidence {
    /// A successful call that returned temporary credentials.
    struct Issuance {
        var eventID: String?
        var eventName: String
        var timeMilliseconds: Int64?
        var callerType: String?
        var callerARN: String?
        var callerAccountID: String?
        var callerAccessKeyID: String?
        var callerUserName: String?
        var invokedBy: String?
        var issuedKey: String
        var roleARN: String?
        var roleSessionName: String?
        var federatedName: String?
        var samlProviderARN: String?
        var assumedRoleARN: String?
        var federatedUserARN: String?
        var expiration: String?
        var identityProvider: String?
        var sourceIdentity: String?
    }

    /// What the issuance of a key says about its place in the graph, kept for every key.
    struct IssuanceBrief {
        var rowID: Int64
        var timeMilliseconds: Int64?
        var callerAccessKeyID: String?
        var isFromOtherAccount: Bool
    }

    /// The calls made with one key.
    struct KeyCalls {
        var firstMilliseconds: Int64?
        var lastMilliseconds: Int64?
        var identityType: String?
        var principalARN: String?
        var accountID: String?
        var userName: String?
        var issuerType: String?
        var issuerARN: String?
        var issuerUserName: String?
        var creationDate: String?
        var sourceIdentity: String?
        var isFromConsole = false
        var eventCount = 0
        var errorCount = 0
        var sourceIPAddresses: [String] = []
        var userAgents: [String] = []
    }

    /// A successful console sign-in.
    struct ConsoleLogin {
        var eventID: String?
        var timeMilliseconds: Int64
        var identityType: String?
        var principalARN: String
        var accountID: String?
        var userName: String?
    }

    static let issuingAPIs = [
        "AssumeRole", "AssumeRoleWithSAML", "AssumeRoleWithWebIdentity", "GetSessionToken", "GetFederationToken",
    ]

    /// The trusted issuance of each issued key.
    ///
    /// The caller's copy when a cross-account call was logged in both accounts (the other
    /// account's copy names only an `AWSAccount`), else the first. An issuance of an implausible
    /// key, or of the caller's own key (a masked or copied example), is not trusted.
    private(set) var issuances: [String: IssuanceBrief] = [:]
    /// The calls of each temporary key, found through ``callIndex``.
    private var keyCalls: [CallAccumulator] = []
    private(set) var callIndex: [String: Int32] = [:]
    private var texts = TextTable()
    private(set) var consoleLogins: [String: [ConsoleLogin]] = [:]

    private let issuanceRow: Statement
    private let identityRow: Statement

    private init(connection: Connection) throws {
        let raw = Schema.rawRecord()
        issuanceRow = try connection.makeStatement(
            sql: """
                SELECT event_id, event_name, event_time_ms, identity_type, principal_arn, identity_account_id,
                    access_key_id, user_name, invoked_by, issued_access_key_id,
                    json_extract(\(raw), '$.requestParameters.roleArn'),
                    json_extract(\(raw), '$.requestParameters.roleSessionName'),
                    json_extract(\(raw), '$.requestParameters.name'),
                    json_extract(\(raw), '$.requestParameters.principalArn'),
                    json_extract(\(raw), '$.responseElements.assumedRoleUser.arn'),
                    json_extract(\(raw), '$.responseElements.federatedUser.arn'),
                    json_extract(\(raw), '$.responseElements.credentials.expiration'),
                    json_extract(\(raw), '$.userIdentity.identityProvider'),
                    coalesce(json_extract(\(raw), '$.responseElements.sourceIdentity'),
                        json_extract(\(raw), '$.requestParameters.sourceIdentity'))
                FROM events WHERE id = ?
                """
        )
        identityRow = try connection.makeStatement(
            sql: """
                SELECT identity_type, principal_arn, identity_account_id, user_name, issuer_type, issuer_arn,
                    issuer_user_name, session_creation_date
                FROM events WHERE id = ?
                """
        )
    }

    /// Reads the evidence from `connection`, which must stay open while it is used.
    static func load(from connection: Connection) throws -> SessionEvidence {
        let evidence = try SessionEvidence(connection: connection)
        try evidence.loadIssuances(connection)
        try evidence.loadCalls(connection)
        try evidence.loadConsoleLogins(connection)
        return evidence
    }

    // MARK: - Lookups

    /// The trusted issuance of `key`, read in full.
    func issuance(of key: String) throws -> Issuance? {
        guard let brief = issuances[key] else { return nil }
        var issuance: Issuance?
        try issuanceRow.forEachRow([.integer(brief.rowID)]) { row in
            guard let name = row.text(at: 1) else { return }
            issuance = Issuance(
                eventID: row.text(at: 0),
                eventName: name,
                timeMilliseconds: row.integer(at: 2),
                callerType: row.text(at: 3),
                callerARN: row.text(at: 4),
                callerAccountID: row.text(at: 5),
                callerAccessKeyID: row.text(at: 6),
                callerUserName: row.text(at: 7),
                invokedBy: row.text(at: 8),
                issuedKey: key,
                roleARN: row.text(at: 10),
                roleSessionName: row.text(at: 11),
                federatedName: row.text(at: 12),
                samlProviderARN: row.text(at: 13),
                assumedRoleARN: row.text(at: 14),
                federatedUserARN: row.text(at: 15),
                expiration: row.text(at: 16),
                identityProvider: row.text(at: 17),
                sourceIdentity: row.text(at: 18)
            )
        }
        return issuance
    }

    /// What the calls made with `key` reveal, when it made any.
    func calls(of key: String) throws -> KeyCalls? {
        guard let position = callIndex[key] else { return nil }
        let accumulator = keyCalls[Int(position)]
        var calls = KeyCalls()
        calls.firstMilliseconds = accumulator.firstMilliseconds
        calls.lastMilliseconds = accumulator.lastMilliseconds
        calls.sourceIdentity = accumulator.sourceIdentity
        calls.isFromConsole = accumulator.isFromConsole
        calls.eventCount = accumulator.eventCount
        calls.errorCount = accumulator.errorCount
        calls.sourceIPAddresses = accumulator.addressList.map { texts.text(of: $0) }
        calls.userAgents = accumulator.agentList.map { texts.text(of: $0) }
        try identityRow.forEachRow([.integer(accumulator.firstRowID)]) { row in
            calls.identityType = row.text(at: 0)
            calls.principalARN = row.text(at: 1)
            calls.accountID = row.text(at: 2)
            calls.userName = row.text(at: 3)
            calls.issuerType = row.text(at: 4)
            calls.issuerARN = row.text(at: 5)
            calls.issuerUserName = row.text(at: 6)
            calls.creationDate = row.text(at: 7)
        }
        return calls
    }

    // MARK: - Queries

    private func loadIssuances(_ connection: Connection) throws {
        let names = Self.issuingAPIs.map { "'\($0)'" }.joined(separator: ", ")
        let statement = try connection.makeStatement(
            sql: """
                SELECT id, event_time_ms, identity_type, access_key_id, issued_access_key_id
                FROM events
                WHERE issued_access_key_id IS NOT NULL AND error_code IS NULL AND event_name IN (\(names))
                ORDER BY event_time_ms, id
                """
        )
        try statement.forEachRow { row in
            guard let rowID = row.integer(at: 0), let key = row.text(at: 4) else { return }
            let callerKey = row.text(at: 3)
            guard CredentialText.isPlausibleKey(key), callerKey != key else { return }
            let brief = IssuanceBrief(
                rowID: rowID,
                timeMilliseconds: row.integer(at: 1),
                callerAccessKeyID: callerKey,
                isFromOtherAccount: row.text(at: 2) == "AWSAccount"
            )
            if let kept = issuances[key] {
                if kept.isFromOtherAccount && !brief.isFromOtherAccount { issuances[key] = brief }
            } else {
                issuances[key] = brief
            }
        }
    }

    /// The earliest call of each temporary key, and its totals.
    ///
    /// One sequential pass over the events: walking them in key order through the index costs
    /// a random page read per call, ten times slower on a large case. Two records of one call
    /// (sharing a sharedEventID, or one event id logged for two recipients) count once.
    ///
    /// Only the ids that can repeat are remembered: event ids stored more than once (read from
    /// their index) and shared event ids. Every other record is a call of its own, counted
    /// without keeping its id, so memory follows the keys, not the calls.
    private func loadCalls(_ connection: Connection) throws {
        let reused = try Self.reusedEventIDs(connection)
        let statement = try connection.makeStatement(
            sql: """
                SELECT access_key_id, event_time_ms, shared_event_id, error_code IS NOT NULL,
                    source_identity, session_credential_from_console, source_ip_address, user_agent, id, event_id
                FROM events NOT INDEXED WHERE access_key_id >= 'ASIA' AND access_key_id < 'ASIB'
                """
        )
        try statement.forEachRow { row in
            guard let key = row.text(at: 0) else { return }
            let position: Int
            if let known = callIndex[key] {
                position = Int(known)
            } else {
                position = keyCalls.count
                callIndex[key] = Int32(position)
                keyCalls.append(CallAccumulator())
            }
            keyCalls[position].add(row, reused: reused, texts: &texts)
        }
        let copies = try connection.makeStatement(
            sql: """
                SELECT error_code IS NOT NULL FROM events
                WHERE event_id = ?1 AND shared_event_id IS NULL AND access_key_id = ?2
                """
        )
        for (key, position) in callIndex where keyCalls[Int(position)].hasSharedIDs {
            try keyCalls[Int(position)].uncountCopies(ofKey: key, lookup: copies, reused: reused)
        }
        let ranks = texts.byteOrderRanks()
        for position in keyCalls.indices {
            keyCalls[position].finish(ranks: ranks)
        }
    }

    /// Event ids stored more than once, from the covering index `events_event_id`.
    private static func reusedEventIDs(_ connection: Connection) throws -> CallIDSet {
        var ids = CallIDSet()
        try connection.makeStatement(
            sql: "SELECT event_id FROM events WHERE event_id IS NOT NULL GROUP BY event_id HAVING count(*) > 1"
        ).forEachRow { row in
            row.withUTF8(at: 0) { id in
                if id.baseAddress != nil { ids.insert(id) }
            }
        }
        return ids
    }

    private func loadConsoleLogins(_ connection: Connection) throws(SQLiteError) {
        let rows = try connection.makeStatement(
            sql: """
                SELECT event_id, event_time_ms, identity_type, principal_arn, identity_account_id, user_name
                FROM events
                WHERE event_name = 'ConsoleLogin' AND principal_arn IS NOT NULL AND event_time_ms IS NOT NULL
                    AND json_extract(\(Schema.rawRecord()), '$.responseElements.ConsoleLogin') = 'Success'
                ORDER BY event_time_ms
                """
        ).rows()
        for row in rows {
            guard let time = row[1].integer, let arn = row[3].text else { continue }
            let login = ConsoleLogin(
                eventID: row[0].text,
                timeMilliseconds: time,
                identityType: row[2].text,
                principalARN: arn,
                accountID: row[4].text,
                userName: row[5].text
            )
            consoleLogins[arn, default: []].append(login)
        }
    }
}

/// Gathers the calls of one key during the pass over the events.
private struct CallAccumulator {
    /// The row of the earliest call, whose identity stands for the key's.
    private(set) var firstRowID: Int64 = 0
    private(set) var firstMilliseconds: Int64?
    private(set) var lastMilliseconds: Int64?
    private(set) var sourceIdentity: String?
    private(set) var isFromConsole = false
    private var hasIdentity = false
    /// Calls whose id cannot repeat, counted as they come.
    private var singleCalls: Int32 = 0
    private var failedSingleCalls: Int32 = 0
    /// Calls whose id may repeat, with the ids of those that failed.
    private var callIDs = CallIDSet()
    private var failedCallIDs = CallIDSet()
    /// The shared event ids among `callIDs`, which another record may carry as its event id.
    private var sharedIDs: [String] = []
    private var addresses: Set<Int32> = []
    private var agents: Set<Int32> = []
    /// The addresses and user agents in byte order, once ``finish(ranks:)`` has run.
    private(set) var addressList: [Int32] = []
    private(set) var agentList: [Int32] = []
    private(set) var eventCount = 0
    private(set) var errorCount = 0

    var hasSharedIDs: Bool { !sharedIDs.isEmpty }

    mutating func add(_ row: Statement, reused: CallIDSet, texts: inout TextTable) {
        let time = row.integer(at: 1)
        if !hasIdentity || isEarlier(time, than: firstMilliseconds) {
            hasIdentity = true
            firstMilliseconds = time
            firstRowID = row.integer(at: 8) ?? 0
        }
        if let time, time > lastMilliseconds ?? Int64.min { lastMilliseconds = time }
        countCall(row, reused: reused)
        if let identity = row.text(at: 4), identity > sourceIdentity ?? "" { sourceIdentity = identity }
        if row.integer(at: 5) == 1 { isFromConsole = true }
        if let address = texts.id(ofColumn: 6, in: row) { addresses.insert(address) }
        if let agent = texts.id(ofColumn: 7, in: row) { agents.insert(agent) }
    }

    /// Counts the record's call: by its shared event id, else by its event id; a record with
    /// neither is not a call that can be counted.
    private mutating func countCall(_ row: Statement, reused: CallIDSet) {
        let failed = row.integer(at: 3) == 1
        if let shared = row.text(at: 2) {
            if callIDs.insert(shared) { sharedIDs.append(shared) }
            if failed { failedCallIDs.insert(shared) }
            return
        }
        row.withUTF8(at: 9) { id in
            guard id.baseAddress != nil else { return }
            if reused.contains(id) {
                callIDs.insert(id)
                if failed { failedCallIDs.insert(id) }
            } else {
                singleCalls += 1
                if failed { failedSingleCalls += 1 }
            }
        }
    }

    /// Takes back the single count of a record whose event id is one of this key's shared ids.
    ///
    /// Its call is already among `callIDs`. Only forged or copied records do this; it costs
    /// one indexed lookup per shared id.
    mutating func uncountCopies(ofKey key: String, lookup: Statement, reused: CallIDSet) throws {
        for shared in sharedIDs where !reused.contains(shared) {
            try lookup.forEachRow([.text(shared), .text(key)]) { row in
                singleCalls -= 1
                if row.integer(at: 0) == 1 {
                    failedSingleCalls -= 1
                    failedCallIDs.insert(shared)
                }
            }
        }
    }

    /// The earliest call with a time wins; a call without one only when none has a time.
    private func isEarlier(_ time: Int64?, than current: Int64?) -> Bool {
        guard let time else { return false }
        guard let current else { return true }
        return time < current
    }

    /// Settles the totals and lists, and lets go of the sets that gathered them.
    mutating func finish(ranks: [Int32]) {
        eventCount = Int(singleCalls) + callIDs.count
        errorCount = Int(failedSingleCalls) + failedCallIDs.count
        addressList = addresses.sorted { ranks[Int($0)] < ranks[Int($1)] }
        agentList = agents.sorted { ranks[Int($0)] < ranks[Int($1)] }
        callIDs = CallIDSet()
        failedCallIDs = CallIDSet()
        sharedIDs = []
        addresses = []
        agents = []
    }
}

/// Each distinct text once, known by a number: keys share a few hundred addresses and user
/// agents between them.
private struct TextTable {
    private var ids: [String: Int32] = [:]
    private var texts: [String] = []

    /// The number of the text in `column` of `row`, adding it when new; `nil` for NULL.
    mutating func id(ofColumn column: Int32, in row: Statement) -> Int32? {
        guard let text = row.text(at: column) else { return nil }
        if let id = ids[text] { return id }
        let id = Int32(texts.count)
        ids[text] = id
        texts.append(text)
        return id
    }

    func text(of id: Int32) -> String {
        texts[Int(id)]
    }

    /// For each number, its text's place in byte order (as SQLite sorts text).
    func byteOrderRanks() -> [Int32] {
        let order = texts.indices.sorted { texts[$0].utf8.lexicographicallyPrecedes(texts[$1].utf8) }
        var ranks = [Int32](repeating: 0, count: texts.count)
        for (rank, id) in order.enumerated() {
            ranks[id] = Int32(rank)
        }
        return ranks
    }
}

extension SQLiteValue {
    /// The value as text, for text columns.
    var text: String? {
        if case .text(let value) = self { return value }
        return nil
    }

    /// The value as an integer, for integer columns.
    var integer: Int64? {
        if case .integer(let value) = self { return value }
        return nil
    }
}

/// Distinct call ids, compactly.
///
/// CloudTrail's event ids are UUIDs, kept as their 16 bytes; any other id is kept as text.
private struct CallIDSet {
    private struct UUIDBits: Hashable {
        var high: UInt64
        var low: UInt64
    }

    private var uuids: Set<UUIDBits> = []
    private var others: Set<String> = []

    var count: Int { uuids.count + others.count }

    /// Adds `id`; `true` when it was not there yet.
    @discardableResult
    mutating func insert(_ id: UnsafeBufferPointer<UInt8>) -> Bool {
        if let bits = Self.uuid(id) {
            return uuids.insert(bits).inserted
        }
        return others.insert(String(decoding: id, as: UTF8.self)).inserted
    }

    @discardableResult
    mutating func insert(_ id: String) -> Bool {
        var copy = id
        return copy.withUTF8 { insert($0) }
    }

    func contains(_ id: UnsafeBufferPointer<UInt8>) -> Bool {
        if let bits = Self.uuid(id) {
            return uuids.contains(bits)
        }
        return others.contains(String(decoding: id, as: UTF8.self))
    }

    func contains(_ id: String) -> Bool {
        var copy = id
        return copy.withUTF8 { contains($0) }
    }

    /// The bits of a lowercase UUID in its 8-4-4-4-12 form; `nil` for anything else, such as
    /// uppercase hex, so that two spellings of one value are never merged.
    private static func uuid(_ text: UnsafeBufferPointer<UInt8>) -> UUIDBits? {
        guard text.count == 36 else { return nil }
        var bits = UUIDBits(high: 0, low: 0)
        var digits = 0
        for (offset, byte) in text.enumerated() {
            if offset == 8 || offset == 13 || offset == 18 || offset == 23 {
                guard byte == UInt8(ascii: "-") else { return nil }
                continue
            }
            let value: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): value = byte - UInt8(ascii: "a") + 10
            default: return nil
            }
            if digits < 16 {
                bits.high = bits.high << 4 | UInt64(value)
            } else {
                bits.low = bits.low << 4 | UInt64(value)
            }
            digits += 1
        }
        return bits
    }
}
