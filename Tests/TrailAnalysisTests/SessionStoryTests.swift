import Foundation
import TestSupport
import Testing
import TrailCore

@testable import TrailAnalysis
@testable import TrailStore

/// The stories of `Fixtures/sessions` (see scripts/make-session-fixtures.py): a stolen key used
/// across accounts and chained, an instance role used from outside and chained, an Identity
/// Center user, a federation token, a session token, a reused session name, a session issued
/// before the dump, masked and placeholder keys, and a console sign-in.
struct SessionStoryTests {
    private static func build() throws -> (sessions: [Session], expected: [[String: Any]], stories: [String: [String]])
    {
        let folder = try TemporaryDirectory()
        let database = folder.file("case.db")
        var options = CaseIngest.Options(paths: [Fixtures.path("sessions")], databasePath: database)
        options.jobs = 2
        _ = try CaseIngest(options: options).run()
        let sessions = try SessionStore(databasePath: database).sessions(matching: .init())
        let fixture = try Fixtures.json("sessions.expected.json")
        return (
            sessions,
            try #require(fixture["sessions"] as? [[String: Any]]),
            try #require(fixture["stories"] as? [String: [String]])
        )
    }

    @Test func everySessionMatchesTheStoriesInEveryField() throws {
        let (sessions, expected, _) = try Self.build()
        #expect(sessions.map(\.accessKeyId) == expected.compactMap { $0["accessKeyId"] as? String })
        let rendered = JSONValue.array(sessions.map(\.jsonValue)).rendered()
        let object = try JSONSerialization.jsonObject(with: Data(rendered.utf8))
        let actual = try #require(object as? [[String: Any]])
        for (got, wanted) in zip(actual, expected) {
            for (field, value) in wanted {
                #expect(
                    (got[field] as? NSObject)?.isEqual(value) == true,
                    "\(wanted["accessKeyId"] ?? "?") \(field): \(got[field] ?? "missing") != \(value)"
                )
            }
        }
    }

    @Test func masksAndPlaceholdersMakeNoSessionAndNoLoop() throws {
        let (sessions, _, stories) = try Self.build()
        let keys = Set(sessions.map(\.accessKeyId))
        let masked = try #require(stories["masked-and-placeholder"])
        #expect(!keys.contains("1111"))
        #expect(!keys.contains { $0.contains("*") })
        for key in masked where keys.contains(key) {
            let session = try #require(sessions.first { $0.accessKeyId == key })
            #expect(session.parentAccessKeyId == nil)
            #expect(session.kind == nil, "an issuance of the caller's own key is not trusted")
        }
    }

    @Test func aReusedSessionNameGivesTwoSessionsLinkedOnlyByKey() throws {
        let (sessions, _, _) = try Self.build()
        let nightly = sessions.filter { $0.sessionName == "nightly" }
        #expect(nightly.count == 2)
        #expect(Set(nightly.map(\.accessKeyId)).count == 2)
        #expect(nightly.allSatisfy { $0.parentAccessKeyId == nil && $0.chainDepth == 1 })
        #expect(Set(nightly.compactMap(\.issuedAt)).count == 2)
    }
}
