import Foundation
import TestSupport
import Testing

/// The `sessions` and `chain` commands on the fixture dump's attack story, read as a user's
/// script would read them.
struct SessionCommandTests {
    private static let contractFields = [
        "accessKeyId", "kind", "roleArn", "sessionName", "sessionArn", "accountId", "issuedAt", "expiresAt",
        "assumedBy", "parentAccessKeyId", "origin", "chainDepth", "roleChaining", "crossAccount", "sourceIdentity",
        "eventCount", "firstEventTime", "lastEventTime", "sourceIPAddresses", "userAgents", "errorCount",
        "issuingEventID",
    ]

    private struct Story {
        var database: String
        var userKey: String
        var firstKey: String
        var secondKey: String
        var sharedEventID: String
        var eventsWithSecondKey: Int
    }

    private static func ingestStory(in folder: TemporaryDirectory) throws -> Story {
        let expected = try Fixtures.json("ingest-dump.expected.json")
        let attack = try #require(expected["attack"] as? [String: Any])
        let database = folder.file("case.db")
        let result = try runTrailhound(["ingest", Fixtures.path("ingest-dump"), "--db", database, "--quiet"])
        #expect(result.status == 0)
        return Story(
            database: database,
            userKey: try #require(attack["userAccessKeyId"] as? String),
            firstKey: try #require(attack["firstSessionKey"] as? String),
            secondKey: try #require(attack["secondSessionKey"] as? String),
            sharedEventID: try #require(attack["sharedEventID"] as? String),
            eventsWithSecondKey: try #require(attack["eventsWithSecondKey"] as? Int)
        )
    }

    private static func sessions(_ arguments: [String]) throws -> [[String: Any]] {
        let result = try runTrailhound(["sessions", "--format", "json"] + arguments)
        #expect(result.status == 0, "\(result.standardError)")
        return try #require(try parseJSON(result.standardOutput) as? [[String: Any]])
    }

    @Test func listsTheAttackersSessionsWithTheContractFields() throws {
        let folder = try TemporaryDirectory()
        let story = try Self.ingestStory(in: folder)
        let result = try runTrailhound(["sessions", "--format", "json", "--db", story.database])
        let fieldOrder = result.standardOutput.dropFirst(2).prefix(while: { $0 != "}" })
        let keys = fieldOrder.split(separator: ",").compactMap { $0.split(separator: ":").first }
            .filter { $0.hasPrefix("\"") }.map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
        #expect(Array(keys.prefix(9)) == Array(Self.contractFields.prefix(9)), "documented field order")

        let all = try Self.sessions(["--db", story.database])
        let byKey = Dictionary(
            uniqueKeysWithValues: all.compactMap { s in (s["accessKeyId"] as? String).map { ($0, s) } }
        )
        #expect(all.allSatisfy { Set($0.keys) == Set(Self.contractFields) })

        let first = try #require(byKey[story.firstKey])
        #expect(first["kind"] as? String == "AssumeRole")
        #expect(first["crossAccount"] as? Bool == true)
        #expect(first["roleChaining"] as? Bool == false)
        #expect(first["chainDepth"] as? Int == 1)
        #expect(first["parentAccessKeyId"] is NSNull)
        #expect((first["assumedBy"] as? [String: Any])?["accessKeyId"] as? String == story.userKey)
        #expect((first["assumedBy"] as? [String: Any])?["type"] as? String == "IAMUser")
        #expect((first["origin"] as? [String: Any])?["arn"] as? String == "arn:aws:iam::111122223333:user/dev-alice")

        let second = try #require(byKey[story.secondKey])
        #expect(second["parentAccessKeyId"] as? String == story.firstKey)
        #expect(second["roleChaining"] as? Bool == true)
        #expect(second["crossAccount"] as? Bool == false)
        #expect(second["chainDepth"] as? Int == 2)
        #expect(second["eventCount"] as? Int == story.eventsWithSecondKey)
        #expect(second["sourceIPAddresses"] as? [String] == ["203.0.113.45"])
        #expect((second["origin"] as? [String: Any])?["name"] as? String == "dev-alice")
    }

    @Test func pairsTheTwoCopiesOfTheCrossAccountCall() throws {
        let folder = try TemporaryDirectory()
        let story = try Self.ingestStory(in: folder)
        let copies = try runTrailhound([
            "query", "SELECT event_id, identity_type FROM events WHERE shared_event_id = '\(story.sharedEventID)'",
            "--db", story.database, "--format", "json",
        ])
        let rows = try #require(try parseJSON(copies.standardOutput) as? [[String: Any]])
        #expect(rows.count == 2)
        let callerCopy = rows.first { $0["identity_type"] as? String == "IAMUser" }?["event_id"] as? String
        let first = try Self.sessions(["--db", story.database]).filter {
            $0["accessKeyId"] as? String == story.firstKey
        }
        #expect(first.count == 1, "one issuance, not two")
        #expect(first.first?["issuingEventID"] as? String == callerCopy)
    }

