import Foundation
import TestSupport
import Testing
import TrailCore

@testable import TrailAnalysis
@testable import TrailStore

/// Plans on small dumps written here: root use, a service-linked role, containment that held
/// or did not, and the alert rule against the events the plan's own commands produce.
struct IsolationScenarioTests {
    private static let account = "111122223333"
    private static let victimKey = "AKIAVICTIMKEY0000001"
    private static let heldKey = "AKIAHELDUSERKEY00001"

    private static func planning(_ records: [String], subjects: [String]) throws -> IsolationPlan {
        let folder = try TemporaryDirectory()
        try folder.write(
            RecordText.delivery(records),
            to: "dump/AWSLogs/\(account)/CloudTrail/us-east-1/2026/11/02/\(account)_CloudTrail_us-east-1_a.json"
        )
        let database = folder.file("case.db")
        var options = CaseIngest.Options(paths: [folder.file("dump")], databasePath: database)
        options.jobs = 1
        _ = try CaseIngest(options: options).run()
        var planner = try IsolationPlanner(
            databasePath: database,
            options: .init(
                subjects: subjects,
                tokenIssueTime: "2026-11-10T00:00:00Z",
                generatedAt: "2026-11-10T00:00:00Z"
            )
        )
        return try planner.makePlan()
    }

    @Test func rootUseGetsTheStepsThatAreLeft() throws {
        let root: [String: Any] = [
            "type": "Root", "principalId": Self.account, "arn": "arn:aws:iam::\(Self.account):root",
            "accountId": Self.account, "accessKeyId": "ASIAROOTCONSOLE00001",
        ]
        let plan = try Self.planning(
            [
                RecordText.call(
                    "ListUsers",
                    by: root,
                    at: "2026-11-02T10:00:00Z",
                    id: "r1",
                    extra: ["sessionCredentialFromConsole": "true"]
                )
            ],
            subjects: ["arn:aws:iam::\(Self.account):root"]
        )
        #expect(plan.actions.map(\.kind) == [.rootCredentials])
        let action = try #require(plan.actions.first)
        #expect(action.command.isEmpty)
        #expect(action.caveats.contains { $0.contains("cannot be changed") })
        #expect(action.caveats.contains { $0.contains("service control policy") })
    }

    @Test func aServiceLinkedRoleIsExplainedNotGivenAPolicy() throws {
        let role =
            "arn:aws:iam::\(Self.account):role/aws-service-role/elasticloadbalancing.amazonaws.com/"
            + "AWSServiceRoleForElasticLoadBalancing"
        let plan = try Self.planning(
            [
                RecordText.call(
                    "AssumeRole",
                    by: ["type": "AWSService", "invokedBy": "elasticloadbalancing.amazonaws.com"],
                    at: "2026-11-02T10:00:00Z",
                    id: "s1",
                    source: "sts.amazonaws.com",
                    requestParameters: ["roleArn": role, "roleSessionName": "ElasticLoadBalancing"],
                    responseElements: ["credentials": ["accessKeyId": "ASIASERVICELINKED001"]]
                )
            ],
            subjects: ["ASIASERVICELINKED001"]
        )
        let action = try #require(plan.actions.first { $0.kind == .revokeRoleSessions })
        #expect(action.target == role)
        #expect(action.command.isEmpty)
        #expect(action.caveats.first?.hasPrefix("A service-linked role cannot take an inline policy") == true)
    }

