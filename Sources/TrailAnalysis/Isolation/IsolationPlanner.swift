import TrailCore
import TrailIngest
import TrailStore

/// Builds the isolation plan for principals and sessions and everything derived from them.
///
/// Temporary credentials cannot be revoked, only made useless by changing permissions, so the
/// plan acts on what issued them: users get AWSDenyAll and deactivated keys, roles get a policy
/// denying sessions issued before the revocation time, Identity Center users are disabled.
package struct IsolationPlanner {
    package struct Options: Sendable {
        package var subjects: [String]
        /// Sessions issued before this time stop working; ISO 8601.
        package var tokenIssueTime: String
        package var snsTopicARN: String?
        package var generatedAt: String

        package init(subjects: [String], tokenIssueTime: String, generatedAt: String) {
            self.subjects = subjects
            self.tokenIssueTime = tokenIssueTime
            self.generatedAt = generatedAt
        }
    }

    /// Subjects that name nothing in the case database.
    package struct UnknownSubjectError: Error, CustomStringConvertible {
        package var subjects: [String]

        package var description: String {
            "No session, principal or access key '\(subjects.joined(separator: "', '"))' in the case database"
        }
    }

    private let options: Options
    private let evidence: IsolationEvidence
    private let store: SessionStore
    private var actions: [IsolationPlan.Action] = []
    private var warnings: [String] = []

    /// Prepares a planner over the case database at `databasePath`.
    package init(databasePath: String, options: Options) throws {
        self.options = options
        store = try SessionStore(databasePath: databasePath)
        evidence = try IsolationEvidence(databasePath: databasePath)
    }

    /// Makes the plan.
    ///
    /// - Throws: `UnknownSubjectError` when a subject names nothing in the database.
    package mutating func makePlan() throws -> IsolationPlan {
        var filter = SessionStore.Filter()
        filter.principal = options.subjects
        let sessions = try withAncestors(try store.sessions(matching: filter))
        let users = try implicatedUsers(sessions)
        let unknown = options.subjects.filter { subject in
            !sessions.contains { Self.names($0, subject) } && !users.keys.contains(subject)
                && !users.values.contains { $0.keys.contains(subject) } && !Self.isIAMPrincipalARN(subject)
        }
        guard unknown.isEmpty else { throw UnknownSubjectError(subjects: unknown) }

        for (arn, user) in users.sorted(by: { $0.key < $1.key }) {
            try planUser(arn: arn, user)
        }
        planRoles(sessions)
        planIdentityCenterUsers(sessions)
        planRoot(sessions)
        planInstances(sessions)
        let keys = sessions.map(\.accessKeyId) + users.values.flatMap(\.keys)
        try planCreations(try evidence.creations(byKeys: keys))
        for subject in options.subjects
        where subject.contains(":role/") && !sessions.contains(where: { $0.roleArn == subject }) {
            addRevocation(roleARN: subject, sessions: [])
        }

        return IsolationPlan(
            generatedAt: options.generatedAt,
            tokenIssueTime: options.tokenIssueTime,
            subjects: options.subjects,
            actions: sortedActions(),
            alerting: alerting(),
            containment: try ContainmentCheck(evidence: evidence).check(actions),
            warnings: warnings
        )
    }

    /// Adds the sessions above the named ones: the attacker who holds a chained session also
    /// holds the credentials that started it, which a role's revocation must cover too.
    private func withAncestors(_ sessions: [Session]) throws -> [Session] {
        var result = sessions
        var known = Set(sessions.map(\.accessKeyId))
        for session in sessions {
            var next = session.parentAccessKeyId
            while let key = next, known.insert(key).inserted, let parent = try store.session(withKey: key) {
                result.append(parent)
                next = parent.parentAccessKeyId
            }
        }
        return result
    }

    private static func names(_ session: Session, _ subject: String) -> Bool {
        [
            session.accessKeyId, session.sessionArn, session.roleArn, session.origin.arn, session.assumedBy.arn,
            session.assumedBy.accessKeyId,
        ].contains(subject)
    }

    private static func isIAMPrincipalARN(_ text: String) -> Bool {
        text.hasPrefix("arn:aws:iam::")
            && (text.contains(":role/") || text.contains(":user/") || text.hasSuffix(":root"))
    }

    // MARK: - Users

    /// An IAM user to contain, with its long-term keys and the evidence against it.
    struct ImplicatedUser {
        var accountID: String?
        var name: String?
        /// Long-term keys seen in the logs, each with up to three event IDs.
        var keyEvidence: [(key: String, events: [String])] = []
        var keys: [String] { keyEvidence.map(\.key) }
        var evidence: [String] = []
        var reason: String
    }

    private func implicatedUsers(_ sessions: [Session]) throws -> [String: ImplicatedUser] {
        var users: [String: ImplicatedUser] = [:]
        func add(_ arn: String?, name: String?, reason: String, evidence event: String?) {
            guard let arn, arn.contains(":user/") else { return }
            var user =
                users[arn]
                ?? ImplicatedUser(
                    accountID: CredentialText.account(ofARN: arn),
                    name: name ?? Self.lastComponent(arn),
                    reason: reason
                )
            if let event, !user.evidence.contains(event) { user.evidence.append(event) }
            users[arn] = user
        }
        for session in sessions {
            if session.origin.type == "IAMUser" {
                add(
                    session.origin.arn,
                    name: session.origin.name,
                    reason: "origin of implicated sessions",
                    evidence: nil
                )
            }
            if session.assumedBy.type == "IAMUser" {
                add(
                    session.assumedBy.arn,
                    name: nil,
                    reason: "obtained implicated temporary credentials",
                    evidence: session.issuingEventID
                )
            }
        }
        for subject in options.subjects {
            if subject.contains(":user/") {
                add(subject, name: nil, reason: "named for isolation", evidence: nil)
            } else if CredentialText.isPlausibleKey(subject, prefixes: ["AKIA"]),
                let owner = try evidence.user(ofKey: subject)
            {
                add(owner.arn, name: owner.name, reason: "owner of the implicated access key \(subject)", evidence: nil)
            }
        }
        for arn in users.keys {
            users[arn]?.keyEvidence = try evidence.longTermKeys(ofUser: arn)
        }
        return users
    }

    private mutating func planUser(arn: String, _ user: ImplicatedUser) throws {
        let name = user.name ?? Self.lastComponent(arn)
        append(
            .denyAllUser,
            target: arn,
            account: user.accountID,
            reason: "IAM user \(name): \(user.reason)",
            evidence: user.evidence,
            command: [
                "aws", "iam", "attach-user-policy", "--user-name", name, "--policy-arn", AlertRule.denyAllPolicyARN,
            ],
            caveats: [
                "Denies every action of the user's access keys, console session and the GetSessionToken and "
                    + "GetFederationToken tokens it obtained, whose permissions are the user's",
                "Detach the policy (aws iam detach-user-policy) once the user is cleared",
            ]
        )
        for (key, events) in user.keyEvidence {
            append(
                .deactivateAccessKey,
                target: key,
                account: user.accountID,
                reason: "long-term access key of \(name), seen in the logs",
                evidence: events,
                command: [
                    "aws", "iam", "update-access-key", "--user-name", name, "--access-key-id", key, "--status",
                    "Inactive",
                ],
                caveats: ["Applications using this key stop working; reactivate with --status Active"]
            )
        }
        let logins = try evidence.consoleLogins(ofUser: arn)
        if !logins.isEmpty {
            append(
                .deleteLoginProfile,
                target: arn,
                account: user.accountID,
                reason: "\(name) signed in to the console",
                evidence: logins,
                command: ["aws", "iam", "delete-login-profile", "--user-name", name],
                caveats: ["Destructive: the password is deleted and cannot be restored, only set anew"]
            )
        }
    }

    // MARK: - Roles

    private mutating func planRoles(_ sessions: [Session]) {
        let byRole = Dictionary(grouping: sessions.filter { $0.roleArn != nil }, by: { $0.roleArn ?? "" })
        for (role, roleSessions) in byRole.sorted(by: { $0.key < $1.key })
        where !CredentialText.isIdentityCenterRole(role) {
            addRevocation(roleARN: role, sessions: roleSessions)
        }
    }

    private mutating func addRevocation(roleARN: String, sessions: [Session]) {
        let name = Self.lastComponent(roleARN)
        let account = CredentialText.account(ofARN: roleARN)
        let evidence = sessions.compactMap(\.issuingEventID)
        if roleARN.contains(":role/aws-service-role/") {
            append(
                .revokeRoleSessions,
                target: roleARN,
                account: account,
                reason: "service-linked role \(name) has implicated sessions",
                evidence: evidence,
                command: [],
                caveats: [
                    "A service-linked role cannot take an inline policy, so its sessions cannot be revoked this way",
                    "Contain the principal that controls the service instead, remove the resources that use the "
                        + "role and delete it (aws iam delete-service-linked-role), or deny the service with a "
                        + "service control policy where the account is in an organization",
                ]
            )
            return
        }
        let latest = sessions.compactMap(\.issuedAt).max()
        var caveats = [
            "Every session of \(name) issued before \(options.tokenIssueTime) stops working, legitimate ones too: "
                + "people must assume the role again; EC2 instances and Lambda functions get fresh credentials "
                + "automatically"
        ]
        if let latest, latest >= options.tokenIssueTime {
            let warning =
                "The revocation time \(options.tokenIssueTime) is not after \(latest), when an implicated "
                + "session of \(name) was issued: that session keeps working; use a later --token-issue-time"
            caveats.insert(warning, at: 0)
            warnings.append(warning)
        }
        append(
            .revokeRoleSessions,
            target: roleARN,
            account: account,
            reason: "role \(name) has \(sessions.count) implicated session(s)",
            evidence: evidence,
            command: [
                "aws", "iam", "put-role-policy", "--role-name", name, "--policy-name", AlertRule.revocationPolicyName,
                "--policy-document", Self.revocationPolicy(before: options.tokenIssueTime).rendered(),
            ],
            policy: Self.revocationPolicy(before: options.tokenIssueTime),
            caveats: caveats
        )
    }

    /// Denies everything to sessions issued before `time`, as the IAM console's "Revoke active
    /// sessions" does.
    package static func revocationPolicy(before time: String) -> JSONValue {
        .object([
            ("Version", .string("2012-10-17")),
            (
                "Statement",
                .array([
                    .object([
                        ("Effect", .string("Deny")),
                        ("Action", .array([.string("*")])),
                        ("Resource", .array([.string("*")])),
                        ("Condition", .object([("DateLessThan", .object([("aws:TokenIssueTime", .string(time))]))])),
                    ])
                ])
            ),
        ])
    }

    // MARK: - Identity Center, root and instances

    private mutating func planIdentityCenterUsers(_ sessions: [Session]) {
        for session in sessions where session.origin.type == "IdentityCenterUser" && session.parentAccessKeyId == nil {
            let name = session.origin.name ?? session.sessionName ?? "unknown"
            let lookup = JSONValue.object([
                (
                    "UniqueAttribute",
                    .object([("AttributePath", .string("userName")), ("AttributeValue", .string(name))])
                )
            ]).rendered()
            let role = session.roleArn.map(Self.lastComponent)
            append(
                .disableIdentityCenterUser,
                target: name,
                account: session.accountId,
                reason: "Identity Center user \(name) obtained implicated sessions of \(role ?? "a permission set")",
                evidence: session.issuingEventID.map { [$0] } ?? [],
                command: [
                    "aws", "identitystore", "get-user-id", "--identity-store-id", "IDENTITY_STORE_ID",
                    "--alternate-identifier", lookup,
                ],
                caveats: [
                    "The command finds the user's id; disable the user in the IAM Identity Center console "
                        + "(Users, select the user, Disable user access); replace IDENTITY_STORE_ID with your "
                        + "identity store",
                    "The reserved role \(role ?? "") cannot be edited directly: revoke its existing sessions "
                        + "through the permission set (aws sso-admin put-inline-policy-to-permission-set with a Deny "
                        + "on aws:TokenIssueTime before \(options.tokenIssueTime), then aws sso-admin "
                        + "provision-permission-set)",
                ]
            )
        }
    }

    private mutating func planRoot(_ sessions: [Session]) {
        let roots = Set(sessions.filter { $0.origin.type == "Root" }.compactMap(\.origin.arn))
            .union(options.subjects.filter { $0.hasSuffix(":root") })
        for arn in roots.sorted() {
            append(
                .rootCredentials,
                target: arn,
                account: CredentialText.account(ofARN: arn),
                reason: "the root user's credentials were used",
                evidence: sessions.filter { $0.origin.arn == arn }.compactMap(\.issuingEventID),
                command: [],
                caveats: [
                    "The root user's permissions cannot be changed, nor those of tokens it obtained with "
                        + "GetSessionToken or GetFederationToken",
                    "Delete the root access keys, reset the root password, and replace its MFA devices",
                    "Where the account is a member of an organization, a service control policy can deny its root user",
                    "Contact AWS Support if you cannot regain control of the root user",
                ]
            )
        }
    }

    private mutating func planInstances(_ sessions: [Session]) {
        let instanceSessions = sessions.filter {
            $0.origin.type == "AWSService" && $0.origin.service == "ec2.amazonaws.com"
        }
        for (instance, tree) in Dictionary(grouping: instanceSessions, by: { $0.origin.resource ?? "" }).sorted(by: {
            $0.key < $1.key
        })
        where instance.hasPrefix("i-") {
            let outside = Set(tree.flatMap(\.sourceIPAddresses).filter(Self.isPublicAddress)).sorted()
            guard !outside.isEmpty else { continue }
            append(
                .isolateInstance,
                target: instance,
                account: tree.first?.accountId,
                reason: "the instance's role credentials were used from \(outside.joined(separator: ", "))",
                evidence: tree.compactMap(\.issuingEventID),
                command: [
                    "aws", "ec2", "modify-instance-attribute", "--instance-id", instance, "--groups",
                    "QUARANTINE_SECURITY_GROUP_ID",
                ],
                caveats: [
                    "Create a quarantine security group without rules in the instance's VPC first and put its id in "
                        + "place of QUARANTINE_SECURITY_GROUP_ID",
                    "Snapshot the instance's volumes and capture memory before changing it, for the investigation",
                ]
            )
        }
    }

    /// Whether a source address is a public IP: not private, not loopback, not an AWS service name.
    static func isPublicAddress(_ address: String) -> Bool {
        let parts = address.split(separator: ".").compactMap { Int($0) }
        guard parts.count == 4, parts.allSatisfy({ (0...255).contains($0) }) else {
            return address.contains(":") && !address.hasPrefix("fe80")
        }
        switch (parts[0], parts[1]) {
        case (10, _), (127, _), (192, 168), (169, 254): return false
        case (172, 16...31): return false
        default: return true
        }
    }

    // MARK: - Created principals

    private mutating func planCreations(_ creations: [IsolationEvidence.Creation]) throws {
        for creation in creations {
            let account = creation.accountID
            let why = "created by implicated credentials (\(creation.eventName))"
            switch creation.eventName {
            case "CreateUser":
                guard let name = creation.userName else { continue }
                let arn = creation.userARN ?? "arn:aws:iam::\(account ?? "ACCOUNT"):user/\(name)"
                append(
                    .denyAllUser,
                    target: arn,
                    account: account,
                    reason: "IAM user \(name) \(why)",
                    evidence: [creation.eventID],
                    command: [
                        "aws", "iam", "attach-user-policy", "--user-name", name, "--policy-arn",
                        AlertRule.denyAllPolicyARN,
                    ],
                    caveats: ["Consider deleting the user once the investigation no longer needs it"]
                )
            case "CreateAccessKey":
                guard let key = creation.accessKeyID else { continue }
                let owner = creation.accessKeyUserName ?? creation.userName ?? creation.callerUserName ?? "USER_NAME"
                append(
                    .deactivateAccessKey,
                    target: key,
                    account: account,
                    reason: "access key of \(owner) \(why)",
                    evidence: [creation.eventID],
                    command: [
                        "aws", "iam", "update-access-key", "--user-name", owner, "--access-key-id", key, "--status",
                        "Inactive",
                    ],
                    caveats: ["Delete the key (aws iam delete-access-key) once the investigation no longer needs it"]
                )
            case "CreateLoginProfile":
                guard let name = creation.userName else { continue }
                let arn = "arn:aws:iam::\(account ?? "ACCOUNT"):user/\(name)"
                append(
                    .deleteLoginProfile,
                    target: arn,
                    account: account,
                    reason: "console password of \(name) \(why)",
                    evidence: [creation.eventID],
                    command: ["aws", "iam", "delete-login-profile", "--user-name", name],
                    caveats: ["Destructive: the password is deleted and cannot be restored, only set anew"]
                )
            case "CreateRole":
                guard let name = creation.roleName else { continue }
                let arn = creation.roleARN ?? "arn:aws:iam::\(account ?? "ACCOUNT"):role/\(name)"
                addRevocation(roleARN: arn, sessions: [])
                append(
                    .deleteRole,
                    target: arn,
                    account: account,
                    reason: "role \(name) \(why)",
                    evidence: [creation.eventID],
                    command: ["aws", "iam", "delete-role", "--role-name", name],
                    caveats: [
                        "Destructive. Detach and delete its policies and remove it from instance profiles first; "
                            + "revoking its sessions (above) is enough to contain it while it is examined"
                    ]
                )
            default:
                continue
            }
        }
    }

    // MARK: - Assembly

    private mutating func append(
        _ kind: IsolationPlan.Action.Kind,
        target: String,
        account: String?,
        reason: String,
        evidence: [String],
        command: [String],
        policy: JSONValue? = nil,
        caveats: [String]
    ) {
        if let index = actions.firstIndex(where: { $0.kind == kind && $0.target == target }) {
            actions[index].evidence += evidence.filter { !actions[index].evidence.contains($0) }
            return
        }
        actions.append(
            IsolationPlan.Action(
                kind: kind,
                target: target,
                accountID: account,
                reason: reason,
                evidence: evidence,
                command: command,
                policyDocument: policy,
                caveats: caveats
            )
        )
    }

    private func sortedActions() -> [IsolationPlan.Action] {
        let order = IsolationPlan.Action.Kind.allCases
        return actions.sorted {
            ($0.accountID ?? "", order.firstIndex(of: $0.kind) ?? 0, $0.target)
                < ($1.accountID ?? "", order.firstIndex(of: $1.kind) ?? 0, $1.target)
        }
    }

    private func alerting() -> IsolationPlan.Alerting {
        let topic = options.snsTopicARN ?? "arn:aws:sns:us-east-1:ACCOUNT_ID:TOPIC_NAME"
        var caveats = [
            "Create the rule in us-east-1 of each account you contain (or of the account receiving their events): "
                + "IAM's CloudTrail events reach EventBridge there"
        ]
        if options.snsTopicARN == nil {
            caveats.append("No --sns-topic given: replace the placeholder topic ARN")
        }
        return IsolationPlan.Alerting(
            eventPattern: AlertRule.eventPattern,
            snsTopicPolicyStatement: AlertRule.topicPolicyStatement(topicARN: topic),
            commands: AlertRule.commands(topicARN: topic),
            caveats: caveats
        )
    }

    static func lastComponent(_ arn: String) -> String {
        String(arn.split(separator: "/").last ?? Substring(arn))
    }
}
