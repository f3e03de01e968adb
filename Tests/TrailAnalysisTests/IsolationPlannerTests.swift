import Foundation
import TestSupport
import Testing
import TrailCore

@testable import TrailAnalysis
@testable import TrailStore

/// Plans on the session stories of `Fixtures/sessions` and on small dumps made here.
struct IsolationPlannerTests {
    private static let stories: [String: [String]] = {
        let fixture = try? Fixtures.json("sessions.expected.json")
        return fixture?["stories"] as? [String: [String]] ?? [:]
    }()

    private static func database(for dump: String) throws -> (TemporaryDirectory, String) {
        let folder = try TemporaryDirectory()
        let database = folder.file("case.db")
        var options = CaseIngest.Options(paths: [dump], databasePath: database)
        options.jobs = 2
        _ = try CaseIngest(options: options).run()
        return (folder, database)
    }

    private static func plan(
        _ subjects: [String],
        database: String,
        tokenIssueTime: String = "2026-12-01T00:00:00Z"
    ) throws -> IsolationPlan {
        let options = IsolationPlanner.Options(
            subjects: subjects,
            tokenIssueTime: tokenIssueTime,
            generatedAt: "2026-12-01T00:00:00Z"
        )
        var planner = try IsolationPlanner(databasePath: database, options: options)
        return try planner.makePlan()
    }

    private static func actions(_ plan: IsolationPlan) -> [String] {
        plan.actions.map { "\($0.kind.rawValue) \($0.target)" }
    }

    private static func story(_ name: String, _ index: Int) -> String {
        stories[name]?[index] ?? "missing"
    }

    @Test func aStolenUserKeyContainsTheUserItsKeysTheChainsRolesAndWhatItCreated() throws {
        let (folder, database) = try Self.database(for: Fixtures.path("sessions"))
        _ = folder
        let plan = try Self.plan(["arn:aws:iam::111122223333:user/build-bot"], database: database)
        #expect(
            Self.actions(plan) == [
                "deny-all-user arn:aws:iam::111122223333:user/build-bot",
                "deactivate-access-key \(Self.story("stolen-user-key", 0))",
                "deactivate-access-key \(Self.story("stolen-user-key", 3))",
                "revoke-role-sessions arn:aws:iam::444455556666:role/OrgAdmin",
                "revoke-role-sessions arn:aws:iam::444455556666:role/SecurityAudit",
            ]
        )
        let revoke = try #require(plan.actions.first { $0.kind == .revokeRoleSessions })
        #expect(
            revoke.command.prefix(7) == [
                "aws", "iam", "put-role-policy", "--role-name", "OrgAdmin", "--policy-name", "AWSRevokeOlderSessions",
            ]
        )
        #expect(revoke.policyDocument == IsolationPlanner.revocationPolicy(before: "2026-12-01T00:00:00Z"))
        #expect(revoke.caveats.contains { $0.contains("people must assume the role again") })
        #expect(plan.warnings.isEmpty)
        let created = try #require(plan.actions.first { $0.target == Self.story("stolen-user-key", 3) })
        #expect(created.reason.contains("created by implicated credentials"))
    }

    @Test func namingAChainedSessionAlsoRevokesTheSessionsAboveIt() throws {
        let (folder, database) = try Self.database(for: Fixtures.path("sessions"))
        _ = folder
        let plan = try Self.plan([Self.story("stolen-user-key", 2)], database: database)
        #expect(Self.actions(plan).contains("revoke-role-sessions arn:aws:iam::444455556666:role/SecurityAudit"))
        #expect(Self.actions(plan).contains("deny-all-user arn:aws:iam::111122223333:user/build-bot"))
    }

    @Test func aRevocationTimeBeforeAnImplicatedSessionIsCalledOut() throws {
        let (folder, database) = try Self.database(for: Fixtures.path("sessions"))
        _ = folder
        let plan = try Self.plan(
            [Self.story("stolen-user-key", 1)],
            database: database,
            tokenIssueTime: "2026-11-03T02:05:00Z"
        )
        // The chained OrgAdmin session was issued at 02:06:50, after the time given.
        #expect(plan.warnings.count == 1)
        #expect(plan.warnings.first?.contains("2026-11-03T02:06:50Z") == true)
        let orgAdmin = try #require(plan.actions.first { $0.target == "arn:aws:iam::444455556666:role/OrgAdmin" })
        #expect(orgAdmin.caveats.first?.hasPrefix("The revocation time 2026-11-03T02:05:00Z is not after") == true)
    }

    @Test func anInstanceRoleUsedFromOutsideRevokesTheRolesAndIsolatesTheInstance() throws {
        let (folder, database) = try Self.database(for: Fixtures.path("sessions"))
        _ = folder
        let plan = try Self.plan([Self.story("ec2-outside", 0)], database: database)
        #expect(
            Self.actions(plan) == [
                "revoke-role-sessions arn:aws:iam::111122223333:role/DataExporter",
                "revoke-role-sessions arn:aws:iam::111122223333:role/web-ec2",
                "isolate-instance i-0abc1234def567890",
            ]
        )
        let isolate = try #require(plan.actions.last)
        #expect(isolate.reason.contains("203.0.113.9"))
        #expect(!isolate.reason.contains("10.0.1.15"))
    }

    @Test func anIdentityCenterUserIsDisabledNotItsReservedRole() throws {
        let (folder, database) = try Self.database(for: Fixtures.path("sessions"))
        _ = folder
        let plan = try Self.plan([Self.story("identity-center", 0)], database: database)
        #expect(Self.actions(plan) == ["disable-identity-center-user maria.lopez@example.com"])
        let action = try #require(plan.actions.first)
        #expect(action.caveats.contains { $0.contains("cannot be edited directly") })
        #expect(action.command.first == "aws" && action.command.contains("get-user-id"))
    }

    @Test func tokensOfAUserAreContainedThroughTheUser() throws {
        let (folder, database) = try Self.database(for: Fixtures.path("sessions"))
        _ = folder
        let federation = try Self.plan([Self.story("federation-token", 1)], database: database)
        #expect(
            Self.actions(federation) == [
                "deny-all-user arn:aws:iam::111122223333:user/reporting",
                "deactivate-access-key \(Self.story("federation-token", 0))",
            ]
        )
        let sessionToken = try Self.plan([Self.story("session-token", 2)], database: database)
        #expect(Self.actions(sessionToken).contains("deny-all-user arn:aws:iam::111122223333:user/ops-dan"))
        #expect(Self.actions(sessionToken).contains("revoke-role-sessions arn:aws:iam::111122223333:role/Deployer"))
    }

    @Test func aConsoleUserLosesItsPassword() throws {
        let (folder, database) = try Self.database(for: Fixtures.path("sessions"))
        _ = folder
        let plan = try Self.plan([Self.story("console", 0)], database: database)
        let delete = try #require(plan.actions.first { $0.kind == .deleteLoginProfile })
        #expect(delete.target == "arn:aws:iam::111122223333:user/carol")
        #expect(delete.caveats.first?.hasPrefix("Destructive") == true)
    }

    @Test func unknownSubjectsAreRefused() throws {
        let (folder, database) = try Self.database(for: Fixtures.path("sessions"))
        _ = folder
        #expect(throws: IsolationPlanner.UnknownSubjectError.self) {
            _ = try Self.plan(["ASIAZZZZZZZZZZZZZZZZ"], database: database)
        }
    }
}
