import TrailIngest
import TrailStore

/// Looks for containment already applied to the plan's targets and tells whether it held: no
/// successful call with the target's credentials after it.
struct ContainmentCheck {
    let evidence: IsolationEvidence

    func check(_ actions: [IsolationPlan.Action]) throws -> [IsolationPlan.Containment] {
        var results: [IsolationPlan.Containment] = []
        for applied in try evidence.appliedContainment() {
            guard let match = try evaluate(applied, against: actions) else { continue }
            results.append(match)
        }
        return results
    }

    private func evaluate(
        _ applied: IsolationEvidence.AppliedContainment,
        against actions: [IsolationPlan.Action]
    ) throws -> IsolationPlan.Containment? {
        let time = applied.milliseconds
        let appliedAt = EventTime.iso8601(milliseconds: time)
        switch applied.eventName {
        case "AttachUserPolicy" where applied.policyARN == AlertRule.denyAllPolicyARN:
            guard let user = target(of: .denyAllUser, named: applied.userName, in: applied.accountID, actions) else {
                return nil
            }
            let calls = try evidence.successfulCalls(
                where: "principal_arn = ?1 OR issuer_arn = ?1",
                [.text(user)],
                after: time
            )
            return result(user, "deny-all-user", appliedAt, applied, calls)
        case "DeleteLoginProfile":
            guard let user = target(of: .denyAllUser, named: applied.userName, in: applied.accountID, actions) else {
                return nil
            }
            let calls = try evidence.successfulCalls(
                where: """
                    event_name = 'ConsoleLogin' AND principal_arn = ?1
                        AND json_extract(\(Schema.rawRecord()), '$.responseElements.ConsoleLogin') = 'Success'
                    """,
                [.text(user)],
                after: time
            )
            return result(user, "delete-login-profile", appliedAt, applied, calls)
        case "UpdateAccessKey" where applied.status == "Inactive":
            guard let key = applied.accessKeyID,
                actions.contains(where: { $0.kind == .deactivateAccessKey && $0.target == key })
            else { return nil }
            let calls = try evidence.successfulCalls(where: "access_key_id = ?1", [.text(key)], after: time)
            return result(key, "deactivate-access-key", appliedAt, applied, calls)
        case "PutRolePolicy" where applied.policyName == AlertRule.revocationPolicyName,
            "AttachRolePolicy" where applied.policyARN == AlertRule.denyAllPolicyARN:
            guard let role = target(of: .revokeRoleSessions, named: applied.roleName, in: applied.accountID, actions)
            else { return nil }
            // Sessions issued after the revocation are legitimate; only older ones had to stop.
            let calls = try evidence.successfulCalls(
                where: "issuer_arn = ?1 AND session_creation_date < ?2",
                [.text(role), .text(appliedAt)],
                after: time
            )
            return result(role, "revoke-role-sessions", appliedAt, applied, calls)
        default:
            return nil
        }
    }

    /// The ARN of the plan's target of `kind` whose last path component is `name` in `account`.
    private func target(
        of kind: IsolationPlan.Action.Kind,
        named name: String?,
        in account: String?,
        _ actions: [IsolationPlan.Action]
    ) -> String? {
        guard let name else { return nil }
        return actions.first { action in
            action.kind == kind && IsolationPlanner.lastComponent(action.target) == name
                && (account == nil || action.accountID == account)
        }?.target
    }

    private func result(
        _ target: String,
        _ action: String,
        _ appliedAt: String,
        _ applied: IsolationEvidence.AppliedContainment,
        _ calls: Int
    ) -> IsolationPlan.Containment {
        IsolationPlan.Containment(
            target: target,
            action: action,
            appliedAt: appliedAt,
            eventID: applied.eventID,
            held: calls == 0,
            callsAfter: calls
        )
    }
}
