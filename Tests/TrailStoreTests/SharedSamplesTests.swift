import Foundation
import TestSupport
import Testing

@testable import TrailStore

/// The real CloudTrail files in `../shared/samples`, read as a user would.
///
/// The samples are not in the repository (their licences keep them test-only), so these tests
/// are skipped, saying why, where the folder is absent, as on CI.
@Suite(.enabled(if: Fixtures.sharedSamples != nil, "../shared/samples is absent: the real samples cannot be read"))
struct SharedSamplesTests {
    /// One line of `Fixtures/shared-samples.expected.tsv`: a sample and its verdict.
    private struct Verdict: Equatable, CustomStringConvertible {
        var path: String
        var status: String
        var format: String
        var records: Int
        var reason: String

        var description: String {
            "\(path): \(status) \(format) \(records) '\(reason)'"
        }
    }

    private static func expectedVerdicts() throws -> [Verdict] {
        let table = Fixtures.path("shared-samples.expected.tsv")
        let lines = try String(contentsOfFile: table, encoding: .utf8).split(separator: "\n")
        return lines.filter { !$0.hasPrefix("#") }.map { line in
            let cells = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            precondition(cells.count == 5, "each line of the table has 5 cells: \(line)")
            return Verdict(
                path: cells[0],
                status: cells[1],
                format: cells[2],
                records: Int(cells[3]) ?? -1,
                reason: cells[4]
            )
        }
    }

    @Test func everySampleGetsItsExpectedVerdict() throws {
        let samples = try #require(Fixtures.sharedSamples)
        let expected = try Self.expectedVerdicts()
        let folder = try TemporaryDirectory()
        let database = folder.file("samples.db")
        let summary = try ingest([samples], into: database)

        let rows = try queryText(
            "SELECT path, status, ifnull(format, '-'), record_count, ifnull(reason, '-') FROM files ORDER BY path",
            database: database
        )
        let actual = rows.map {
            Verdict(path: $0[0], status: $0[1], format: $0[2], records: Int($0[3]) ?? -1, reason: $0[4])
        }
        #expect(summary.filesFound == expected.count, "files found on disk versus lines in the table")
        let expectedByPath = Dictionary(expected.map { ($0.path, $0) }) { first, _ in first }
        for verdict in actual {
            #expect(verdict == expectedByPath[verdict.path], "\(verdict.path)")
        }
        let missing = Set(expected.map(\.path)).subtracting(actual.map(\.path))
        #expect(missing.isEmpty, "samples in the table that were not read: \(missing.sorted())")
    }

    @Test func brokenSamplesFailWithOneClearLine() throws {
        let samples = try #require(Fixtures.sharedSamples)
        let folder = try TemporaryDirectory()
        let summary = try ingest([samples + "/aws-cloudtrail-processing-library"], into: folder.file("samples.db"))
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
