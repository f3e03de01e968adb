import TrailIngest

/// Turns ``SessionEvidence`` into sessions: links each temporary key to the call that issued
/// it, to its parent credentials, and to the principal at the root of its chain.
///
/// The issued access key is the only link between an issuing call and later calls; session
/// names repeat over time and are never used to link. An issuance whose key equals the caller's
/// own key (a masked or copied example) is not trusted.
struct SessionGraphBuilder {
    /// One session's place in the graph.
    ///
    /// Every key has one while the sessions themselves are made one at a time, in graph
    /// order, and handed on: a large case's sessions are never all in memory.
    private struct Node {
        var key: String
        var issuedAt: String?
        /// The node of the parent credentials, when the graph has them.
        var parent: Int32 = -1
        /// The chain depth: 0 before it is resolved, -1 while its chain is being walked.
        var depth: Int32 = 0
        /// The node at the top of the chain.
        var root: Int32 = -1
        /// Whether the parent link was cut to end a loop.
        var isCutFromParent = false
    }

    private let evidence: SessionEvidence
    private var nodes: [Node] = []

    /// The most a console session can follow its sign-in: the console's longest session.
    private static let consoleSessionSpan: Int64 = 12 * 3_600_000

    init(evidence: SessionEvidence) {
        self.evidence = evidence
    }

    /// Makes every session and hands each to `body`, ordered by issue time (unknown last),
    /// then key.
    ///
    /// - Returns: The number of sessions.
    @discardableResult
    mutating func build(_ body: (Session) throws -> Void) throws -> Int {
        // Nodes in key order, so that a key's node is found by binary search: a dictionary of a
        // large case's keys would take more memory than the nodes.
        var keys = Array(evidence.issuances.keys)
        keys += evidence.callIndex.keys.filter { evidence.issuances[$0] == nil && CredentialText.isPlausibleKey($0) }
        keys.sort()
        var parentKeys: [String?] = []
        parentKeys.reserveCapacity(keys.count)
        nodes.reserveCapacity(keys.count)
        for key in keys {
            let (issuedAt, parentKey) = try placement(of: key)
            nodes.append(Node(key: key, issuedAt: issuedAt))
            parentKeys.append(parentKey)
        }
        keys = []
        for (position, parentKey) in parentKeys.enumerated() {
            if let parentKey, let parent = node(ofKey: parentKey) { nodes[position].parent = parent }
        }
        parentKeys = []
        for position in nodes.indices where nodes[position].depth == 0 {
            resolveChain(from: Int32(position))
        }
        let order = nodes.indices.sorted { isOrderedBefore(nodes[$0], nodes[$1]) }
        var origins: [Int32: Session.Origin] = [:]
        for position in order {
            let node = nodes[position]
            let calls = try evidence.calls(of: node.key)
            let issuance = try evidence.issuance(of: node.key)
            var session = baseSession(node.key, issuance: issuance, calls: calls)
            if let calls { addActivity(calls, to: &session) }
            if node.isCutFromParent { session.parentAccessKeyId = nil }
            session.chainDepth = Int(node.depth)
            if let origin = origins[node.root] {
                session.origin = origin
            } else {
                let origin =
                    node.root == Int32(position)
                    ? rootOrigin(of: session, issuance: issuance, calls: calls)
                    : try rootOrigin(ofNode: node.root)
                origins[node.root] = origin
                session.origin = origin
            }
            try body(session)
        }
        return order.count
    }

    /// The position of the node of `key`, found in the key-ordered nodes.
    private func node(ofKey key: String) -> Int32? {
        var low = 0
        var high = nodes.count
        while low < high {
            let middle = (low + high) / 2
            if nodes[middle].key < key { low = middle + 1 } else { high = middle }
        }
        return low < nodes.count && nodes[low].key == key ? Int32(low) : nil
    }

