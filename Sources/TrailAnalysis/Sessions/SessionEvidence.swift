import TrailStore

/// What the case database says about credentials.
///
/// Issuing calls, the calls made with each temporary key, and console sign-ins, loaded with a
/// handful of indexed queries.
struct SessionEvidence {
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

    var issuances: [Issuance] = []
    var calls: [String: KeyCalls] = [:]
    var consoleLogins: [String: [ConsoleLogin]] = [:]

    /// Reads the evidence from `connection`.
    static func load(from connection: Connection) throws -> SessionEvidence {
        var evidence = SessionEvidence()
        try evidence.loadIssuances(connection)
        try evidence.loadCalls(connection)
        try evidence.loadConsoleLogins(connection)
        return evidence
    }

    // MARK: - Queries

    private mutating func loadIssuances(_ connection: Connection) throws {
        let names = Self.issuingAPIs.map { "'\($0)'" }.joined(separator: ", ")
        let raw = Schema.rawRecord()
        let statement = try connection.makeStatement(
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
                FROM events
                WHERE issued_access_key_id IS NOT NULL AND error_code IS NULL AND event_name IN (\(names))
                ORDER BY event_time_ms, id
                """
        )
        // Row by row: a whole result of a large dump's issuances would sit in memory beside them.
        try statement.forEachRow { row in
            guard let name = row.text(at: 1), let key = row.text(at: 9) else { return }
            issuances.append(
                Issuance(
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
            )
        }
    }

    /// The identity of each temporary key's earliest call, and its totals.
    ///
    /// One sequential pass over the events: walking them in key order through the index costs
    /// a random page read per call, ten times slower on a large case. Two records of one call
    /// (sharing a sharedEventID) count once.
    private mutating func loadCalls(_ connection: Connection) throws {
        var accumulators: [String: CallAccumulator] = [:]
        // Keys share a few hundred addresses and user agents between them: one copy of each.
        var texts = TextPool()
        let statement = try connection.makeStatement(
            sql: """
                SELECT access_key_id, event_time_ms, coalesce(shared_event_id, event_id), error_code IS NOT NULL,
                    source_identity, session_credential_from_console, source_ip_address, user_agent,
                    identity_type, principal_arn, identity_account_id, user_name, issuer_type, issuer_arn,
                    issuer_user_name, session_creation_date
                FROM events NOT INDEXED WHERE access_key_id >= 'ASIA' AND access_key_id < 'ASIB'
                """
        )
        try statement.forEachRow { row in
            guard let key = row.text(at: 0) else { return }
            accumulators[key, default: CallAccumulator()].add(row, texts: &texts)
        }
        calls = accumulators.mapValues { $0.result }
    }

    private mutating func loadConsoleLogins(_ connection: Connection) throws(SQLiteError) {
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

/// Gathers the calls of one key during the pass over the events.
private struct CallAccumulator {
    private var calls = SessionEvidence.KeyCalls()
    private var hasIdentity = false
    private var callIDs = CallIDSet()
    private var failedCallIDs = CallIDSet()
    private var addresses: Set<String> = []
    private var agents: Set<String> = []

    mutating func add(_ row: Statement, texts: inout TextPool) {
        let time = row.integer(at: 1)
        if !hasIdentity || isEarlier(time, than: calls.firstMilliseconds) {
            takeIdentity(from: row, time: time)
        }
        if let time, time > calls.lastMilliseconds ?? Int64.min { calls.lastMilliseconds = time }
        row.withUTF8(at: 2) { callID in
            guard callID.baseAddress != nil else { return }
            callIDs.insert(callID)
            if row.integer(at: 3) == 1 { failedCallIDs.insert(callID) }
        }
        if let identity = row.text(at: 4), identity > calls.sourceIdentity ?? "" { calls.sourceIdentity = identity }
        if row.integer(at: 5) == 1 { calls.isFromConsole = true }
        if let address = row.text(at: 6) { addresses.insert(texts.shared(address)) }
        if let agent = row.text(at: 7) { agents.insert(texts.shared(agent)) }
    }

    /// The earliest call with a time wins; a call without one only when none has a time.
    private func isEarlier(_ time: Int64?, than current: Int64?) -> Bool {
        guard let time else { return false }
        guard let current else { return true }
        return time < current
    }

    private mutating func takeIdentity(from row: Statement, time: Int64?) {
        hasIdentity = true
        calls.firstMilliseconds = time
        calls.identityType = row.text(at: 8)
        calls.principalARN = row.text(at: 9)
        calls.accountID = row.text(at: 10)
        calls.userName = row.text(at: 11)
        calls.issuerType = row.text(at: 12)
        calls.issuerARN = row.text(at: 13)
        calls.issuerUserName = row.text(at: 14)
        calls.creationDate = row.text(at: 15)
    }

    var result: SessionEvidence.KeyCalls {
        var result = calls
        result.eventCount = callIDs.count
        result.errorCount = failedCallIDs.count
        // Byte order, as SQLite sorts text.
        result.sourceIPAddresses = addresses.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        result.userAgents = agents.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        return result
    }
}

/// Distinct call ids, compactly: a million calls' ids would take a hundred megabytes as strings.
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

    mutating func insert(_ id: UnsafeBufferPointer<UInt8>) {
        if let bits = Self.uuid(id) {
            uuids.insert(bits)
        } else {
            others.insert(String(decoding: id, as: UTF8.self))
        }
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

/// One stored copy of each distinct text, handed out in place of equal copies.
private struct TextPool {
    private var texts: Set<String> = []

    mutating func shared(_ text: String) -> String {
        texts.insert(text).memberAfterInsert
    }
}