    @Test func filtersByPrincipalThroughTheWholeTree() throws {
        let folder = try TemporaryDirectory()
        let story = try Self.ingestStory(in: folder)
        for principal in [story.userKey, "arn:aws:iam::111122223333:user/dev-alice"] {
            let tree = try Self.sessions(["--db", story.database, "--principal", principal])
            #expect(Set(tree.compactMap { $0["accessKeyId"] as? String }) == [story.firstKey, story.secondKey])
        }
        let inAccount = try Self.sessions(["--db", story.database, "--account", "444455556666", "--from", "2026-11-03"])
        #expect(inAccount.allSatisfy { $0["accountId"] as? String == "444455556666" })
        #expect(inAccount.contains { $0["accessKeyId"] as? String == story.secondKey })
    }

    @Test func chainShowsAncestorsAndDescendants() throws {
        let folder = try TemporaryDirectory()
        let story = try Self.ingestStory(in: folder)
        let result = try runTrailhound(["chain", story.secondKey, "--db", story.database, "--format", "json"])
        #expect(result.status == 0)
        let chain = try #require(try parseJSON(result.standardOutput) as? [String: Any])
        let ancestors = try #require(chain["ancestors"] as? [[String: Any]])
        #expect(ancestors.map { $0["accessKeyId"] as? String } == [story.firstKey])
        #expect((chain["session"] as? [String: Any])?["accessKeyId"] as? String == story.secondKey)
        #expect((chain["descendants"] as? [Any])?.isEmpty == true)

        let fromUser = try runTrailhound(
            ["chain", "arn:aws:iam::111122223333:user/dev-alice", "--db", story.database, "--format", "json"]
        )
        let tree = try #require(try parseJSON(fromUser.standardOutput) as? [String: Any])
        let roots = try #require(tree["descendants"] as? [[String: Any]])
        #expect(roots.map { $0["accessKeyId"] as? String } == [story.firstKey])
        let children = try #require(roots.first?["descendants"] as? [[String: Any]])
        #expect(children.map { $0["accessKeyId"] as? String } == [story.secondKey])

        let text = try runTrailhound(["chain", story.secondKey, "--db", story.database])
        #expect(text.standardOutput.hasPrefix("IAMUser arn:aws:iam::111122223333:user/dev-alice dev-alice\n"))
        #expect(text.standardOutput.contains("\(story.secondKey)  AssumeRole"))
    }

    @Test func chainOfAnUnknownSubjectFails() throws {
        let folder = try TemporaryDirectory()
        let story = try Self.ingestStory(in: folder)
        let result = try runTrailhound(["chain", "ASIANOTINTHEDUMP0000", "--db", story.database])
        #expect(result.status == 1)
        #expect(
            result.errorLines == [
                "Error: No session, session ARN or principal 'ASIANOTINTHEDUMP0000' in the case database"
            ]
        )
    }

    @Test func stripsControlCharactersFromSessionNamesAndUserAgents() throws {
        let folder = try TemporaryDirectory()
        let user = RecordText.iamUser("mallory", key: "AKIAMALLORYKEY000001")
        let hostile = "x\u{1B}[2J\u{1B}]0;owned\u{07}"
        let session: [String: Any] = [
            "type": "AssumedRole", "arn": "arn:aws:sts::111122223333:assumed-role/R/\(hostile)",
            "accountId": "111122223333", "accessKeyId": "ASIAHOSTILESESSION01",
        ]
        let records = [
            RecordText.call(
                "AssumeRole",
                by: user,
                at: "2026-11-02T10:00:00Z",
                id: "assume",
                source: "sts.amazonaws.com",
                requestParameters: ["roleArn": "arn:aws:iam::111122223333:role/R", "roleSessionName": hostile],
                responseElements: [
                    "credentials": ["accessKeyId": "ASIAHOSTILESESSION01"],
                    "assumedRoleUser": ["arn": "arn:aws:sts::111122223333:assumed-role/R/\(hostile)"],
                ]
            ),
            RecordText.call(
                "ListBuckets",
                by: session,
                at: "2026-11-02T10:01:00Z",
                id: "call",
                source: "s3.amazonaws.com",
                extra: ["userAgent": "curl\u{1B}[1m"]
            ),
        ]
        try folder.write(RecordText.delivery(records), to: "dump/a.json")
        let database = folder.file("case.db")
        _ = try runTrailhound(["ingest", folder.file("dump"), "--db", database, "--quiet"])
        let table = try runTrailhound(["sessions", "--db", database])
        let tree = try runTrailhound(["chain", "ASIAHOSTILESESSION01", "--db", database])
        for output in [table.standardOutput, tree.standardOutput] {
            #expect(output.contains("ASIAHOSTILESESSION01"))
            #expect(!output.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 })
        }
        let json = try runTrailhound(["sessions", "--db", database, "--format", "json"])
        let sessions = try #require(try parseJSON(json.standardOutput) as? [[String: Any]])
        #expect(sessions.first?["sessionName"] as? String == hostile, "JSON keeps the raw value")
    }
}
