import Testing

@testable import TrailAnalysis

struct TechniqueTableTests {
    @Test func theBundledTableLoadsAndCoversTheIssuesList() throws {
        let table = try TechniqueTable.bundled()
        let calls = [
            ("cloudtrail.amazonaws.com", "StopLogging"), ("cloudtrail.amazonaws.com", "DeleteTrail"),
            ("cloudtrail.amazonaws.com", "UpdateTrail"), ("cloudtrail.amazonaws.com", "PutEventSelectors"),
            ("iam.amazonaws.com", "CreateUser"), ("iam.amazonaws.com", "CreateAccessKey"),
            ("iam.amazonaws.com", "CreateLoginProfile"), ("iam.amazonaws.com", "CreateRole"),
            ("secretsmanager.amazonaws.com", "GetSecretValue"), ("ssm.amazonaws.com", "GetParameters"),
            ("sts.amazonaws.com", "GetCallerIdentity"),
        ]
        for (source, name) in calls {
            #expect(
                table.technique(eventSource: source, eventName: name, errorCode: nil, parameters: [:]) != nil,
                "\(name)"
            )
        }
    }

    @Test func theFirstMatchingRowWins() throws {
        let table = try TechniqueTable.bundled()
        let admin = table.technique(
            eventSource: "iam.amazonaws.com",
            eventName: "AttachUserPolicy",
            errorCode: nil,
            parameters: ["policyArn": "arn:aws:iam::aws:policy/AdministratorAccess"]
        )
        #expect(admin?.severity == "critical")
        let other = table.technique(
            eventSource: "iam.amazonaws.com",
            eventName: "AttachUserPolicy",
            errorCode: nil,
            parameters: ["policyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess"]
        )
        #expect(other?.severity == "medium")
        let failed = table.technique(
            eventSource: "cloudtrail.amazonaws.com",
            eventName: "StopLogging",
            errorCode: "AccessDenied",
            parameters: [:]
        )
        #expect(failed?.severity == "medium")
        #expect(failed?.techniqueID == "T1562.008")
        #expect(
            table.technique(eventSource: "s3.amazonaws.com", eventName: "PutObject", errorCode: nil, parameters: [:])
                == nil
        )
    }

    @Test(arguments: [
        ("a\tb\tc", "techniques.tsv line 1: expected 7 tab-separated fields"),
        ("s\tn\t\tt\tT1\tname\tsevere", "techniques.tsv line 1: unknown severity 'severe'"),
        ("s\tn\tsometimes\tt\tT1\tname\tlow", "techniques.tsv line 1: unknown condition 'sometimes'"),
    ])
    func malformedRowsAreRejectedWithTheirLine(_ text: String, _ message: String) {
        do {
            _ = try TechniqueTable(text: text)
            Issue.record("the row should be rejected")
        } catch {
            #expect(error.description == message)
        }
    }
}
