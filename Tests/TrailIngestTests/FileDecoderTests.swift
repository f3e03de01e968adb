import Foundation
import TestSupport
import Testing

@testable import TrailIngest

/// Decodes the file at `path`, collecting its records.
func decodeFile(
    _ path: String,
    root: String,
    configuration: FileDecoder.Configuration = FileDecoder.Configuration()
) throws -> (FileOutcome, [EventRecord]) {
    var discovery = Discovery()
    discovery.add(path: path)
    let file = try #require(discovery.files.first)
    var records: [EventRecord] = []
    let outcome = try FileDecoder(configuration: configuration).decode(file) { records.append($0) }
    return (outcome, records)
}

struct FileDecoderTests {
    private let records = (0..<3).map { RecordText.call(eventID: "event-\($0)") }

    @Test func readsGzipAndHashesTheFileAndItsContent() throws {
        let folder = try TemporaryDirectory()
        let text = RecordText.delivery(records)
        let gzip = Gzip.compress(text)
        let path = try folder.write(gzip, to: "log.json.gz")

        let (outcome, decoded) = try decodeFile(path, root: folder.path)
        #expect(outcome.state == .ok)
        #expect(outcome.format == "records+gzip")
        #expect(outcome.fileSHA256 == SHA256.hex(of: gzip))
        #expect(outcome.contentSHA256 == SHA256.hex(of: Array(text.utf8)))
        #expect(decoded.map { String(decoding: $0.raw, as: UTF8.self) } == records)
        #expect(decoded.map(\.recordIndex) == [0, 1, 2])
        #expect(decoded.allSatisfy { $0.gzipMember == 0 })
    }

    @Test func aWrongLengthInTheTrailerIsReportedAsZlibFindsIt() throws {
        // libdeflate reads small files whole, sized by the trailer; a lying trailer must fall
        // back to the streaming path and its diagnostics, not lose or invent records.
        let folder = try TemporaryDirectory()
        var gzip = Gzip.compress(RecordText.delivery(records))
        for (offset, delta) in [(4, 1), (4, -1)] {
            var damaged = gzip
            let position = damaged.count - offset
            damaged[position] = UInt8(truncatingIfNeeded: Int(damaged[position]) + delta)
            let path = try folder.write(damaged, to: "log-\(delta).json.gz")
            let (outcome, decoded) = try decodeFile(path, root: folder.path)
            #expect(outcome.state == .partial)
            #expect(outcome.message == "gzip length check failed: the data is damaged (at byte \(gzip.count - 4))")
            #expect(decoded.map { String(decoding: $0.raw, as: UTF8.self) } == records)
        }
        gzip[gzip.count - 1] = 0xFF
        let path = try folder.write(gzip, to: "huge.json.gz")
        #expect(try decodeFile(path, root: folder.path).0.message?.hasPrefix("gzip length check failed") == true)
    }

    @Test func recognisesGzipByContentNotByName() throws {
        let folder = try TemporaryDirectory()
        let path = try folder.write(Gzip.compress(RecordText.delivery(records)), to: "no-extension")
        let (outcome, decoded) = try decodeFile(path, root: folder.path)
        #expect(outcome.state == .ok)
        #expect(decoded.count == 3)
    }

    @Test func marksRecordsOfASecondMember() throws {
        let folder = try TemporaryDirectory()
        let forged = RecordText.call(eventID: "forged")
        let bytes = Gzip.compress(RecordText.delivery(records)) + Gzip.compress(RecordText.delivery([forged]))
        let path = try folder.write(bytes, to: "two.json.gz")

        let (outcome, decoded) = try decodeFile(path, root: folder.path)
        #expect(outcome.state == .ok)
        #expect(outcome.gzipMembers == 2)
        #expect(decoded.map(\.gzipMember) == [0, 0, 0, 1])
        #expect(outcome.contentSHA256 == SHA256.hex(of: Array(RecordText.delivery(records).utf8)))
        #expect(outcome.warnings.count == 1)
        #expect(outcome.warnings.first?.contains("second gzip member starts at byte") == true)
    }

