import TrailIngest

/// Turns ``SessionEvidence`` into sessions: links each temporary key to the call that issued
/// it, to its parent credentials, and to the principal at the root of its chain.
///
/// The issued access key is the only link between an issuing call and later calls; session
/// names repeat over time and are never used to link. An issuance whose key equals the caller's
/// own key (a masked or copied example) is not trusted.
struct SessionGraphBuilder {
    private let evidence: SessionEvidence
    private var sessions: [String: Session] = [:]
    private var roots: [String: Session.Origin] = [:]
    /// For each issued key, the position of its trusted issuance in the evidence.
    private var chosenIssuances: [String: Int] = [:]

    /// The most a console session can follow its sign-in: the console's longest session.
    private static let consoleSessionSpan: Int64 = 12 * 3_600_000

    init(evidence: SessionEvidence) {
        self.evidence = evidence
    }

    /// Builds every session, ordered by issue time (unknown last), then key.
    mutating func build() -> [Session] {
        chosenIssuances = trustedIssuances()
        var keys = Set(chosenIssuances.keys)
        keys.formUnion(evidence.calls.keys.filter { CredentialText.isPlausibleKey($0) })
        for key in keys {
            let calls = evidence.calls[key]
            var session =
                chosenIssuances[key].map { makeSession(key, issuance: evidence.issuances[$0]) }
                ?? makeUnissuedSession(key, calls)
            if let calls { addActivity(calls, to: &session) }
            sessions[key] = session
        }
        for key in keys {
            resolveChain(key, visiting: [])
        }
        return sessions.values.sorted(by: Self.isOrderedBefore)
    }

    private static func isOrderedBefore(_ lhs: Session, _ rhs: Session) -> Bool {
        switch (lhs.issuedAt, rhs.issuedAt) {
        case (let left?, let right?) where left != right: return left < right
        case (nil, .some): return false
        case (.some, nil): return true
        default: return lhs.accessKeyId < rhs.accessKeyId
        }
    }

    /// For each issued key, the position in the evidence of the issuing call to trust: the
    /// caller's copy when a cross-account call was logged in both accounts (the other account's
    /// copy names only an `AWSAccount`), else the first.
    ///
    /// Positions, not copies: a large dump has a hundred thousand issuances.
    private func trustedIssuances() -> [String: Int] {
        var chosen: [String: Int] = [:]
        for (position, issuance) in evidence.issuances.enumerated()
        where CredentialText.isPlausibleKey(issuance.issuedKey) && issuance.callerAccessKeyID != issuance.issuedKey {
            guard let current = chosen[issuance.issuedKey] else {
                chosen[issuance.issuedKey] = position
                continue
            }
            if evidence.issuances[current].callerType == "AWSAccount" && issuance.callerType != "AWSAccount" {
                chosen[issuance.issuedKey] = position
            }
        }
        return chosen
    }

    // MARK: - Issued sessions

    private func makeSession(_ key: String, issuance: SessionEvidence.Issuance) -> Session {
        var session = Session(accessKeyId: key)
        let isRoleSession = issuance.eventName.hasPrefix("AssumeRole")
        session.kind = issuance.eventName
        session.roleArn = isRoleSession ? issuance.roleARN : nil
        session.sessionName = isRoleSession ? issuance.roleSessionName : issuance.federatedName
        session.sessionArn = isRoleSession ? issuance.assumedRoleARN : issuance.federatedUserARN
        session.accountId =
            isRoleSession
            ? CredentialText.account(ofARN: issuance.roleARN) ?? CredentialText.account(ofARN: issuance.assumedRoleARN)
            : issuance.callerAccountID ?? evidence.calls[key]?.accountID
        session.issuedAt = issuance.timeMilliseconds.map(EventTime.iso8601(milliseconds:))
        session.expiresAt = CredentialText.expirationISO(issuance.expiration)
        session.assumedBy = Self.principal(of: issuance)
        if CredentialText.isPlausibleKey(issuance.callerAccessKeyID) {
            session.parentAccessKeyId = issuance.callerAccessKeyID
        }
        session.roleChaining = issuance.callerType == "AssumedRole"
        session.sourceIdentity = issuance.sourceIdentity
        session.issuingEventID = issuance.eventID
        session.crossAccount = Self.isCrossAccount(session)
        return session
    }

    private static func principal(of issuance: SessionEvidence.Issuance) -> Session.Principal {
        var principal = Session.Principal(type: issuance.callerType, accountId: issuance.callerAccountID)
        switch issuance.callerType {
        case "SAMLUser": principal.arn = issuance.samlProviderARN ?? issuance.identityProvider
        case "WebIdentityUser": principal.arn = issuance.identityProvider
        default: principal.arn = issuance.callerARN
        }
        if CredentialText.isPlausibleKey(issuance.callerAccessKeyID, prefixes: ["ASIA", "AKIA"]) {
            principal.accessKeyId = issuance.callerAccessKeyID
        }
        if issuance.callerType == "AWSService" { principal.service = issuance.invokedBy }
        return principal
    }

    private static func isCrossAccount(_ session: Session) -> Bool {
        guard let caller = session.assumedBy.accountId, let owner = session.accountId else { return false }
        return caller != owner
    }

    // MARK: - Sessions without an issuing call

