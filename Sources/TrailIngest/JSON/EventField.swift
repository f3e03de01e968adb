/// A CloudTrail field that ingest extracts into its own database column.
///
/// The raw record is always kept; these are the fields analysts filter on and the session graph
/// joins on. Adding a case adds a column (the schema is derived from this list), so cases are
/// only ever appended.
package enum EventField: Int, CaseIterable, Sendable {
    case eventVersion
    case eventID
    case eventTime
    case eventSource
    case eventName
    case awsRegion
    case sourceIPAddress
    case userAgent
    case errorCode
    case errorMessage
    case readOnly
    case eventType
    case eventCategory
    case managementEvent
    case recipientAccountID
    case sharedEventID
    case requestID
    case identityType
    case principalID
    case principalARN
    case identityAccountID
    case accessKeyID
    case userName
    case invokedBy
    case issuerType
    case issuerARN
    case issuerAccountID
    case issuerUserName
    case sessionCreationDate
    case mfaAuthenticated
    case sourceIdentity
    case sessionCredentialFromConsole
    case issuedAccessKeyID

    /// Where the field sits in a record, as JSON object keys from the record's root.
    package var path: [String] {
        switch self {
        case .eventVersion: ["eventVersion"]
        case .eventID: ["eventID"]
        case .eventTime: ["eventTime"]
        case .eventSource: ["eventSource"]
        case .eventName: ["eventName"]
        case .awsRegion: ["awsRegion"]
        case .sourceIPAddress: ["sourceIPAddress"]
        case .userAgent: ["userAgent"]
        case .errorCode: ["errorCode"]
        case .errorMessage: ["errorMessage"]
        case .readOnly: ["readOnly"]
        case .eventType: ["eventType"]
        case .eventCategory: ["eventCategory"]
        case .managementEvent: ["managementEvent"]
        case .recipientAccountID: ["recipientAccountId"]
        case .sharedEventID: ["sharedEventID"]
        case .requestID: ["requestID"]
        case .identityType: ["userIdentity", "type"]
        case .principalID: ["userIdentity", "principalId"]
        case .principalARN: ["userIdentity", "arn"]
        case .identityAccountID: ["userIdentity", "accountId"]
        case .accessKeyID: ["userIdentity", "accessKeyId"]
        case .userName: ["userIdentity", "userName"]
        case .invokedBy: ["userIdentity", "invokedBy"]
        case .issuerType: ["userIdentity", "sessionContext", "sessionIssuer", "type"]
        case .issuerARN: ["userIdentity", "sessionContext", "sessionIssuer", "arn"]
        case .issuerAccountID: ["userIdentity", "sessionContext", "sessionIssuer", "accountId"]
        case .issuerUserName: ["userIdentity", "sessionContext", "sessionIssuer", "userName"]
        case .sessionCreationDate: ["userIdentity", "sessionContext", "attributes", "creationDate"]
        case .mfaAuthenticated: ["userIdentity", "sessionContext", "attributes", "mfaAuthenticated"]
        case .sourceIdentity: ["userIdentity", "sessionContext", "sourceIdentity"]
        case .sessionCredentialFromConsole: ["sessionCredentialFromConsole"]
        case .issuedAccessKeyID: ["responseElements", "credentials", "accessKeyId"]
        }
    }

    /// The database column that holds the field.
    package var columnName: String {
        switch self {
        case .eventVersion: "event_version"
        case .eventID: "event_id"
        case .eventTime: "event_time"
        case .eventSource: "event_source"
        case .eventName: "event_name"
        case .awsRegion: "aws_region"
        case .sourceIPAddress: "source_ip_address"
        case .userAgent: "user_agent"
        case .errorCode: "error_code"
        case .errorMessage: "error_message"
        case .readOnly: "read_only"
        case .eventType: "event_type"
        case .eventCategory: "event_category"
        case .managementEvent: "management_event"
        case .recipientAccountID: "recipient_account_id"
        case .sharedEventID: "shared_event_id"
        case .requestID: "request_id"
        case .identityType: "identity_type"
        case .principalID: "principal_id"
        case .principalARN: "principal_arn"
        case .identityAccountID: "identity_account_id"
        case .accessKeyID: "access_key_id"
        case .userName: "user_name"
        case .invokedBy: "invoked_by"
        case .issuerType: "issuer_type"
        case .issuerARN: "issuer_arn"
        case .issuerAccountID: "issuer_account_id"
        case .issuerUserName: "issuer_user_name"
        case .sessionCreationDate: "session_creation_date"
        case .mfaAuthenticated: "mfa_authenticated"
        case .sourceIdentity: "source_identity"
        case .sessionCredentialFromConsole: "session_credential_from_console"
        case .issuedAccessKeyID: "issued_access_key_id"
        }
    }

    /// Whether the column holds 0/1 rather than text: CloudTrail writes these fields as JSON
    /// booleans or as the strings "true"/"false" depending on the service and the year.
    package var isBoolean: Bool {
        switch self {
        case .readOnly, .managementEvent, .mfaAuthenticated, .sessionCredentialFromConsole: true
        default: false
        }
    }
}
