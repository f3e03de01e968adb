import Foundation
import TestSupport
import Testing

/// `trailhound investigate` as a user runs it, and the indicators `report` adds to incidents.
struct InvestigateCommandTests {
    private static let newbie = "arn:aws:iam::111122223333:user/newbie"
    private static let hostileAgent = "<script>alert(1)</script> | `x` \u{1B}[2J"

    private static var databaseOptions: [String] {
        [
            "--geoip", Fixtures.path("geo/test-city.mmdb"), "--asn", Fixtures.path("geo/test-asn.mmdb"),
            "--flagged-ips", Fixtures.path("investigate/flagged-ips.txt"),
        ]
    }

    /// Ingests the fixture story into `case.db` of a fresh folder, which the caller keeps.
    private static func ingest(_ story: String) throws -> TemporaryDirectory {
        let folder = try TemporaryDirectory()
        let database = folder.file("case.db")
        let result = try runTrailhound(["ingest", Fixtures.path("investigate/\(story)"), "--db", database, "--quiet"])
        #expect(result.status == 0, "\(result.standardError)")
        return folder
    }

    @Test func printsTheDocumentedJSONContract() throws {
        let folder = try Self.ingest("new-behaviour")
        let database = folder.file("case.db")
        let result = try runTrailhound(
            ["investigate", Self.newbie, "--db", database, "--format", "json"] + Self.databaseOptions
        )
        #expect(result.status == 0, "\(result.standardError)")
        let object = try #require(try parseJSON(result.standardOutput) as? [String: Any])
        #expect(object["subject"] as? String == Self.newbie)
        #expect(object["severity"] as? String == "high")
        #expect(object["scopeEventCount"] as? Int == 3)
        let scope = try #require(object["scope"] as? [String: String])
        #expect(scope == ["start": "2026-11-30T10:02:00Z", "end": "2026-12-01T10:02:00Z", "rule": Self.defaultRule])
        let baseline = try #require(object["baseline"] as? [String: Any])
        #expect(baseline["days"] as? Int == 45 && baseline["isTooShort"] as? Bool == false)
        #expect(baseline["firstActivity"] as? String == "2026-11-01T09:00:00Z")
        let indicators = try #require(object["indicators"] as? [[String: Any]])
        #expect(indicators.compactMap { $0["kind"] as? String }.first == "newRegion")
        let country = try #require(indicators.first { $0["kind"] as? String == "newCountry" })
        #expect(country["title"] as? String == "New country" && country["severity"] as? String == "medium")
        let values = try #require(country["values"] as? [[String: Any]])
        #expect(values.first?["value"] as? String == "XC" && values.first?["callCount"] as? Int == 3)
        #expect(country["eventIDs"] as? [String] == ["new-1", "new-2", "new-3"])
        #expect(object["limitations"] as? [String] == [])
    }

    private static let defaultRule = "the last 24 hours of its activity (no --from or --to was given)"

    @Test func escapesLogTextInTableMarkdownAndHTML() throws {
        let folder = try TemporaryDirectory()
        let user = RecordText.iamUser("eve", key: "AKIAEVEKEY0000000001")
        var records = (1...20).map { day in
            RecordText.call(
                "GetItem",
                by: user,
                at: String(format: "2026-11-%02dT09:00:00Z", day),
                id: "base-\(day)",
                source: "dynamodb.amazonaws.com"
            )
        }
        records.append(
            RecordText.call(
                "GetItem",
                by: user,
                at: "2026-11-21T09:00:00Z",
                id: "odd",
                source: "dynamodb.amazonaws.com",
                extra: ["userAgent": Self.hostileAgent]
            )
        )
        try folder.write(RecordText.delivery(records), to: "dump/a.json")
        let database = folder.file("case.db")
        _ = try runTrailhound(["ingest", folder.file("dump"), "--db", database, "--quiet"])
        let subject = "arn:aws:iam::111122223333:user/eve"

        let table = try runTrailhound(["investigate", subject, "--db", database])
        #expect(table.status == 0)
        #expect(table.standardOutput.contains("1. In the scope it used 1 user agent never seen"))
        #expect(!table.standardOutput.contains("\u{1B}"), "no escape sequence reaches the terminal")
        #expect(table.standardOutput.contains("\\u{1b}[2J"))

        let markdown = try runTrailhound(["investigate", subject, "--db", database, "--format", "md"])
        #expect(markdown.standardOutput.hasPrefix("# Investigation of `arn:aws:iam::111122223333:user/eve`\n"))
        #expect(markdown.standardOutput.contains("\\<script\\>alert(1)\\</script\\> \\| \\`x\\`"))

        let html = try runTrailhound(["investigate", subject, "--db", database, "--format", "html"])
        #expect(html.standardOutput.hasPrefix("<!doctype html>"))
        #expect(html.standardOutput.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(!html.standardOutput.contains("<script>"))
    }