    private func makeUnissuedSession(_ key: String, _ calls: SessionEvidence.KeyCalls?) -> Session {
        var session = Session(accessKeyId: key)
        guard let calls else { return session }
        session.accountId = calls.accountID
        session.issuedAt = calls.creationDate.flatMap(EventTime.milliseconds(from:)).map(
            EventTime.iso8601(milliseconds:)
        )
        if calls.isFromConsole {
            session.kind = "ConsoleLogin"
            if let login = consoleLogin(for: calls) {
                session.issuedAt = EventTime.iso8601(milliseconds: login.timeMilliseconds)
                session.assumedBy = Session.Principal(
                    type: login.identityType,
                    arn: login.principalARN,
                    accountId: login.accountID
                )
                session.accountId = login.accountID ?? calls.accountID
                session.issuingEventID = login.eventID
            }
            return session
        }
        session.roleArn = calls.issuerType == "Role" ? calls.issuerARN : nil
        session.sessionName = CredentialText.sessionName(ofARN: calls.principalARN)
        session.sessionArn = CredentialText.isSessionARN(calls.principalARN) ? calls.principalARN : nil
        return session
    }

    /// The sign-in that created a console session.
    ///
    /// That is the latest successful sign-in of the same principal at or before the session's
    /// creation time (from its calls' session context), or before its first call when that is
    /// unknown. A user who signs in twice within minutes has two sessions; the creation time
    /// tells them apart.
    private func consoleLogin(for calls: SessionEvidence.KeyCalls) -> SessionEvidence.ConsoleLogin? {
        let created = calls.creationDate.flatMap(EventTime.milliseconds(from:))
        guard let arn = calls.principalARN, let target = created ?? calls.firstMilliseconds else { return nil }
        return evidence.consoleLogins[arn]?.last { login in
            login.timeMilliseconds <= target && target - login.timeMilliseconds <= Self.consoleSessionSpan
        }
    }

    private func addActivity(_ calls: SessionEvidence.KeyCalls, to session: inout Session) {
        session.eventCount = calls.eventCount
        session.errorCount = calls.errorCount
        session.firstEventTime = calls.firstMilliseconds.map(EventTime.iso8601(milliseconds:))
        session.lastEventTime = calls.lastMilliseconds.map(EventTime.iso8601(milliseconds:))
        session.sourceIPAddresses = calls.sourceIPAddresses
        session.userAgents = calls.userAgents
        if session.sourceIdentity == nil { session.sourceIdentity = calls.sourceIdentity }
    }
}

// MARK: - Chains

extension SessionGraphBuilder {
    /// Sets the chain depth and origin of `key` from its parent's, walking up first.
    ///
    /// A cycle (only possible in forged or copied records) ends the walk as if at a root.
    @discardableResult
    private mutating func resolveChain(_ key: String, visiting: Set<String>) -> (depth: Int, origin: Session.Origin) {
        guard var session = sessions[key] else { return (0, .unknown) }
        if let origin = roots[key] { return (session.chainDepth, origin) }
        var depth = 1
        var origin = rootOrigin(of: session)
        if let parent = session.parentAccessKeyId, sessions[parent] != nil, !visiting.contains(parent) {
            let resolved = resolveChain(parent, visiting: visiting.union([key]))
            depth = resolved.depth + 1
            origin = resolved.origin
        } else if session.parentAccessKeyId.map({ visiting.contains($0) }) == true {
            session.parentAccessKeyId = nil
        }
        session.chainDepth = depth
        session.origin = origin
        sessions[key] = session
        roots[key] = origin
        return (depth, origin)
    }

    /// The origin of a session with no parent: whoever made its issuing call, or what its
    /// calls reveal about the principal behind it.
    private func rootOrigin(of session: Session) -> Session.Origin {
        let issuance = trustedIssuance(of: session)
        if let issuance {
            return Self.origin(of: issuance)
        }
        if session.kind == "ConsoleLogin", let type = session.assumedBy.type {
            return Session.Origin(
                type: type,
                arn: session.assumedBy.arn,
                name: userName(in: session.assumedBy.arn, type: type)
            )
        }
        guard let calls = evidence.calls[session.accessKeyId] else { return .unknown }
        if calls.issuerType == "IAMUser" {
            return Session.Origin(type: "IAMUser", arn: calls.issuerARN, name: calls.issuerUserName)
        }
        if calls.identityType == "IAMUser" || calls.identityType == "Root" {
            return Session.Origin(
                type: calls.identityType,
                arn: calls.principalARN,
                name: calls.identityType == "IAMUser" ? calls.userName : nil
            )
        }
        return .unknown
    }

    private func trustedIssuance(of session: Session) -> SessionEvidence.Issuance? {
        chosenIssuances[session.accessKeyId].map { evidence.issuances[$0] }
    }

    private static func origin(of issuance: SessionEvidence.Issuance) -> Session.Origin {
        switch issuance.callerType {
        case "IAMUser":
            return Session.Origin(type: "IAMUser", arn: issuance.callerARN, name: issuance.callerUserName)
        case "Root":
            return Session.Origin(type: "Root", arn: issuance.callerARN)
        case "AWSService":
            return Session.Origin(type: "AWSService", service: issuance.invokedBy, resource: issuance.roleSessionName)
        case "SAMLUser":
            let type = CredentialText.isIdentityCenterRole(issuance.roleARN) ? "IdentityCenterUser" : "SAMLUser"
            return Session.Origin(
                type: type,
                arn: issuance.samlProviderARN ?? issuance.identityProvider,
                name: issuance.callerUserName
            )
        case "WebIdentityUser":
            return Session.Origin(
                type: "WebIdentityUser",
                arn: issuance.identityProvider,
                name: issuance.callerUserName
            )
        case "AWSAccount":
            return Session.Origin(type: "AWSAccount", name: issuance.callerAccountID)
        default:
            return Session.Origin(type: issuance.callerType, arn: issuance.callerARN)
        }
    }

    private func userName(in arn: String?, type: String) -> String? {
        guard type == "IAMUser", let arn, let slash = arn.lastIndex(of: "/") else { return nil }
        return String(arn[arn.index(after: slash)...])
    }
}