    @Test func reportsWhetherContainmentAlreadyAppliedHeld() throws {
        let admin = RecordText.iamUser("admin", key: "AKIAADMINKEY00000001")
        let victim = RecordText.iamUser("victim", key: Self.victimKey)
        let held = RecordText.iamUser("careful", key: Self.heldKey)
        let records = [
            RecordText.call(
                "ListBuckets",
                by: victim,
                at: "2026-11-02T09:00:00Z",
                id: "v1",
                source: "s3.amazonaws.com"
            ),
            RecordText.call("ListBuckets", by: held, at: "2026-11-02T09:00:00Z", id: "h1", source: "s3.amazonaws.com"),
            RecordText.call(
                "AttachUserPolicy",
                by: admin,
                at: "2026-11-02T10:00:00Z",
                id: "c1",
                requestParameters: ["userName": "victim", "policyArn": AlertRule.denyAllPolicyARN]
            ),
            RecordText.call(
                "AttachUserPolicy",
                by: admin,
                at: "2026-11-02T10:00:00Z",
                id: "c2",
                requestParameters: ["userName": "careful", "policyArn": AlertRule.denyAllPolicyARN]
            ),
            RecordText.call("GetObject", by: victim, at: "2026-11-02T11:00:00Z", id: "v2", source: "s3.amazonaws.com"),
            RecordText.call(
                "GetObject",
                by: held,
                at: "2026-11-02T11:00:00Z",
                id: "h2",
                source: "s3.amazonaws.com",
                errorCode: "AccessDenied"
            ),
        ]
        let plan = try Self.planning(
            records,
            subjects: ["arn:aws:iam::\(Self.account):user/victim", "arn:aws:iam::\(Self.account):user/careful"]
        )
        let results = Dictionary(uniqueKeysWithValues: plan.containment.map { ($0.target, $0) })
        let victimResult = try #require(results["arn:aws:iam::\(Self.account):user/victim"])
        #expect(victimResult.held == false)
        #expect(victimResult.callsAfter == 1)
        #expect(victimResult.eventID == "c1")
        #expect(victimResult.appliedAt == "2026-11-02T10:00:00Z")
        let heldResult = try #require(results["arn:aws:iam::\(Self.account):user/careful"])
        #expect(heldResult.held == true)
        #expect(heldResult.callsAfter == 0)
    }

    @Test func principalsTheAttackerCreatedAreContainedAndRoleRevocationIsChecked() throws {
        let attacker = RecordText.iamUser("intern", key: "AKIASTOLENKEY0000001")
        let admin = RecordText.iamUser("admin", key: "AKIAADMINKEY00000001")
        let roleARN = "arn:aws:iam::\(Self.account):role/persist"
        let session: [String: Any] = [
            "type": "AssumedRole", "principalId": "AROAPERSIST:s",
            "arn": "arn:aws:sts::\(Self.account):assumed-role/persist/s",
            "accountId": Self.account, "accessKeyId": "ASIAPERSISTSESSION01",
            "sessionContext": [
                "sessionIssuer": ["type": "Role", "arn": roleARN, "accountId": Self.account, "userName": "persist"],
                "attributes": ["creationDate": "2026-11-02T10:05:00Z", "mfaAuthenticated": "false"],
            ],
        ]
        let records = [
            RecordText.call(
                "CreateRole",
                by: attacker,
                at: "2026-11-02T10:00:00Z",
                id: "c-role",
                requestParameters: ["roleName": "persist"],
                responseElements: ["role": ["arn": roleARN, "roleName": "persist"]]
            ),
            RecordText.call(
                "CreateLoginProfile",
                by: attacker,
                at: "2026-11-02T10:01:00Z",
                id: "c-login",
                requestParameters: ["userName": "helper"]
            ),
            RecordText.call(
                "AssumeRole",
                by: attacker,
                at: "2026-11-02T10:05:00Z",
                id: "assume",
                source: "sts.amazonaws.com",
                requestParameters: ["roleArn": roleARN, "roleSessionName": "s"],
                responseElements: ["credentials": ["accessKeyId": "ASIAPERSISTSESSION01"]]
            ),
            RecordText.call(
                "PutRolePolicy",
                by: admin,
                at: "2026-11-02T11:00:00Z",
                id: "revoked",
                requestParameters: ["roleName": "persist", "policyName": AlertRule.revocationPolicyName]
            ),
            RecordText.call(
                "ListBuckets",
                by: session,
                at: "2026-11-02T11:30:00Z",
                id: "after",
                source: "s3.amazonaws.com"
            ),
        ]
        let plan = try Self.planning(records, subjects: ["arn:aws:iam::\(Self.account):user/intern"])
        let kinds = plan.actions.map { "\($0.kind.rawValue) \($0.target)" }
        #expect(kinds.contains("revoke-role-sessions \(roleARN)"))
        #expect(kinds.contains("delete-role \(roleARN)"))
        #expect(kinds.contains("delete-login-profile arn:aws:iam::\(Self.account):user/helper"))
        let deleteRole = try #require(plan.actions.first { $0.kind == .deleteRole })
        #expect(deleteRole.evidence == ["c-role"])
        #expect(deleteRole.command == ["aws", "iam", "delete-role", "--role-name", "persist"])

        // The revocation was applied, but a session issued before it still made a call.
        let check = try #require(plan.containment.first { $0.target == roleARN })
        #expect(check.action == "revoke-role-sessions")
        #expect(check.held == false)
        #expect(check.callsAfter == 1)
    }

