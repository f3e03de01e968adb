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
    static func load(from connection: Connection) throws(SQLiteError) -> SessionEvidence {
        var evidence = SessionEvidence()
        try evidence.loadIssuances(connection)
        try evidence.loadCalls(connection)
        try evidence.loadDistinctValues(connection)
        try evidence.loadConsoleLogins(connection)
        return evidence
    }

    // MARK: - Queries

    private mutating func loadIssuances(_ connection: Connection) throws(SQLiteError) {
        let names = Self.issuingAPIs.map { "'\($0)'" }.joined(separator: ", ")
        let rows = try connection.makeStatement(
            sql: """
                SELECT event_id, event_name, event_time_ms, identity_type, principal_arn, identity_account_id,
                    access_key_id, user_name, invoked_by, issued_access_key_id,
                    json_extract(raw, '$.requestParameters.roleArn'),
                    json_extract(raw, '$.requestParameters.roleSessionName'),
                    json_extract(raw, '$.requestParameters.name'),
                    json_extract(raw, '$.requestParameters.principalArn'),
                    json_extract(raw, '$.responseElements.assumedRoleUser.arn'),
                    json_extract(raw, '$.responseElements.federatedUser.arn'),
                    json_extract(raw, '$.responseElements.credentials.expiration'),
                    json_extract(raw, '$.userIdentity.identityProvider'),
                    coalesce(json_extract(raw, '$.responseElements.sourceIdentity'),
                        json_extract(raw, '$.requestParameters.sourceIdentity'))
                FROM events
                WHERE issued_access_key_id IS NOT NULL AND error_code IS NULL AND event_name IN (\(names))
                ORDER BY event_time_ms, id
                """
        ).rows()
        issuances = rows.compactMap { row in
            guard let name = row[1].text, let key = row[9].text else { return nil }
            return Issuance(
                eventID: row[0].text,
                eventName: name,
                timeMilliseconds: row[2].integer,
                callerType: row[3].text,
                callerARN: row[4].text,
                callerAccountID: row[5].text,
                callerAccessKeyID: row[6].text,
                callerUserName: row[7].text,
                invokedBy: row[8].text,
                issuedKey: key,
                roleARN: row[10].text,
                roleSessionName: row[11].text,
                federatedName: row[12].text,
                samlProviderARN: row[13].text,
                assumedRoleARN: row[14].text,
                federatedUserARN: row[15].text,
                expiration: row[16].text,
                identityProvider: row[17].text,
                sourceIdentity: row[18].text
            )
        }
    }

    /// The identity of each temporary key's earliest call, then its totals.
    ///
    /// Two records of one call (sharing a sharedEventID) count once.
    private mutating func loadCalls(_ connection: Connection) throws(SQLiteError) {
        // SQLite takes the bare columns of an aggregate with a single min() from the row
        // holding the minimum: the key's earliest call.
        let first = try connection.makeStatement(
            sql: """
                SELECT access_key_id, min(event_time_ms), identity_type, principal_arn, identity_account_id,
                    user_name, issuer_type, issuer_arn, issuer_user_name, session_creation_date
                FROM events WHERE access_key_id >= 'ASIA' AND access_key_id < 'ASIB'
                GROUP BY access_key_id
                """
        ).rows()
        for row in first {
            guard let key = row[0].text else { continue }
            calls[key] = KeyCalls(
                firstMilliseconds: row[1].integer,
                identityType: row[2].text,
                principalARN: row[3].text,
                accountID: row[4].text,
                userName: row[5].text,
                issuerType: row[6].text,
                issuerARN: row[7].text,
                issuerUserName: row[8].text,
                creationDate: row[9].text
            )
        }
        let totals = try connection.makeStatement(
            sql: """
                SELECT access_key_id, max(event_time_ms), count(DISTINCT coalesce(shared_event_id, event_id)),
                    count(DISTINCT CASE WHEN error_code IS NOT NULL THEN coalesce(shared_event_id, event_id) END),
                    max(source_identity), max(session_credential_from_console)
                FROM events WHERE access_key_id >= 'ASIA' AND access_key_id < 'ASIB'
                GROUP BY access_key_id
                """
        ).rows()
        for row in totals {
            guard let key = row[0].text else { continue }
            calls[key]?.lastMilliseconds = row[1].integer
            calls[key]?.eventCount = Int(row[2].integer ?? 0)
            calls[key]?.errorCount = Int(row[3].integer ?? 0)
            calls[key]?.sourceIdentity = row[4].text
            calls[key]?.isFromConsole = row[5].integer == 1
        }
    }

    private mutating func loadDistinctValues(_ connection: Connection) throws(SQLiteError) {
        for (column, isAddress) in [("source_ip_address", true), ("user_agent", false)] {
            let rows = try connection.makeStatement(
                sql: """
                    SELECT DISTINCT access_key_id, \(column) FROM events
                    WHERE access_key_id >= 'ASIA' AND access_key_id < 'ASIB' AND \(column) IS NOT NULL
                    ORDER BY 1, 2
                    """
            ).rows()
            for row in rows {
                guard let key = row[0].text, let value = row[1].text else { continue }
                if isAddress {
                    calls[key]?.sourceIPAddresses.append(value)
                } else {
                    calls[key]?.userAgents.append(value)
                }
            }
        }
    }

    private mutating func loadConsoleLogins(_ connection: Connection) throws(SQLiteError) {
        let rows = try connection.makeStatement(
            sql: """
                SELECT event_id, event_time_ms, identity_type, principal_arn, identity_account_id, user_name
                FROM events
                WHERE event_name = 'ConsoleLogin' AND principal_arn IS NOT NULL AND event_time_ms IS NOT NULL
                    AND json_extract(raw, '$.responseElements.ConsoleLogin') = 'Success'
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
