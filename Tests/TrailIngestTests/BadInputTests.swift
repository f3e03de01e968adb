import Foundation
import TestSupport
import Testing

@testable import TrailIngest

/// A file of `Fixtures/bad-inputs` and what reading it must give.
struct BadInput: CustomTestStringConvertible, Sendable {
    var file: String
    var state: FileState
    var message: String?
    var warning: String?

    var testDescription: String { file }
}

struct BadInputTests {
    static let cases: [BadInput] = [
        .init(file: "truncated.json.gz", state: .partial, message: "gzip data is truncated (at byte 1152)"),
        .init(
            file: "bad-crc.json.gz",
            state: .partial,
            message: "gzip CRC-32 check failed: the data is damaged (at byte 912)"
        ),
        .init(
            file: "not-gzip.json.gz",
            state: .failed,
            message: "not gzip data: the name ends in .gz but the gzip magic bytes are missing"
        ),
        .init(file: "empty.json.gz", state: .failed, message: "the file is empty"),
        .init(
            file: "syntax-error.json.gz",
            state: .partial,
            message: "JSON syntax error: expected ',' or '}' but found '\"' (at byte 4311 of the decompressed data)"
        ),
        .init(
            file: "concatenated.json.gz",
            state: .ok,
            warning: "a second gzip member starts at byte 842; CloudTrail writes one, and its digest covers only "
                + "the first: records after it are kept but marked (possible tampering)"
        ),
        .init(
            file: "trailing-garbage.json.gz",
            state: .ok,
            warning: "37 bytes of data that is not gzip follow the gzip data at byte 841; CloudTrail's digest "
                + "does not cover them (possible tampering)"
        ),
        .init(
            file: "invalid-utf8.json.gz",
            state: .partial,
            message: "JSON text is not valid UTF-8 (at byte 2431 of the decompressed data)"
        ),
        .init(
            file: "lone-surrogate.json",
            state: .partial,
            message: "JSON string holds a lone UTF-16 surrogate escape (at byte 1387)"
        ),
        .init(
            file: "deep-nesting.json.gz",
            state: .partial,
            message: "JSON nesting is deeper than 512 levels (at byte 2119 of the decompressed data)"
        ),
        .init(
            file: "duplicate-keys.json.gz",
            state: .ok,
            warning: "record 1 repeats the key 'eventName' (at byte 1347 of the decompressed data)"
        ),
        .init(
            file: "control-char.json.gz",
            state: .partial,
            message:
                "JSON string holds an unescaped control character byte 0x01 (at byte 1434 of the decompressed data)"
        ),
        .init(file: "good-plain.json", state: .ok),
    ]

    @Test(arguments: cases)
    func readsWhatItCanAndNamesTheDamage(_ badInput: BadInput) throws {
        let expected = try #require(try Fixtures.json("bad-inputs.expected.json")[badInput.file] as? [String: Any])
        let (outcome, records) = try decodeFile(
            Fixtures.path("bad-inputs/\(badInput.file)"),
            root: Fixtures.path("bad-inputs")
        )
        #expect(outcome.state == badInput.state)
        #expect(outcome.message == badInput.message)
        #expect(outcome.warnings == (badInput.warning.map { [$0] } ?? []))

        // The generator computed how many whole records precede the damage; a second member's
        // records are kept too, marked.
        let kept =
            badInput.file == "concatenated.json.gz" || badInput.file == "duplicate-keys.json.gz"
            ? expected["recordsTotal"] as? Int : expected["recordsBeforeDamage"] as? Int
        #expect(records.count == kept)
        if let offset = expected["damageOffset"] as? Int, badInput.message != nil, offset > 0 {
            #expect(outcome.damageOffset == offset)
        }
    }

    @Test func reportsAFileThatCannotBeRead() throws {
        let folder = try TemporaryDirectory()
        try FileManager.default.createSymbolicLink(
            atPath: folder.file("gone.json.gz"),
            withDestinationPath: "/nonexistent"
        )
        var discovery = Discovery()
        discovery.add(path: folder.path)
        #expect(discovery.files.isEmpty)
        #expect(discovery.failures.map(\.path) == [folder.file("gone.json.gz")])
        #expect(discovery.failures.first?.error.message == "No such file or directory")
    }
}