    @Test func theAlertRuleMatchesTheEventsThePlansCommandsProduce() throws {
        let (folder, database) = try Self.sessionsDatabase()
        _ = folder
        var planner = try IsolationPlanner(
            databasePath: database,
            options: .init(
                subjects: ["arn:aws:iam::111122223333:user/build-bot"],
                tokenIssueTime: "2026-12-01T00:00:00Z",
                generatedAt: "2026-12-01T00:00:00Z"
            )
        )
        let plan = try planner.makePlan()
        let containing = plan.actions.filter { $0.kind == .denyAllUser || $0.kind == .revokeRoleSessions }
        #expect(containing.count == 3)
        for action in containing {
            let event = try #require(Self.cloudTrailEvent(for: action.command))
            #expect(AlertRule.matches(event, pattern: plan.alerting.eventPattern), "\(action.command)")
        }

        // The pattern copied from guides names a policy that does not exist: the rule must not
        // depend on it, and must ignore unrelated policies.
        let wrong = try #require(
            Self.cloudTrailEvent(for: [
                "aws", "iam", "attach-user-policy", "--user-name", "x", "--policy-arn",
                "arn:aws:iam::aws:policy/AWSDenyPolicy",
            ])
        )
        #expect(!AlertRule.matches(wrong, pattern: plan.alerting.eventPattern))
        let other = try #require(
            Self.cloudTrailEvent(for: [
                "aws", "iam", "put-role-policy", "--role-name", "r", "--policy-name", "Something", "--policy-document",
                "{}",
            ])
        )
        #expect(!AlertRule.matches(other, pattern: plan.alerting.eventPattern))
        #expect(plan.alerting.snsTopicPolicyStatement.rendered().contains("\"Service\":\"events.amazonaws.com\""))
    }

    private static func sessionsDatabase() throws -> (TemporaryDirectory, String) {
        let folder = try TemporaryDirectory()
        let database = folder.file("case.db")
        var options = CaseIngest.Options(paths: [Fixtures.path("sessions")], databasePath: database)
        options.jobs = 2
        _ = try CaseIngest(options: options).run()
        return (folder, database)
    }

    /// The EventBridge event that CloudTrail delivers when an IAM CLI command succeeds.
    private static func cloudTrailEvent(for command: [String]) -> JSONValue? {
        guard command.count > 2, command[0] == "aws", command[1] == "iam" else { return nil }
        let eventName = command[2].split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
        var parameters: [(String, JSONValue)] = []
        var index = 3
        while index + 1 < command.count {
            let option = command[index].dropFirst(2).split(separator: "-").enumerated()
                .map {
                    $0.offset == 0 ? String($0.element) : $0.element.prefix(1).uppercased() + $0.element.dropFirst()
                }
                .joined()
            parameters.append((option, .string(command[index + 1])))
            index += 2
        }
        return .object([
            ("version", .string("0")),
            ("detail-type", .string("AWS API Call via CloudTrail")),
            ("source", .string("aws.iam")),
            ("region", .string("us-east-1")),
            (
                "detail",
                .object([
                    ("eventSource", .string("iam.amazonaws.com")),
                    ("eventName", .string(eventName)),
                    ("requestParameters", .object(parameters)),
                ])
            ),
        ])
    }
}
