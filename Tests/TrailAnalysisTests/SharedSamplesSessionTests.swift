import Foundation
import TestSupport
import Testing

@testable import TrailAnalysis
@testable import TrailStore

struct SharedSamplesSessionTests {
    @Test func samplesProduceNoSelfLoopAndNoFalseChain() throws {
        guard let samples = Fixtures.sharedSamples else {
            print("Skipping: ../shared/samples is absent, so the real records cannot be checked for false chains")
            return
        }
        let folder = try TemporaryDirectory()
        let database = folder.file("samples.db")
        var options = CaseIngest.Options(paths: [samples], databasePath: database)
        options.jobs = 2
        _ = try CaseIngest(options: options).run()
        let sessions = try SessionStore(databasePath: database).sessions(matching: .init())
        let keys = Set(sessions.map(\.accessKeyId))

        #expect(!sessions.isEmpty)
        for session in sessions {
            #expect(session.parentAccessKeyId != session.accessKeyId, "self-loop at \(session.accessKeyId)")
            #expect(CredentialText.isPlausibleKey(session.accessKeyId), "\(session.accessKeyId) is not a real key")
            if let parent = session.parentAccessKeyId {
                #expect(keys.contains(parent), "\(session.accessKeyId) has a parent that is no session")
            }
        }
        // The samples hold no real multi-hop chain (their CATALOG says so): masked, placeholder
        // and example keys must not make one.
        #expect(sessions.allSatisfy { $0.chainDepth == 1 })
        #expect(sessions.allSatisfy { !$0.accessKeyId.contains("*") })
    }
}