    private func isOrderedBefore(_ lhs: Node, _ rhs: Node) -> Bool {
        switch (lhs.issuedAt, rhs.issuedAt) {
        case (let left?, let right?) where left != right: return left < right
        case (nil, .some): return false
        case (.some, nil): return true
        default: return lhs.key < rhs.key
        }
    }

    /// When the session of `key` was issued and the key that obtained it, from the issuance's
    /// brief when there is one: no row is read again for an issued key.
    private func placement(of key: String) throws -> (issuedAt: String?, parentKey: String?) {
        if let brief = evidence.issuances[key] {
            let parent = CredentialText.isPlausibleKey(brief.callerAccessKeyID) ? brief.callerAccessKeyID : nil
            return (brief.timeMilliseconds.map(EventTime.iso8601(milliseconds:)), parent)
        }
        let session = makeUnissuedSession(key, try evidence.calls(of: key))
        return (session.issuedAt, session.parentAccessKeyId)
    }

    /// The session of `key` from its issuance, or from its calls when none was logged, without
    /// its activity and chain.
    private func baseSession(
        _ key: String,
        issuance: SessionEvidence.Issuance?,
        calls: SessionEvidence.KeyCalls?
    ) -> Session {
        if let issuance { return makeSession(key, issuance: issuance, calls: calls) }
        return makeUnissuedSession(key, calls)
    }

    // MARK: - Issued sessions

    private func makeSession(
        _ key: String,
        issuance: SessionEvidence.Issuance,
        calls: SessionEvidence.KeyCalls?
    ) -> Session {
        var session = Session(accessKeyId: key)
        let isRoleSession = issuance.eventName.hasPrefix("AssumeRole")
        session.kind = issuance.eventName
        session.roleArn = isRoleSession ? issuance.roleARN : nil
        session.sessionName = isRoleSession ? issuance.roleSessionName : issuance.federatedName
        session.sessionArn = isRoleSession ? issuance.assumedRoleARN : issuance.federatedUserARN
        session.accountId =
            isRoleSession
            ? CredentialText.account(ofARN: issuance.roleARN) ?? CredentialText.account(ofARN: issuance.assumedRoleARN)
            : issuance.callerAccountID ?? calls?.accountID
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
    /// Sets the chain depth and root of the node at `start` and of every unresolved node above
    /// it, walking up to a resolved node or to the top.
    ///
    /// A loop (only possible in forged or copied records) ends the walk as if at a root: the
    /// link that closes it is cut.
    private mutating func resolveChain(from start: Int32) {
        var path: [Int32] = []
        var resolvedAbove: (depth: Int32, root: Int32)?
        var current = start
        while true {
            path.append(current)
            nodes[Int(current)].depth = -1
            let parent = nodes[Int(current)].parent
            if parent < 0 { break }
            if nodes[Int(parent)].depth == -1 {
                nodes[Int(current)].parent = -1
                nodes[Int(current)].isCutFromParent = true
                break
            }
            if nodes[Int(parent)].depth > 0 {
                resolvedAbove = (nodes[Int(parent)].depth, nodes[Int(parent)].root)
                break
            }
            current = parent
        }
        var (depth, root) = resolvedAbove ?? (0, path[path.count - 1])
        for position in path.reversed() {
            depth += 1
            nodes[Int(position)].depth = depth
            nodes[Int(position)].root = root
        }
    }

    /// The origin of the chain whose top is the node at `position`.
    private func rootOrigin(ofNode position: Int32) throws -> Session.Origin {
        let key = nodes[Int(position)].key
        let (issuance, calls) = (try evidence.issuance(of: key), try evidence.calls(of: key))
        return rootOrigin(of: baseSession(key, issuance: issuance, calls: calls), issuance: issuance, calls: calls)
    }

    /// The origin of a session with no parent: whoever made its issuing call, or what its
    /// calls reveal about the principal behind it.
    private func rootOrigin(
        of session: Session,
        issuance: SessionEvidence.Issuance?,
        calls: SessionEvidence.KeyCalls?
    ) -> Session.Origin {
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
        guard let calls else { return .unknown }
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
