import TrailCore
import TrailIngest
import TrailStore

/// The facts an isolation plan needs beyond the session graph: long-term keys, console
/// sign-ins, principals created by implicated credentials, and containment already applied.
struct IsolationEvidence {
    /// A principal or key created by an implicated session.
    struct Creation {
        var eventID: String
        var eventName: String
        var accountID: String?
        var userName: String?
        var userARN: String?
        var accessKeyID: String?
        var accessKeyUserName: String?
        var roleName: String?
        var roleARN: String?
        var callerARN: String?
        var callerUserName: String?
    }

    /// A containment call found in the logs.
    struct AppliedContainment {
        var eventID: String?
        var milliseconds: Int64
        var eventName: String
        var accountID: String?
        var userName: String?
        var roleName: String?
        var policyARN: String?
        var policyName: String?
        var accessKeyID: String?
        var status: String?
    }

    private let connection: Connection

    init(databasePath: String) throws(SQLiteError) {
        connection = try Connection(path: databasePath, mode: .readOnly)
    }

    /// The IAM user that used the long-term key `key`: ARN, account and name.
    func user(ofKey key: String) throws(SQLiteError) -> (arn: String, accountID: String?, name: String?)? {
        let rows = try connection.makeStatement(
            sql: """
                SELECT principal_arn, identity_account_id, user_name FROM events
                WHERE access_key_id = ? AND identity_type = 'IAMUser' AND principal_arn IS NOT NULL LIMIT 1
                """
        ).rows([.text(key)])
        guard let row = rows.first, let arn = row[0].text else { return nil }
        return (arn, row[1].text, row[2].text)
    }

    /// The user's long-term keys seen in calls, each with up to three event IDs.
    func longTermKeys(ofUser arn: String) throws(SQLiteError) -> [(key: String, events: [String])] {
        let rows = try connection.makeStatement(
            sql: """
                SELECT access_key_id, event_id FROM events
                WHERE principal_arn = ? AND identity_type = 'IAMUser' AND access_key_id >= 'AKIA'
                    AND access_key_id < 'AKIB'
                ORDER BY access_key_id, event_time_ms
                """
        ).rows([.text(arn)])
        var keys: [(key: String, events: [String])] = []
        for row in rows {
            guard let key = row[0].text, CredentialText.isPlausibleKey(key, prefixes: ["AKIA"]) else { continue }
            if keys.last?.key != key { keys.append((key, [])) }
            if let event = row[1].text, let count = keys.last?.events.count, count < 3 {
                keys[keys.count - 1].events.append(event)
            }
        }
        return keys
    }

    /// Event IDs of the user's console sign-ins (up to five).
    func consoleLogins(ofUser arn: String) throws(SQLiteError) -> [String] {
        try connection.makeStatement(
            sql: """
                SELECT event_id FROM events WHERE event_name = 'ConsoleLogin' AND principal_arn = ?
                ORDER BY event_time_ms LIMIT 5
                """
        ).rows([.text(arn)]).compactMap { $0[0].text }
    }

    /// Users, keys, login profiles and roles created with any of `keys`.
    func creations(byKeys keys: [String]) throws(SQLiteError) -> [Creation] {
        let list = JSONValue.array(keys.map { .string($0) }).rendered()
        let raw = Schema.rawRecord()
        let rows = try connection.makeStatement(
            sql: """
                SELECT event_id, event_name, recipient_account_id,
                    json_extract(\(raw), '$.requestParameters.userName'),
                    json_extract(\(raw), '$.responseElements.user.arn'),
                    json_extract(\(raw), '$.responseElements.accessKey.accessKeyId'),
                    json_extract(\(raw), '$.responseElements.accessKey.userName'),
                    json_extract(\(raw), '$.requestParameters.roleName'),
                    json_extract(\(raw), '$.responseElements.role.arn'),
                    principal_arn, user_name
                FROM events
                WHERE access_key_id IN (SELECT value FROM json_each(?)) AND error_code IS NULL
                    AND event_name IN ('CreateUser', 'CreateAccessKey', 'CreateLoginProfile', 'CreateRole')
                ORDER BY event_time_ms, id
                """
        ).rows([.text(list)])
        return rows.compactMap { row in
            guard let eventID = row[0].text, let name = row[1].text else { return nil }
            return Creation(
                eventID: eventID,
                eventName: name,
                accountID: row[2].text,
                userName: row[3].text,
                userARN: row[4].text,
                accessKeyID: row[5].text,
                accessKeyUserName: row[6].text,
                roleName: row[7].text,
                roleARN: row[8].text,
                callerARN: row[9].text,
                callerUserName: row[10].text
            )
        }
    }

    /// Successful containment calls: deny-all attachments, revocation policies, deactivated keys
    /// and deleted login profiles.
    func appliedContainment() throws(SQLiteError) -> [AppliedContainment] {
        let raw = Schema.rawRecord()
        let rows = try connection.makeStatement(
            sql: """
                SELECT event_id, event_time_ms, event_name, recipient_account_id,
                    json_extract(\(raw), '$.requestParameters.userName'),
                    json_extract(\(raw), '$.requestParameters.roleName'),
                    json_extract(\(raw), '$.requestParameters.policyArn'),
                    json_extract(\(raw), '$.requestParameters.policyName'),
                    json_extract(\(raw), '$.requestParameters.accessKeyId'),
                    json_extract(\(raw), '$.requestParameters.status')
                FROM events
                WHERE event_name IN ('AttachUserPolicy', 'AttachRolePolicy', 'PutRolePolicy', 'UpdateAccessKey',
                        'DeleteLoginProfile')
                    AND error_code IS NULL AND event_time_ms IS NOT NULL
                ORDER BY event_time_ms
                """
        ).rows()
        return rows.compactMap { row in
            guard let time = row[1].integer, let name = row[2].text else { return nil }
            return AppliedContainment(
                eventID: row[0].text,
                milliseconds: time,
                eventName: name,
                accountID: row[3].text,
                userName: row[4].text,
                roleName: row[5].text,
                policyARN: row[6].text,
                policyName: row[7].text,
                accessKeyID: row[8].text,
                status: row[9].text
            )
        }
    }

    /// Successful calls matching `condition` after `milliseconds`.
    func successfulCalls(where condition: String, _ values: [SQLiteValue], after milliseconds: Int64)
        throws(SQLiteError)
        -> Int
    {
        let rows = try connection.makeStatement(
            sql: "SELECT count(*) FROM events WHERE (\(condition)) AND error_code IS NULL AND event_time_ms > ?"
        ).rows(values + [.integer(milliseconds)])
        return Int(rows.first?.first?.integer ?? 0)
    }
}
