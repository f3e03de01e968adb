import Foundation
import TestSupport
import Testing

@testable import TrailIngest
@testable import TrailStore

/// One hostile file, built at test time, and what ingesting it beside a good file must give.
struct HostileInput: CustomTestStringConvertible, Sendable {
    var name: String
    /// The file's name inside the dump.
    var file: String
    var state: FileState
    /// The one-line message (for `failed`, `partial` and `skipped` files), or the warning.
    var message: String?
    var warning: String?
    /// Records kept from the hostile file.
    var records: Int
    /// `--max-file-bytes`, when the case sets it.
    var maximumFileBytes: Int?
    var bytes: @Sendable () -> [UInt8]

    var testDescription: String { name }
}

/// Builders for hostile content.
private enum Hostile {
    static let records = (0..<3).map { RecordText.call(eventID: "hostile-\($0)") }

    static func delivery(_ records: [String] = records) -> [UInt8] {
        Array(RecordText.delivery(records).utf8)
    }

    static func gzip(_ records: [String] = records) -> [UInt8] {
        Gzip.compress(delivery(records))
    }

    /// A delivery file whose second record holds `field` verbatim as its extra value.
    static func withField(_ field: String) -> [UInt8] {
        let bad = "{\"eventID\":\"hostile-bad\",\"x\":\(field)}"
        return Array("{\"Records\":[\(records[0]),".utf8) + Array(bad.utf8) + Array("]}".utf8)
    }
}

struct HostileInputTests {
    static let deliveryPrefix = "{\"Records\":[\(Hostile.records[0]),".utf8.count

