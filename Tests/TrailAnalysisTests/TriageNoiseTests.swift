import Foundation
import TestSupport
import Testing
import TrailStore

@testable import TrailAnalysis

/// Triage on a generated dump of routine activity (`../shared/bench/gen-trail.py`: users,
/// roles, instances, functions, Identity Center and federated users at work for a week), with
/// the sample dump's attack added to it: the attack is the only incident.
struct TriageNoiseTests {
    @Test func routineNoiseIsNotAnIncidentAndTheAttackInItIs() throws {
        let generator = URL(fileURLWithPath: Fixtures.packageRoot).deletingLastPathComponent()
            .appendingPathComponent("shared/bench/gen-trail.py").path
        guard FileManager.default.fileExists(atPath: generator) else {
            print("Skipping: ../shared/bench/gen-trail.py is absent, so no routine corpus can be made")
            return
        }
        let folder = try TemporaryDirectory()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        // One job: the generator's process pool hangs when forked from the test runner.
        process.arguments = [
            "timeout", "300", "python3", generator, "--out", folder.file("noise"), "--events", "30000", "--seed", "3",
            "--jobs", "1",
        ]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "gen-trail.py failed")

        let database = folder.file("case.db")
        _ = try CaseUpdate.run(CaseIngest.Options(paths: [folder.file("noise")], databasePath: database))
        var quiet = try Triage(databasePath: database, options: .init())
        let noise = try quiet.run()
        let reported = noise.map { incident in
            let live = incident.techniques.filter { $0.count > $0.routineCount }
            return "\(incident.originKey): "
                + live.map { "\($0.technique.severity) \($0.names) \($0.sourceIPAddresses)" }
                .joined(separator: "; ")
        }
        #expect(noise.isEmpty, "noise reported: \(reported)")

        _ = try CaseUpdate.run(CaseIngest.Options(paths: [Fixtures.path("ingest-dump")], databasePath: database))
        var triage = try Triage(databasePath: database, options: .init())
        let incidents = try triage.run()
        #expect(incidents.map(\.originKey) == ["arn:aws:iam::111122223333:user/dev-alice"])
        #expect(incidents.first?.severity == "critical")
    }
}
