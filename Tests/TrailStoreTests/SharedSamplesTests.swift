import Foundation
import TestSupport
import Testing

@testable import TrailStore

/// The real CloudTrail files in `../shared/samples`, read as a user would.
struct SharedSamplesTests {
    /// The `{"Records":[…]}` files and their event counts, as SOURCES.md lists them, except
    /// files of Insights events only, which are skipped.
    private static func deliveryFiles(in samples: String) throws -> [(path: String, events: Int)] {
        let text = try String(contentsOfFile: samples + "/SOURCES.md", encoding: .utf8)
        let pattern = try NSRegularExpression(
            pattern: #"^\| `([^`]+)` \| [^|]+ \| (?:gzip\+)?\{"Records":\[\.\.\.\]\} delivery file; (\d+) ev(?!: Insight:)"#,
            options: [.anchorsMatchLines]
        )
        let range = NSRange(text.startIndex..., in: text)
        return pattern.matches(in: text, range: range).compactMap { match in
            guard let path = Range(match.range(at: 1), in: text), let count = Range(match.range(at: 2), in: text) else {
                return nil
            }
            return (String(text[path]), Int(text[count]) ?? -1)
        }
    }

    @Test func everyDeliveryFileIngestsWithItsCatalogCount() throws {
        guard let samples = Fixtures.sharedSamples else {
            print("Skipping: ../shared/samples is absent, so the real CloudTrail samples cannot be read")
            return
        }
        let expected = try Self.deliveryFiles(in: samples)
        #expect(expected.count >= 20, "SOURCES.md should list the delivery files")

        let folder = try TemporaryDirectory()
        let database = folder.file("samples.db")
        let summary = try ingest([samples], into: database)
        #expect(summary.filesFound > 800)
        for (path, events) in expected {
            let rows = try queryText(
                "SELECT status, record_count FROM files WHERE path = '\(path)'",
                database: database
            )
            #expect(rows == [["ok", String(events)]], "\(path)")
        }
    }

    @Test func brokenSamplesFailWithClearMessages() throws {
        guard let samples = Fixtures.sharedSamples else {
            print("Skipping: ../shared/samples is absent, so the broken samples cannot be read")
            return
        }
        let folder = try TemporaryDirectory()
        let database = folder.file("samples.db")
        let summary = try ingest([samples + "/aws-cloudtrail-processing-library"], into: database)
        #expect(
            summary.problems.map { "\($0.path): \($0.reason)" } == [
                "SerializerTestFileBadJsonFormat.json: JSON syntax error: expected a string key but found '{' "
                    + "(at byte 1293)"
            ]
        )
        #expect(
            summary.skipped.map { "\($0.path): \($0.reason)" } == [
                "SQSMessageBody: SNS notification",
                "SQSMessageBodyWrongFormat: SNS notification",
            ]
        )
    }
}