    static let cases: [HostileInput] = [
        .init(
            name: "truncated gzip",
            file: "truncated.json.gz",
            state: .failed,
            message: "gzip data is truncated (at byte 300)",
            records: 0,
            bytes: { Array(Hostile.gzip().prefix(300)) }
        ),
        .init(
            name: "bad CRC",
            file: "bad-crc.json.gz",
            state: .partial,
            message: "gzip CRC-32 check failed: the data is damaged (at byte \(Hostile.gzip().count - 8))",
            records: 3,
            bytes: {
                var bytes = Hostile.gzip()
                bytes[bytes.count - 8] ^= 0xFF
                return bytes
            }
        ),
        .init(
            name: "appended gzip member, read as one stream",
            file: "appended.json.gz",
            state: .ok,
            warning: "a second gzip member starts at byte \(Hostile.gzip().count); CloudTrail writes one, and its "
                + "digest covers only the first: records after it are kept but marked (possible tampering)",
            records: 4,
            bytes: { Hostile.gzip() + Hostile.gzip([RecordText.call(eventID: "appended")]) }
        ),
        .init(
            name: "trailing garbage",
            file: "trailing.json.gz",
            state: .ok,
            warning: "7 bytes of data that is not gzip follow the gzip data at byte \(Hostile.gzip().count); "
                + "CloudTrail's digest does not cover them (possible tampering)",
            records: 3,
            bytes: { Hostile.gzip() + Array("garbage".utf8) }
        ),
        .init(
            name: "gzip bomb stops at --max-file-bytes",
            file: "bomb.json.gz",
            state: .failed,
            message: "the decompressed data exceeds the limit of 1048576 bytes (at byte 1058)",
            records: 0,
            maximumFileBytes: 1 << 20,
            bytes: { Gzip.compress(Array("{\"Records\":[".utf8) + [UInt8](repeating: 0x20, count: 24 << 20)) }
        ),
        .init(
            name: "zero-length file",
            file: "empty.json.gz",
            state: .failed,
            message: "the file is empty",
            records: 0,
            bytes: { [] }
        ),
        .init(
            name: "not gzip but named .gz",
            file: "plain.json.gz",
            state: .failed,
            message: "not gzip data: the name ends in .gz but the gzip magic bytes are missing",
            records: 0,
            bytes: { Array("PK\u{3}\u{4} this is a zip".utf8) }
        ),
        .init(
            name: "a 50 MB record",
            file: "big-record.json",
            state: .ok,
            records: 2,
            bytes: { Hostile.withField("\"" + String(repeating: "A", count: 50 << 20) + "\"") }
        ),
        .init(
            name: "nesting 100,000 deep",
            file: "deep.json",
            state: .partial,
            message: "JSON nesting is deeper than 512 levels (at byte \(deliveryPrefix + 538))",
            records: 1,
            bytes: {
                Hostile.withField(String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000))
            }
        ),
        .init(
            name: "invalid UTF-8",
            file: "invalid-utf8.json",
            state: .partial,
            message: "JSON text is not valid UTF-8 (at byte \(deliveryPrefix + 30))",
            records: 1,
            bytes: {
                var bytes = Hostile.withField("\"abc\"")
                bytes[deliveryPrefix + 30] = 0xFF
                return bytes
            }
        ),
        .init(
            name: "lone surrogate",
            file: "surrogate.json",
            state: .partial,
            message: "JSON string holds a lone UTF-16 surrogate escape (at byte \(deliveryPrefix + 30))",
            records: 1,
            bytes: { Hostile.withField(#""\ud800x""#) }
        ),
        .init(
            name: "duplicate keys",
            file: "duplicate-keys.json",
            state: .ok,
            warning: "record 1 repeats the key 'eventID' (at byte \(deliveryPrefix + 31) of the decompressed data)",
            records: 2,
            bytes: { Hostile.withField(#"1,"eventID":"again""#) }
        ),
        .init(
            name: "a number of 1,000 digits",
            file: "long-number.json",
            state: .ok,
            records: 2,
            bytes: { Hostile.withField("1" + String(repeating: "7", count: 999)) }
        ),
        .init(
            name: "a byte order mark",
            file: "bom.json",
            state: .ok,
            records: 3,
            bytes: { [0xEF, 0xBB, 0xBF] + Hostile.delivery() }
        ),
        .init(
            name: "NUL bytes in a string",
            file: "nul.json",
            state: .partial,
            message: "JSON string holds an unescaped control character byte 0x00 (at byte \(deliveryPrefix + 30))",
            records: 1,
            bytes: { Hostile.withField("\"" + "\u{0}\u{0}" + "\"") }
        ),
        .init(
            name: "Records not an array",
            file: "records-object.json",
            state: .failed,
            message: "'Records' is not an array (at byte 11)",
            records: 0,
            bytes: { Array(#"{"Records":{"eventID":"x"}}"#.utf8) }
        ),
        .init(
            name: "a record that is not an object",
            file: "record-number.json",
            state: .partial,
            message: "a record is not a JSON object (at byte \(deliveryPrefix))",
            records: 1,
            bytes: { Hostile.withField("1").prefix(deliveryPrefix) + Array("42]}".utf8) }
        ),
        .init(
            name: "a file that is one huge string",
            file: "string.json.gz",
            state: .failed,
            message: "JSON syntax error: expected '{' or '[' but found '\"' (at byte 0 of the decompressed data)",
            records: 0,
            bytes: { Gzip.compress("\"" + String(repeating: "s", count: 8 << 20) + "\"") }
        ),
        .init(
            name: "a path with spaces, a newline and non-ASCII characters",
            file: "folder with space/ünïcødé\nname.json",
            state: .ok,
            records: 3,
            bytes: { Hostile.delivery() }
        ),
    ]

    /// Ingests `files` (names and bytes) beside a good file, and checks the good file kept all.
    private func ingestBesideAGoodFile(
        _ files: [(String, [UInt8])],
        configure: (inout CaseIngest.Options) -> Void = { _ in }
    ) throws -> (IngestSummary, String, TemporaryDirectory) {
        let folder = try TemporaryDirectory()
        let good = (0..<2).map { RecordText.call(eventID: "good-\($0)") }
        try folder.write(RecordText.delivery(good), to: "dump/good.json")
        for (name, bytes) in files {
            try folder.write(bytes, to: "dump/\(name)")
        }
        let database = folder.file("case.db")
        var options = CaseIngest.Options(paths: [folder.file("dump")], databasePath: database)
        options.jobs = 2
        configure(&options)
        let summary = try CaseIngest(options: options).run()
        let kept = try queryInteger(
            "SELECT count(*) FROM events e JOIN files f ON f.id = e.file_id WHERE f.path = 'good.json'",
            database: database
        )
        #expect(kept == 2, "the good file's records must all be kept")
        return (summary, database, folder)
    }

    @Test(arguments: cases)
    func eachHostileFileGetsOneClearLineAndLosesNothingElse(_ hostile: HostileInput) throws {
        let (summary, database, folder) = try ingestBesideAGoodFile([(hostile.file, hostile.bytes())]) { options in
            if let limit = hostile.maximumFileBytes { options.decoder.maximumDecompressedSize = limit }
        }
        defer { withExtendedLifetime(folder) {} }
        let notes = (summary.problems + summary.skipped).filter { $0.path == hostile.file }
        #expect(notes.map(\.reason) == (hostile.message.map { [$0] } ?? []))
        #expect(notes.allSatisfy { $0.state == hostile.state })
        #expect(notes.allSatisfy { !$0.reason.contains("\n") })
        let warnings = summary.warnings.filter { $0.path == hostile.file }.map(\.message)
        #expect(warnings == (hostile.warning.map { [$0] } ?? []))
        let quotedPath = hostile.file.replacingOccurrences(of: "'", with: "''")
        let rows = try queryText(
            "SELECT status, record_count FROM files WHERE path = '\(quotedPath)'",
            database: database
        )
        #expect(rows == [[hostile.state.rawValue, String(hostile.records)]])
    }

    @Test(.enabled(if: getuid() != 0, "root reads a file whatever its mode, so the case cannot arise"))
    func anUnreadableFileIsReportedAndTheRestIngested() throws {
        let folder = try TemporaryDirectory()
        let locked = try folder.write(Hostile.gzip(), to: "dump/locked.json.gz")
        try folder.write(RecordText.delivery([RecordText.call(eventID: "good-0")]), to: "dump/good.json")
        chmod(locked, 0)
        defer { chmod(locked, 0o644) }
        let summary = try ingest([folder.file("dump")], into: folder.file("case.db"))
        #expect(
            summary.problems.map { "\($0.path): \($0.reason)" } == [
                "locked.json.gz: unable to open the file: Permission denied"
            ]
        )
        #expect(summary.newEvents == 1)
    }

    @Test func aSymlinkLoopEndsTheWalkAndIsReported() throws {
        let folder = try TemporaryDirectory()
        try folder.write(RecordText.delivery([RecordText.call(eventID: "good-0")]), to: "dump/sub/good.json")
        try FileManager.default.createSymbolicLink(atPath: folder.file("dump/sub/up"), withDestinationPath: "..")
        try FileManager.default.createSymbolicLink(atPath: folder.file("dump/self"), withDestinationPath: "self")
        let summary = try ingest([folder.file("dump")], into: folder.file("case.db"))
        #expect(summary.newEvents == 1)
        #expect(summary.problems.map(\.reason) == ["unable to read: Too many levels of symbolic links"])
    }
}
