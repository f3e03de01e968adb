import Foundation
import TestSupport
import Testing

@testable import TrailAnalysis
@testable import TrailStore

/// Compares the whole session graph of a generated 20,000-event dump with the generator's
/// ground truth (`../shared/bench/gen-trail.py --truth`).
struct GeneratedCorpusTests {
    /// The truth's kinds, as the contract's `kind` (the issuing API).
    private static let kinds = [
        "assume-role": "AssumeRole", "instance-profile": "AssumeRole", "service-role": "AssumeRole",
        "saml": "AssumeRoleWithSAML", "web-identity": "AssumeRoleWithWebIdentity",
        "session-token": "GetSessionToken", "federation-token": "GetFederationToken", "console": "ConsoleLogin",
    ]

    @Test func everyGeneratedSessionIsFoundWithItsParentOriginAndCalls() throws {
        let generator = URL(fileURLWithPath: Fixtures.packageRoot).deletingLastPathComponent()
            .appendingPathComponent("shared/bench/gen-trail.py").path
        guard FileManager.default.fileExists(atPath: generator) else {
            print("Skipping: ../shared/bench/gen-trail.py is absent, so no corpus with ground truth can be made")
            return
        }
        let folder = try TemporaryDirectory()
        let truthPath = folder.file("truth.json")
        // One job: the generator's process pool hangs when forked from the test runner, whose
        // blocked signal mask the child inherits.
        try runPython([
            generator, "--out", folder.file("dump"), "--events", "20000", "--seed", "7", "--jobs", "1",
            "--truth", truthPath,
        ])
        let database = folder.file("case.db")
        var options = CaseIngest.Options(paths: [folder.file("dump")], databasePath: database)
        options.jobs = 2
        _ = try CaseIngest(options: options).run()
        let sessions = try SessionStore(databasePath: database).sessions(matching: .init())

        let truthData = try Data(contentsOf: URL(fileURLWithPath: truthPath))
        let entries = try #require(try JSONSerialization.jsonObject(with: truthData) as? [[String: Any]])
        let truth = Dictionary(
            uniqueKeysWithValues: entries.filter { $0["kind"] as? String != "iam-user-key" }
                .compactMap { entry in (entry["accessKeyId"] as? String).map { ($0, entry) } }
        )
        #expect(truth.count > 300)
        #expect(Set(sessions.map(\.accessKeyId)) == Set(truth.keys), "the same credentials, none missing or extra")

        var mismatches: [String] = []
        for session in sessions {
            guard let expected = truth[session.accessKeyId] else { continue }
            mismatches += compare(session, with: expected, truth: truth)
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(10))")
    }

    private func compare(_ session: Session, with expected: [String: Any], truth: [String: [String: Any]]) -> [String] {
        var problems: [String] = []
        func check(_ field: String, _ actual: Any?, _ wanted: Any?) {
            if "\(actual ?? "nil")" != "\(wanted ?? "nil")" {
                problems.append("\(session.accessKeyId) \(field): \(actual ?? "nil") != \(wanted ?? "nil")")
            }
        }
        let kind = expected["kind"] as? String ?? ""
        check("kind", session.kind, Self.kinds[kind])
        check("roleArn", session.roleArn, expected["roleArn"] as? String)
        check("sessionName", session.sessionName, expected["sessionName"] as? String)
        check("accountId", session.accountId, expected["accountId"] as? String)
        check("issuedAt", session.issuedAt, expected["issuedAt"] as? String)
        check("crossAccount", session.crossAccount, expected["crossAccount"] as? Bool)
        check("eventCount", session.eventCount, expected["eventCount"] as? Int)
        check("chainDepth", session.chainDepth, expected["depth"] as? Int)
        if kind != "console" { check("expiresAt", session.expiresAt, expected["expiration"] as? String) }

        // The truth names the long-term key that made an issuing call as its parent; the
        // contract puts it in assumedBy.accessKeyId and keeps parentAccessKeyId for sessions.
        let parent = expected["parentAccessKeyId"] as? String
        if let parent, parent.hasPrefix("AKIA") {
            check("parentAccessKeyId", session.parentAccessKeyId, nil)
            check("assumedBy.accessKeyId", session.assumedBy.accessKeyId, parent)
        } else {
            check("parentAccessKeyId", session.parentAccessKeyId, parent)
        }
        // The truth's `chained` also marks roles assumed with session-token credentials, which
        // are not role chaining.
        let parentKind = parent.flatMap { truth[$0]?["kind"] as? String }
        check(
            "roleChaining",
            session.roleChaining,
            (expected["chained"] as? Bool ?? false) && parentKind != "session-token"
        )

        let assumedBy = expected["assumedBy"] as? [String: Any] ?? [:]
        check("assumedBy.type", session.assumedBy.type, assumedBy["type"] as? String)
        check("assumedBy.service", session.assumedBy.service, assumedBy["service"] as? String)
        if assumedBy["type"] as? String != "AWSService" {
            check("assumedBy.arn", session.assumedBy.arn, assumedBy["arn"] as? String)
        }
        problems += compareOrigin(session, root: root(of: expected, truth: truth))
        return problems
    }

    private func root(of entry: [String: Any], truth: [String: [String: Any]]) -> [String: Any] {
        var current = entry
        var steps = 0
        while let parent = current["parentAccessKeyId"] as? String, let next = truth[parent], steps < 10 {
            current = next
            steps += 1
        }
        return current
    }

    private func compareOrigin(_ session: Session, root: [String: Any]) -> [String] {
        let issuer = root["assumedBy"] as? [String: Any] ?? [:]
        let origin = session.origin
        let matches: Bool
        switch issuer["type"] as? String {
        case "AWSService":
            matches =
                origin.type == "AWSService" && origin.service == issuer["service"] as? String
                && origin.resource == root["sessionName"] as? String
        case "SAMLUser":
            matches =
                (origin.type == "SAMLUser" || origin.type == "IdentityCenterUser")
                && origin.arn == issuer["arn"] as? String && origin.name == root["sessionName"] as? String
        case let type:
            matches = origin.type == type && origin.arn == issuer["arn"] as? String
        }
        return matches ? [] : ["\(session.accessKeyId) origin: \(origin) for root \(issuer)"]
    }

    private func runPython(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["timeout", "300", "python3"] + arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "gen-trail.py failed")
    }
}
