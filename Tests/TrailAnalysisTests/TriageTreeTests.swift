import Foundation
import TestSupport
import Testing
import TrailCore
import TrailStore

@testable import TrailAnalysis

/// Triage reads the session graph one session at a time and gathers whole trees only for the
/// origins it reports: each incident still carries its origin's whole tree, and a principal
/// named by any session of a tree selects that tree's origin.
struct TriageTreeTests {
    private static func ingestSessionsFixture() throws -> (TemporaryDirectory, String, [Session]) {
        let folder = try TemporaryDirectory()
        let database = folder.file("case.db")
        _ = try CaseUpdate.run(CaseIngest.Options(paths: [Fixtures.path("sessions")], databasePath: database))
        let sessions = try SessionStore(databasePath: database).sessions(matching: .init())
        return (folder, database, sessions)
    }

    private static func triage(_ database: String, principals: [String] = []) throws -> [Incident] {
        var options = Triage.Options()
        options.principals = principals
        var triage = try Triage(databasePath: database, options: options)
        return try triage.run()
    }

    private static func tree(of originKey: String, in sessions: [Session]) -> [String] {
        sessions.filter { Triage.origin(of: $0).key == originKey }.map(\.accessKeyId)
    }

    @Test func eachIncidentCarriesItsOriginsWholeTreeInGraphOrder() throws {
        let (folder, database, sessions) = try Self.ingestSessionsFixture()
        defer { withExtendedLifetime(folder) {} }
        let incidents = try Self.triage(database)
        #expect(incidents.contains { $0.sessions.count >= 2 }, "the fixture's stories include chained trees")
        for incident in incidents {
            #expect(incident.sessions.map(\.accessKeyId) == Self.tree(of: incident.originKey, in: sessions))
            let longest = incident.sessions.map(\.chainDepth).max() ?? 1
            for reason in incident.reasons where reason.contains("longest chain") {
                #expect(reason.contains("(longest chain \(longest))"), "\(incident.id): \(reason)")
            }
        }
    }

    @Test func keptCallsOnDiskDecideAsInMemoryOnTheSessionStories() throws {
        let (folder, database, _) = try Self.ingestSessionsFixture()
        defer { withExtendedLifetime(folder) {} }
        let inMemory = try Self.triage(database)
        var options = Triage.Options()
        options.callsKeptInMemory = 0
        var onDisk = try Triage(databasePath: database, options: options)
        let incidents = try onDisk.run()
        #expect(!incidents.isEmpty)
        #expect(
            JSONValue.array(incidents.map(\.jsonValue)).rendered()
                == JSONValue.array(inMemory.map(\.jsonValue)).rendered()
        )
    }

    @Test func aPrincipalNamedByAnySessionOfATreeSelectsItsOrigin() throws {
        let (folder, database, sessions) = try Self.ingestSessionsFixture()
        defer { withExtendedLifetime(folder) {} }
        let chained = try #require(sessions.first { $0.chainDepth >= 2 && $0.roleArn != nil })
        let originKey = Triage.origin(of: chained).key
        for principal in [chained.accessKeyId, chained.roleArn, chained.sessionArn].compactMap({ $0 }) {
            let incidents = try Self.triage(database, principals: [principal])
            let selected = incidents.map(\.originKey)
            #expect(selected.contains(originKey), "\(principal) selects \(selected)")
            let incident = try #require(incidents.first { $0.originKey == originKey })
            #expect(incident.sessions.map(\.accessKeyId) == Self.tree(of: originKey, in: sessions))
        }
        #expect(try Self.triage(database, principals: ["ASIANOSUCHKEY0000000"]).isEmpty)
    }
}
