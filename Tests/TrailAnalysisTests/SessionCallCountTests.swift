import Foundation
import TestSupport
import Testing

@testable import TrailAnalysis
@testable import TrailStore

/// A session's call and error counts count each call once, whichever way its records repeat,
/// while only the ids that can repeat are remembered.
struct SessionCallCountTests {
    private static let key = "ASIACALLCOUNTKEY0001"

    private static func role(account: String = "111122223333") -> [String: Any] {
        [
            "type": "AssumedRole", "principalId": "AROACOUNT:worker",
            "arn": "arn:aws:sts::\(account):assumed-role/worker/counting", "accountId": account,
            "accessKeyId": key,
            "sessionContext": [
                "sessionIssuer": [
                    "type": "Role", "arn": "arn:aws:iam::\(account):role/worker", "accountId": account,
                    "userName": "worker",
                ]
            ],
        ]
    }

    private static func call(
        _ id: String,
        at minute: Int,
        shared: String? = nil,
        recipient: String = "111122223333",
        failed: Bool = false
    ) -> String {
        var extra: [String: Any] = [:]
        if let shared { extra["sharedEventID"] = shared }
        return RecordText.call(
            "GetObject",
            by: role(),
            at: String(format: "2026-11-02T10:%02d:00Z", minute),
            id: id,
            source: "s3.amazonaws.com",
            errorCode: failed ? "AccessDenied" : nil,
            account: recipient,
            extra: extra
        )
    }

    private static func session(of records: [String]) throws -> Session {
        let folder = try TemporaryDirectory()
        // One record per file, in an order unlike their times: the pass sees them as stored.
        for (index, record) in records.enumerated() {
            try folder.write(RecordText.delivery([record]), to: "dump/\(index).json")
        }
        let database = folder.file("case.db")
        _ = try CaseUpdate.run(.init(paths: [folder.file("dump")], databasePath: database))
        let sessions = try SessionStore(databasePath: database).sessions(matching: .init())
        #expect(sessions.count == 1)
        return try #require(sessions.first { $0.accessKeyId == key })
    }

    @Test func distinctCallsCountOnce() throws {
        let session = try Self.session(of: [
            Self.call("11111111-0000-4000-8000-000000000001", at: 1),
            Self.call("11111111-0000-4000-8000-000000000002", at: 2, failed: true),
            Self.call("not-a-uuid-3", at: 3),
        ])
        #expect(session.eventCount == 3)
        #expect(session.errorCount == 1)
    }

    @Test func oneEventIDLoggedForTwoRecipientsIsOneCall() throws {
        let id = "22222222-0000-4000-8000-000000000001"
        let session = try Self.session(of: [
            Self.call(id, at: 1, recipient: "111122223333", failed: true),
            Self.call(id, at: 1, recipient: "444455556666"),
            Self.call("22222222-0000-4000-8000-000000000002", at: 2),
        ])
        #expect(session.eventCount == 2)
        #expect(session.errorCount == 1, "a call fails when any of its records does")
    }

    @Test func copiesSharingASharedEventIDAreOneCall() throws {
        let shared = "33333333-0000-4000-8000-00000000000a"
        let session = try Self.session(of: [
            Self.call("33333333-0000-4000-8000-000000000001", at: 1, shared: shared, recipient: "111122223333"),
            Self.call("33333333-0000-4000-8000-000000000002", at: 1, shared: shared, recipient: "444455556666"),
            Self.call("33333333-0000-4000-8000-000000000003", at: 2, failed: true),
        ])
        #expect(session.eventCount == 2)
        #expect(session.errorCount == 1)
    }

    /// A record whose own event id is another's shared id (forged or copied) is that call,
    /// whether it comes before or after the other in the pass.
    @Test func anEventIDEqualToASharedIDIsThatCall() throws {
        let shared = "44444444-0000-4000-8000-00000000000a"
        for order in [false, true] {
            var records = [
                Self.call(shared, at: 1, failed: true),
                Self.call("44444444-0000-4000-8000-000000000001", at: 1, shared: shared, recipient: "444455556666"),
            ]
            if order { records.reverse() }
            records.append(Self.call("44444444-0000-4000-8000-000000000002", at: 3))
            let session = try Self.session(of: records)
            #expect(session.eventCount == 2)
            #expect(session.errorCount == 1)
        }
    }
}