    @Test func warnsAboutTrailingData() throws {
        let folder = try TemporaryDirectory()
        let member = Gzip.compress(RecordText.delivery(records))
        let path = try folder.write(member + Array("junk!".utf8), to: "t.json.gz")
        let (outcome, decoded) = try decodeFile(path, root: folder.path)
        #expect(outcome.state == .ok)
        #expect(decoded.count == 3)
        #expect(
            outcome.warnings == [
                "5 bytes of data that is not gzip follow the gzip data at byte \(member.count); "
                    + "CloudTrail's digest does not cover them (possible tampering)"
            ]
        )
        #expect(outcome.fileSHA256 == SHA256.hex(of: member + Array("junk!".utf8)))
    }

    @Test func stopsAtTheDecompressionLimit() throws {
        let folder = try TemporaryDirectory()
        let big = RecordText.delivery((0..<200).map { RecordText.call(eventID: "e\($0)") })
        let path = try folder.write(Gzip.compress(big), to: "bomb.json.gz")
        var configuration = FileDecoder.Configuration()
        configuration.maximumDecompressedSize = 10_000
        configuration.chunkSize = 4_096
        let (outcome, decoded) = try decodeFile(path, root: folder.path, configuration: configuration)
        #expect(outcome.state == .partial)
        #expect(outcome.reason == "the decompressed data exceeds the limit of 10000 bytes")
        #expect(!decoded.isEmpty && decoded.count < 200)
    }

    @Test func streamsAFileMuchLargerThanItsChunks() throws {
        let folder = try TemporaryDirectory()
        let many = (0..<5_000).map { RecordText.call(eventID: "id-\($0)") }
        let path = try folder.write(Gzip.compress(RecordText.delivery(many)), to: "big.json.gz")
        var configuration = FileDecoder.Configuration()
        configuration.chunkSize = 1_000
        let (outcome, decoded) = try decodeFile(path, root: folder.path, configuration: configuration)
        #expect(outcome.state == .ok)
        #expect(decoded.count == 5_000)
        #expect(decoded.last.map { String(decoding: $0.raw, as: UTF8.self) } == many.last)
    }

    @Test func skipsFilesThatAreNotLogs() throws {
        let folder = try TemporaryDirectory()
        let notes = try folder.write("hello", to: "notes.txt")
        let digest = try folder.write(
            Gzip.compress(#"{"digestStartTime":"x"}"#),
            to: "AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2026/11/02/d.json.gz"
        )
        let array = try folder.write("[]", to: "empty-array.json")
        #expect(try decodeFile(notes, root: folder.path).0.reason == "not a CloudTrail log file: neither gzip nor JSON")
        #expect(try decodeFile(digest, root: folder.path).0.reason == "CloudTrail digest file")
        #expect(try decodeFile(array, root: folder.path).0.reason == "an empty JSON array")
        #expect(try decodeFile(array, root: folder.path).0.state == .skipped)
    }

    /// Found by scripts/fuzz: a key holding a line break made a skip reason two lines long.
    @Test func quotesTextFromTheFileOnOneLineInEveryMessage() throws {
        let folder = try TemporaryDirectory()
        let keys = try folder.write(#"{"a\nb\u001b[2J":1,"\#(String(repeating: "k", count: 200))":2}"#, to: "keys.json")
        let eventBridge = try folder.write(
            #"{"detail-type":"Scheduled\r\nEvent","source":"aws.events","detail":{}}"#,
            to: "eventbridge.json"
        )
        let duplicate = try folder.write(
            RecordText.delivery([#"{"eventID":"e1","x\ny":1,"x\ny":2}"#]),
            to: "duplicate.json"
        )
        let messages = try [keys, eventBridge, duplicate].flatMap { path in
            let outcome = try decodeFile(path, root: folder.path).0
            return [outcome.reason].compactMap { $0 } + outcome.warnings
        }
        #expect(messages.count == 3, "\(messages)")
        for message in messages {
            let isOneClean = !message.contains { $0.isNewline } && !message.unicodeScalars.contains("\u{1b}")
            #expect(isOneClean, "\(message.debugDescription)")
            #expect(message.count < 200, "\(message.debugDescription)")
        }
        #expect(messages[0].contains("'a\\u{a}b\\u{1b}[2J'"))
    }
}
