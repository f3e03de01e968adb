import Foundation
import TestSupport
import Testing
import TrailCore
import TrailIngest
import TrailStore

@testable import TrailAnalysis

/// How triage decides, on small dumps written here: routine activity is not an incident, and
/// each behaviour found across calls (bursts, mass reads, root use, logins without MFA) is.
struct TriageTests {
    private static var ops: [String: Any] { RecordText.iamUser("ops", key: "AKIAOPSKEY0000000001") }
    private static let discovery = [
        "ListUsers", "ListRoles", "ListPolicies", "ListGroups", "ListAccessKeys", "GetAccountSummary",
        "ListAttachedUserPolicies", "ListInstanceProfiles", "ListServerCertificates", "ListMFADevices",
    ]

    /// Ingests `records` and triages them, with the kept calls in memory and again on disk,
    /// which must decide the same.
    private static func triage(_ records: [String], principals: [String] = []) throws -> [Incident] {
        let folder = try TemporaryDirectory()
        try folder.write(RecordText.delivery(records), to: "dump/a.json")
        let database = folder.file("case.db")
        _ = try CaseUpdate.run(CaseIngest.Options(paths: [folder.file("dump")], databasePath: database))
        var options = Triage.Options()
        options.principals = principals
        var triage = try Triage(databasePath: database, options: options)
        let incidents = try triage.run()
        options.callsKeptInMemory = 0
        var onDisk = try Triage(databasePath: database, options: options)
        let incidentsOnDisk = try onDisk.run()
        #expect(
            JSONValue.array(incidentsOnDisk.map(\.jsonValue)).rendered()
                == JSONValue.array(incidents.map(\.jsonValue)).rendered(),
            "kept calls on disk decide as in memory"
        )
        return incidents
    }

    /// A burst of the ten discovery calls by `identity` on `day` (of November 2026) from `ip`.
    private static func discoveryBurst(day: Int, ip: String, by identity: [String: Any]? = nil) -> [String] {
        discovery.enumerated().map { index, name in
            RecordText.call(
                name,
                by: identity ?? ops,
                at: String(format: "2026-11-%02dT09:%02d:00Z", day, index),
                id: "d\(day)-\(index)",
                sourceIP: ip
            )
        }
    }

    private static func names(_ incident: Incident) -> Set<String> {
        Set(incident.techniques.flatMap(\.names))
    }

    @Test func theSameDiscoveryFromTheSamePlaceEveryDayIsRoutine() throws {
        let records = (2...6).flatMap { Self.discoveryBurst(day: $0, ip: "198.51.100.7") }
        #expect(try Self.triage(records).isEmpty)
    }

    @Test func aDiscoveryBurstFromANewPlaceIsFoundButAloneIsNotAnIncident() throws {
        let incidents = try Self.triage(
            Self.discoveryBurst(day: 2, ip: "203.0.113.50"),
            principals: [
                "arn:aws:iam::111122223333:user/ops"
            ]
        )
        let incident = try #require(incidents.first)
        #expect(Self.names(incident).contains("DiscoveryBurst"))
        #expect(try Self.triage(Self.discoveryBurst(day: 2, ip: "203.0.113.50")).isEmpty, "one medium technique")
    }

    @Test func persistenceAfterABaselineIsAnIncidentWhateverTheRoutine() throws {
        var records = (2...5).flatMap { Self.discoveryBurst(day: $0, ip: "198.51.100.7") }
        records += [
            RecordText.call(
                "CreateUser",
                by: Self.ops,
                at: "2026-11-06T03:00:00Z",
                id: "p1",
                requestParameters: ["userName": "x"],
                sourceIP: "203.0.113.50"
            ),
            RecordText.call(
                "AttachUserPolicy",
                by: Self.ops,
                at: "2026-11-06T03:01:00Z",
                id: "p2",
                requestParameters: ["userName": "x", "policyArn": "arn:aws:iam::aws:policy/AdministratorAccess"],
                sourceIP: "203.0.113.50"
            ),
        ]
        let incident = try #require(try Self.triage(records).first)
        #expect(incident.severity == "critical")
        #expect(Self.names(incident).isSuperset(of: ["CreateUser", "AttachUserPolicy"]))
        let routine = incident.techniques.map(\.routineCount).reduce(0, +)
        #expect(routine > 0, "the daily discovery is discounted, not dropped")
        #expect(incident.reasons.contains { $0.contains("discounted as routine") })
        #expect(incident.techniques.first?.eventIDs.contains("p2") == true, "worst technique first, with evidence")
    }

    @Test func failedCallAndDiscoveryBurstsTogetherAreAnIncident() throws {
        let failures = (0..<8).map { index in
            RecordText.call(
                "GetSecretValue",
                by: Self.ops,
                at: "2026-11-02T09:3\(index):00Z",
                id: "f\(index)",
                source: "secretsmanager.amazonaws.com",
                errorCode: "AccessDenied",
                sourceIP: "203.0.113.50"
            )
        }
        let incident = try #require(try Self.triage(Self.discoveryBurst(day: 2, ip: "203.0.113.50") + failures).first)
        #expect(Self.names(incident).isSuperset(of: ["DiscoveryBurst", "FailedCallBurst"]))
        #expect(incident.severity == "medium")
    }

    @Test func aMassReadOfObjectsIsHigh() throws {
        let reads = (0..<120).map { index in
            RecordText.call(
                "GetObject",
                by: Self.ops,
                at: String(format: "2026-11-02T10:%02d:%02dZ", index / 20, index % 60),
                id: "r\(index)",
                source: "s3.amazonaws.com",
                requestParameters: ["bucketName": "payroll", "key": "k\(index)"],
                sourceIP: "203.0.113.50"
            )
        }
        let incident = try #require(try Self.triage(reads).first)
        #expect(Self.names(incident).contains("MassObjectRead"))
        #expect(incident.severity == "high")
    }

    @Test func rootConsoleLoginWithoutMFAIsFound() throws {
        let root: [String: Any] = [
            "type": "Root", "principalId": "111122223333", "arn": "arn:aws:iam::111122223333:root",
            "accountId": "111122223333",
        ]
        let login = RecordText.call(
            "ConsoleLogin",
            by: root,
            at: "2026-11-02T10:00:00Z",
            id: "c1",
            source: "signin.amazonaws.com",
            responseElements: ["ConsoleLogin": "Success"],
            sourceIP: "203.0.113.50",
            extra: ["additionalEventData": ["MFAUsed": "No", "LoginTo": "https://console.aws.amazon.com"]]
        )
        let keys = RecordText.call(
            "CreateAccessKey",
            by: root,
            at: "2026-11-02T10:05:00Z",
            id: "c2",
            sourceIP: "203.0.113.50"
        )
        let incident = try #require(try Self.triage([login, keys]).first)
        #expect(incident.origin.arn == "arn:aws:iam::111122223333:root")
        #expect(Self.names(incident).isSuperset(of: ["RootUse", "ConsoleLoginWithoutMFA", "CreateAccessKey"]))
    }
}
