import TrailCore

/// What to do to contain the implicated principals, how to be alerted when it is done, and
/// whether containment already applied held.
///
/// The field names are the `isolate --format json` contract documented in the README.
package struct IsolationPlan: Sendable {
    /// One containment step on one target.
    package struct Action: Sendable {
        package enum Kind: String, Sendable, CaseIterable {
            case denyAllUser = "deny-all-user"
            case deactivateAccessKey = "deactivate-access-key"
            case deleteLoginProfile = "delete-login-profile"
            case revokeRoleSessions = "revoke-role-sessions"
            case disableIdentityCenterUser = "disable-identity-center-user"
            case rootCredentials = "root-credentials"
            case isolateInstance = "isolate-instance"
            case deleteRole = "delete-role"
        }

        package var kind: Kind
        /// The ARN (or access key, instance id, user name) the action applies to.
        package var target: String
        package var accountID: String?
        package var reason: String
        package var evidence: [String]
        /// The AWS CLI command as argv; empty when no command can do it (root, console steps).
        package var command: [String]
        package var policyDocument: JSONValue?
        package var caveats: [String]
    }

    /// The EventBridge rule that reports containment being applied.
    package struct Alerting: Sendable {
        package var eventPattern: JSONValue
        package var snsTopicPolicyStatement: JSONValue
        package var commands: [[String]]
        package var caveats: [String]
    }

    /// Containment found already applied in the logs, and whether it held.
    package struct Containment: Sendable {
        package var target: String
        package var action: String
        package var appliedAt: String
        package var eventID: String?
        /// Whether no successful call was made with the target's credentials afterwards.
        package var held: Bool
        package var callsAfter: Int
    }

    package var generatedAt: String
    package var tokenIssueTime: String
    package var subjects: [String]
    package var actions: [Action]
    package var alerting: Alerting
    package var containment: [Containment]
    /// Problems with the plan itself, such as a revocation time before an implicated session.
    package var warnings: [String]
}

// MARK: - JSON

extension IsolationPlan {
    /// The contract object.
    package var jsonValue: JSONValue {
        .object([
            ("generatedAt", .string(generatedAt)),
            ("tokenIssueTime", .string(tokenIssueTime)),
            ("subjects", .array(subjects.map { .string($0) })),
            ("actions", .array(actions.map(\.jsonValue))),
            (
                "alerting",
                .object([
                    ("eventPattern", alerting.eventPattern),
                    ("snsTopicPolicyStatement", alerting.snsTopicPolicyStatement),
                    ("commands", .array(alerting.commands.map { .array($0.map { .string($0) }) })),
                    ("caveats", .array(alerting.caveats.map { .string($0) })),
                ])
            ),
            ("containment", .array(containment.map(\.jsonValue))),
            ("warnings", .array(warnings.map { .string($0) })),
        ])
    }
}

extension IsolationPlan.Action {
    var jsonValue: JSONValue {
        .object([
            ("action", .string(kind.rawValue)),
            ("target", .string(target)),
            ("accountId", .optional(accountID)),
            ("reason", .string(reason)),
            ("evidence", .array(evidence.map { .string($0) })),
            ("command", .array(command.map { .string($0) })),
            ("policyDocument", policyDocument ?? .null),
            ("caveats", .array(caveats.map { .string($0) })),
        ])
    }
}

extension IsolationPlan.Containment {
    var jsonValue: JSONValue {
        .object([
            ("target", .string(target)),
            ("action", .string(action)),
            ("appliedAt", .string(appliedAt)),
            ("eventID", .optional(eventID)),
            ("held", .bool(held)),
            ("callsAfter", .int(callsAfter)),
        ])
    }
}
