import Foundation
import TestSupport
import Testing

@testable import TrailAnalysis
@testable import TrailStore

struct ConsoleSessionTests {
    /// A user who signs in twice within a minute has two console sessions; each is tied to the
    /// sign-in at its creation time, not to the latest one before its first call.
    @Test func aConsoleSessionIsTiedToTheSignInThatCreatedIt() throws {
        let user: [String: Any] = [
            "type": "IAMUser", "principalId": "AIDAOLIVIA", "arn": "arn:aws:iam::111122223333:user/olivia",
            "accountId": "111122223333", "userName": "olivia",
        ]
        var withKey = user
        withKey["accessKeyId"] = "ASIACONSOLESESSION01"
        withKey["sessionContext"] = [
            "attributes": ["creationDate": "2026-11-02T14:01:21Z", "mfaAuthenticated": "true"]
        ]
        let login: (String, String) -> String = { time, id in
            RecordText.call(
                "ConsoleLogin",
                by: user,
                at: time,
                id: id,
                source: "signin.amazonaws.com",
                responseElements: ["ConsoleLogin": "Success"],
                extra: ["eventType": "AwsConsoleSignIn"]
            )
        }
        let records = [
            login("2026-11-02T14:01:21Z", "first-login"),
            login("2026-11-02T14:02:18Z", "second-login"),
            RecordText.call(
                "ListRoles",
                by: withKey,
                at: "2026-11-02T14:03:06Z",
                id: "call",
                extra: ["sessionCredentialFromConsole": "true"]
            ),
        ]
        let folder = try TemporaryDirectory()
        try folder.write(RecordText.delivery(records), to: "dump/a.json")
        let database = folder.file("case.db")
        _ = try CaseIngest(options: .init(paths: [folder.file("dump")], databasePath: database)).run()
        let sessions = try SessionStore(databasePath: database).sessions(matching: .init())
        let session = try #require(sessions.first)
        #expect(sessions.count == 1)
        #expect(session.kind == "ConsoleLogin")
        #expect(session.issuingEventID == "first-login")
        #expect(session.issuedAt == "2026-11-02T14:01:21Z")
        #expect(session.origin.arn == "arn:aws:iam::111122223333:user/olivia")
        #expect(session.origin.name == "olivia")
    }
}
