import Foundation
import TestSupport
import Testing

@testable import TrailIngest
@testable import TrailStore

/// A file of `Fixtures/formats` and what ingesting it alone must store.
struct FormatFixture: CustomTestStringConvertible, Sendable {
    var file: String
    var state: FileState
    var format: String?
    var events: Int
    var reason: String?
    var warning: String?

    var testDescription: String { file }

    static func ingested(_ file: String, _ format: String, _ events: Int, warning: String? = nil) -> Self {
        Self(file: file, state: .ok, format: format, events: events, warning: warning)
    }

    static func skipped(_ file: String, _ reason: String) -> Self {
        Self(file: "skip/" + file, state: .skipped, events: 0, reason: reason)
    }
}

struct FormatFixtureTests {
    static let fixtures: [FormatFixture] = [
        .ingested("records.json", "records", 2),
        .ingested("records-org-export.json.gz", "records+gzip", 3),
        .ingested("lookup-events.json", "lookup-events", 2),
        .ingested("lookup-events-pages.json", "lookup-events", 2),
        .ingested("lookup-events.jsonl", "lookup-events", 2),
        .ingested("records.jsonl", "jsonl", 2),
        .ingested("array.json", "array", 3),
        .ingested("record.json", "record", 1),
        .ingested("eventbridge.json", "eventbridge", 1),
        .ingested(
            "eventbridge-array.json",
            "eventbridge",
            4,
            warning: "items without a CloudTrail record were skipped: CloudTrail Insights event"
        ),
        .ingested("eventbridge.jsonl", "eventbridge", 2),
        .ingested("cloudwatch-logs.json.gz", "cloudwatch-logs+gzip", 2),
        .skipped("cloudwatch-control.json.gz", "CloudWatch Logs control message"),
        .skipped("digest.json.gz", "CloudTrail digest file"),
        .skipped("insights.json.gz", "CloudTrail Insights events only (2)"),
        .skipped("eventbridge-insight.json", "CloudTrail Insights event"),
        .skipped("eventbridge-not-cloudtrail.json", "EventBridge event 'Object Created', not from CloudTrail"),
        .skipped("s3-event-notification.json", "S3 event notification"),
        .skipped("sns-notification.json", "SNS notification"),
        .skipped("sqs-test-event.json", "S3 test event"),
        .skipped("empty-array.json", "an empty JSON array"),
        .skipped("empty-records.json.gz", "an empty 'Records' array"),
    ]

    /// The event that three fixtures hold, each in another format and with other whitespace.
    private static let sharedEventID = "00000000-0000-4000-8000-000000000001"

    @Test(arguments: fixtures)
    func eachFormatIngestsWithItsExactCount(_ fixture: FormatFixture) throws {
        let folder = try TemporaryDirectory()
        let database = folder.file("case.db")
        let summary = try ingest([Fixtures.path("formats/\(fixture.file)")], into: database)

        #expect(summary.count(of: fixture.state) == 1)
        #expect(summary.newEvents == fixture.events)
        #expect(try queryInteger("SELECT count(*) FROM events", database: database) == fixture.events)
        let row = try queryText(
            "SELECT status, ifnull(format, 'NULL'), ifnull(reason, 'NULL') FROM files",
            database: database
        )
        #expect(row == [[fixture.state.rawValue, fixture.format ?? "NULL", fixture.reason ?? "NULL"]])
        #expect(summary.warnings.map(\.message) == (fixture.warning.map { [$0] } ?? []))
    }

    @Test func theWholeFolderStoresEachEventOnce() throws {
        let folder = try TemporaryDirectory()
        let database = folder.file("case.db")
        let summary = try ingest([Fixtures.path("formats")], into: database)

        #expect(summary.count(of: .ok) == 12)
        #expect(summary.count(of: .skipped) == 10)
        #expect(summary.hasErrors == false)
        #expect(summary.newEvents == 24)
        #expect(summary.duplicates == 2)
        let formats = try queryText(
            "SELECT format, count(*) FROM files WHERE format IS NOT NULL GROUP BY 1 ORDER BY 1",
            database: database
        )
        #expect(
            formats == [
                ["array", "1"], ["cloudwatch-logs+gzip", "1"], ["eventbridge", "3"], ["jsonl", "1"],
                ["lookup-events", "3"], ["record", "1"], ["records", "1"], ["records+gzip", "1"],
            ]
        )
    }

    @Test func theSameEventInThreeFormatsIsStoredOnceWithoutAConflict() throws {
        let folder = try TemporaryDirectory()
        let database = folder.file("case.db")
        let files = ["records.json", "lookup-events.json", "eventbridge.json"].map { Fixtures.path("formats/\($0)") }
        let summary = try ingest(files, into: database)

        #expect(summary.newEvents == 3)
        #expect(summary.duplicates == 2)
        // Whitespace and the envelope differ; the content does not, so this is no tampering.
        #expect(summary.warnings.isEmpty)
        #expect(
            try queryInteger(
                "SELECT count(*) FROM events WHERE event_id = '\(Self.sharedEventID)'",
                database: database
            ) == 1
        )
        let duplicates = try queryText("SELECT path, duplicate_count FROM files ORDER BY path", database: database)
        #expect(duplicates == [["eventbridge.json", "0"], ["lookup-events.json", "1"], ["records.json", "1"]])
    }

    @Test func anEmbeddedRecordIsStoredAsItsDecodedText() throws {
        let folder = try TemporaryDirectory()
        let database = folder.file("case.db")
        try ingest(
            [Fixtures.path("formats/lookup-events.jsonl"), Fixtures.path("formats/cloudwatch-logs.json.gz")],
            into: database
        )

        let rows = try queryText(
            """
            SELECT substr(\(Schema.rawRecord()), 1, 16), json_extract(\(Schema.rawRecord()), '$.eventID') = event_id
            FROM events ORDER BY event_id
            """,
            database: database
        )
        #expect(rows.count == 4)
        #expect(rows.allSatisfy { $0 == [#"{"eventVersion":"#, "1"] })
    }

    @Test func aDifferentRecordUnderAKnownEventIDIsStillAConflict() throws {
        let folder = try TemporaryDirectory()
        let first = RecordText.call(eventID: "same-id")
        let second = RecordText.call(eventID: "same-id", userAgent: "forged/1.0")
        try folder.write(RecordText.delivery([first]), to: "dump/a.json")
        try folder.write(second + "\n", to: "dump/b.jsonl")
        let summary = try ingest([folder.file("dump")], into: folder.file("case.db"))

        #expect(summary.duplicates == 1)
        #expect(
            summary.warnings.map(\.message) == [
                "record 0 has the eventID 'same-id' of a stored event but different content (possible tampering); "
                    + "the first copy is kept"
            ]
        )
    }
}
