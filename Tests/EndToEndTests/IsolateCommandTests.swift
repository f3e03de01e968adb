import Foundation
import TestSupport
import Testing

/// `trailhound isolate` as an analyst runs it: the script, its quoting, and the JSON contract.
struct IsolateCommandTests {
    private static let hostileName = "evil'; touch PWNED; echo \"$(id)\" '"

    /// A dump where a stolen key creates a user with a hostile name.
    private static func hostileDatabase(in folder: TemporaryDirectory) throws -> String {
        let attacker = RecordText.iamUser("intern", key: "AKIASTOLENKEY0000001")
        let records = [
            RecordText.call(
                "GetCallerIdentity",
                by: attacker,
                at: "2026-11-02T10:00:00Z",
                id: "a1",
                source: "sts.amazonaws.com"
            ),
            RecordText.call(
                "CreateUser",
                by: attacker,
                at: "2026-11-02T10:01:00Z",
                id: "a2",
                requestParameters: ["userName": hostileName],
                responseElements: ["user": ["userName": hostileName, "arn": "arn:aws:iam::111122223333:user/x"]]
            ),
        ]
        try folder.write(RecordText.delivery(records), to: "dump/a.json")
        let database = folder.file("case.db")
        let ingest = try runTrailhound(["ingest", folder.file("dump"), "--db", database, "--quiet"])
        #expect(ingest.status == 0)
        return database
    }

    @Test func theScriptRunsNothingWithoutApplyAndKeepsHostileNamesQuoted() throws {
        let folder = try TemporaryDirectory()
        let database = try Self.hostileDatabase(in: folder)
        let result = try runTrailhound(["isolate", "arn:aws:iam::111122223333:user/intern", "--db", database])
        #expect(result.status == 0)
        let script = try folder.write(result.standardOutput, to: "plan.sh")
        #expect(result.standardOutput.hasPrefix("#!/usr/bin/env bash\n"))

        let syntax = try shell(["bash", "-n", script], in: folder.path)
        #expect(syntax.status == 0, "\(syntax.output)")
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/shellcheck") {
            let lint = try shell(["/usr/bin/shellcheck", script], in: folder.path)
            #expect(lint.status == 0, "\(lint.output)")
        } else {
            print("Skipping shellcheck: /usr/bin/shellcheck is not installed")
        }

        // Dry run: prints only.
        let dry = try shell(["bash", script], in: folder.path)
        #expect(dry.status == 0)
        #expect(dry.output.contains("would run: aws iam attach-user-policy"))
        #expect(!FileManager.default.fileExists(atPath: folder.file("PWNED")))

        // Applied with a stand-in `aws` that records its arguments: the name arrives whole.
        try folder.write("#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done >> \"$AWS_LOG\"\n", to: "bin/aws")
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.file("bin/aws"))
        let applied = try shell(
            ["bash", script, "--apply"],
            in: folder.path,
            environment: ["PATH": folder.file("bin") + ":/usr/bin:/bin", "AWS_LOG": folder.file("aws.log")]
        )
        #expect(applied.status == 0, "\(applied.output)")
        #expect(!FileManager.default.fileExists(atPath: folder.file("PWNED")))
        let log = try String(contentsOfFile: folder.file("aws.log"), encoding: .utf8)
        #expect(log.split(separator: "\n").contains(Substring(Self.hostileName)))
    }

    @Test func printsTheJSONContract() throws {
        let folder = try TemporaryDirectory()
        let database = folder.file("case.db")
        _ = try runTrailhound(["ingest", Fixtures.path("sessions"), "--db", database, "--quiet"])
        let result = try runTrailhound([
            "isolate", "arn:aws:iam::111122223333:user/build-bot", "--db", database, "--format", "json",
            "--token-issue-time", "2026-11-20T00:00:00Z", "--sns-topic", "arn:aws:sns:us-east-1:111122223333:ir",
        ])
        #expect(result.status == 0)
        let plan = try #require(try parseJSON(result.standardOutput) as? [String: Any])
        #expect(plan["tokenIssueTime"] as? String == "2026-11-20T00:00:00Z")
        #expect(plan["generatedAt"] is String)
        let actions = try #require(plan["actions"] as? [[String: Any]])
        let fields: Set<String> = [
            "action", "target", "accountId", "reason", "evidence", "command", "policyDocument", "caveats",
        ]
        #expect(actions.allSatisfy { Set($0.keys) == fields })
        let revoke = try #require(actions.first { $0["action"] as? String == "revoke-role-sessions" })
        let policy = try #require(revoke["policyDocument"] as? [String: Any])
        let statement = try #require((policy["Statement"] as? [[String: Any]])?.first)
        #expect(
            (statement["Condition"] as? [String: [String: String]])?["DateLessThan"]?["aws:TokenIssueTime"]
                == "2026-11-20T00:00:00Z"
        )
        let alerting = try #require(plan["alerting"] as? [String: Any])
        #expect(
            (alerting["commands"] as? [[String]])?.last?.last
                == "Id=containment-sns,Arn=arn:aws:sns:us-east-1:111122223333:ir"
        )
        #expect(plan["containment"] is [Any])

        let markdown = try runTrailhound([
            "isolate", "arn:aws:iam::111122223333:user/build-bot", "--db", database, "--format", "md",
        ])
        #expect(markdown.standardOutput.hasPrefix("# Isolation plan\n"))
        #expect(markdown.standardOutput.contains("## deny-all-user: `arn:aws:iam::111122223333:user/build-bot`"))
    }

    @Test func anUnknownSubjectFails() throws {
        let folder = try TemporaryDirectory()
        let database = folder.file("case.db")
        _ = try runTrailhound(["ingest", Fixtures.path("sessions"), "--db", database, "--quiet"])
        let result = try runTrailhound(["isolate", "ASIANOPE000000000000", "--db", database])
        #expect(result.status == 1)
        #expect(
            result.errorLines == [
                "Error: No session, principal or access key 'ASIANOPE000000000000' in the case database"
            ]
        )
    }

    private func shell(
        _ arguments: [String],
        in directory: String,
        environment: [String: String]? = nil
    ) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        if let environment { process.environment = environment }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