    @Test func reportsUsageAndInputMistakes() throws {
        let folder = try Self.ingest("flagged-ip")
        let database = folder.file("case.db")
        let noSubject = try runTrailhound(["investigate", "--db", database])
        #expect(noSubject.status == 64)
        #expect(noSubject.errorLines.first == "Error: Expected one principal ARN or access key")
        #expect(noSubject.errorLines.last == "See 'trailhound help investigate'.")
        let help = try runTrailhound(["help", "investigate"])
        #expect(help.status == 0)
        #expect(help.standardOutput.hasPrefix("Usage: trailhound investigate ARN|KEY [--db FILE] [--from T]"))

        let days = try runTrailhound(["investigate", Self.newbie, "--db", database, "--baseline-days", "0"])
        #expect(days.status == 64)
        #expect(
            days.errorLines.first
                == "Error: Invalid value '0' for option '--baseline-days': use a number of days from 1 to 3650"
        )

        let order = try runTrailhound([
            "investigate", Self.newbie, "--db", database, "--from", "2026-12-02", "--to", "2026-12-01",
        ])
        #expect(order.status == 64)
        #expect(order.errorLines.first == "Error: The time of '--from' is after that of '--to'")

        let list = try folder.write("203.0.113.0/24\nnot-an-address\n", to: "bad.txt")
        let badList = try runTrailhound(["investigate", Self.newbie, "--db", database, "--flagged-ips", list])
        #expect(badList.status == 1)
        #expect(
            badList.errorLines
                == ["Error: Unable to read '\(list)' line 2: 'not-an-address' is not an IP address or CIDR network"]
        )

        let notDatabase = try runTrailhound([
            "investigate", "arn:aws:iam::111122223333:user/flagged", "--db", database, "--geoip", list,
        ])
        #expect(notDatabase.status == 1)
        #expect(
            notDatabase.errorLines == [
                "Error: Unable to open '\(list)': The MaxMind DB file contains invalid metadata"
            ]
        )

        let unknown = try runTrailhound(["investigate", "arn:aws:iam::1:user/nobody", "--db", database])
        #expect(unknown.status == 1)
        #expect(
            unknown.errorLines == [
                "Error: No session, session ARN or principal 'arn:aws:iam::1:user/nobody' in the case database"
            ]
        )
    }

    @Test func reportAddsTheIndicatorsToEachIncident() throws {
        let folder = try TemporaryDirectory()
        let result = try runTrailhound(
            [
                "report", Fixtures.path("sessions"), "-o", folder.file("out"), "--db", folder.file("case.db"),
                "--quiet",
            ] + Self.databaseOptions
        )
        #expect(result.status == 0, "\(result.standardError)")
        let text = try String(contentsOfFile: folder.file("out/report.json"), encoding: .utf8)
        let report = try #require(try parseJSON(text) as? [String: Any])
        let incidents = try #require(report["incidents"] as? [[String: Any]])
        #expect(incidents.allSatisfy { $0["indicators"] is [[String: Any]] && $0["investigation"] is [String: Any] })
        let instance = try #require(
            incidents.first { $0["originKey"] as? String == "ec2.amazonaws.com/i-0abc1234def567890" }
        )
        let indicators = try #require(instance["indicators"] as? [[String: Any]])
        let first = try #require(indicators.first)
        #expect(first["kind"] as? String == "instanceCredentialsElsewhere" && first["severity"] as? String == "high")
        #expect(
            first["explanation"] as? String
                == "The role credentials of instance i-0abc1234def567890 made 4 calls from 203.0.113.9, while the "
                + "instance's own calls came from private addresses or AWS services."
        )
        let investigation = try #require(instance["investigation"] as? [String: Any])
        #expect(investigation["severity"] as? String == "high")
        #expect(
            investigation["scope"] as? [String: String] == [
                "start": "2026-11-04T06:02:11Z", "end": "2026-11-04T09:37:12Z",
                "rule": "from the incident's first technique outside its routine to its last call",
            ]
        )
        let markdown = try String(contentsOfFile: folder.file("out/report.md"), encoding: .utf8)
        #expect(markdown.contains("### Indicators\n\n- Severity: high\n"))
        let html = try String(contentsOfFile: folder.file("out/index.html"), encoding: .utf8)
        #expect(html.contains("<table class=\"indicators\">"))
    }
}
