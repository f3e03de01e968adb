import TrailCore

/// A sign of compromise found in an investigation, with its evidence and a severity.
///
/// The field names are part of the `investigate --format json` and `report.json` contracts.
package struct Indicator: Sendable {
    /// What an indicator is about; the raw values are the JSON `kind`.
    package enum Kind: String, CaseIterable, Sendable {
        case ttpObserved
        case newAPICall
        case newSourceIP
        case newUserAgent
        case newRegion
        case newCountry
        case newASN
        case impossibleTravel
        case flaggedIP
        case volumeChange
        case failedCallRateChange
        case instanceCredentialsElsewhere
        case relatedSessions

        /// The kind's name for people.
        package var title: String {
            switch self {
            case .ttpObserved: "TTP observed"
            case .newAPICall: "New API call"
            case .newSourceIP: "New source IP"
            case .newUserAgent: "New user agent"
            case .newRegion: "New region"
            case .newCountry: "New country"
            case .newASN: "New autonomous system"
            case .impossibleTravel: "Impossible travel"
            case .flaggedIP: "Flagged IP"
            case .volumeChange: "Call volume change"
            case .failedCallRateChange: "Failed-call rate change"
            case .instanceCredentialsElsewhere: "Instance credentials used elsewhere"
            case .relatedSessions: "Related sessions"
            }
        }
    }

    package var kind: Kind
    /// One of ``TechniqueTable/severities``.
    package var severity: String
    /// One sentence that a person can check against the evidence.
    package var explanation: String
    /// The event IDs of the evidence, at most ``evidenceLimit``.
    package var eventIDs: [String]
    /// The indicator's facts as JSON members (values, counts, addresses), by kind.
    package var details: [(String, JSONValue)]

    /// The most event IDs kept as the evidence of one indicator.
    package static let evidenceLimit = 50

    init(kind: Kind, severity: String, explanation: String, eventIDs: [String], details: [(String, JSONValue)] = []) {
        self.kind = kind
        self.severity = severity
        self.explanation = explanation
        self.eventIDs = Array(eventIDs.prefix(Self.evidenceLimit))
        self.details = details
    }

    package var jsonValue: JSONValue {
        .object(
            [
                ("kind", .string(kind.rawValue)), ("title", .string(kind.title)), ("severity", .string(severity)),
                ("explanation", .string(explanation)), ("eventIDs", .array(eventIDs.map { .string($0) })),
            ] + details
        )
    }
}
