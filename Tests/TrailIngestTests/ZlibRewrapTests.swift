import Foundation
import TestSupport
import Testing

@testable import TrailIngest

/// A gzip file's deflate data kept as a zlib stream: the case database stores log files this way.
struct ZlibRewrapTests {
    private let text = RecordText.delivery((0..<5).map { RecordText.call(eventID: "event-\($0)") })

    /// `Gzip.compress`'s member with the optional header fields of RFC 1952 spliced in.
    private func member(extra: [UInt8]? = nil, name: String? = nil, comment: String? = nil) -> [UInt8] {
        let plain = Gzip.compress(text)
        var flags: UInt8 = 0
        var fields: [UInt8] = []
        if let extra {
            flags |= 0x04
            fields += [UInt8(extra.count & 0xFF), UInt8(extra.count >> 8)] + extra
        }
        if let name {
            flags |= 0x08
            fields += Array(name.utf8) + [0]
        }
        if let comment {
            flags |= 0x10
            fields += Array(comment.utf8) + [0]
        }
        var header = Array(plain.prefix(10))
        header[3] = flags
        return header + fields + plain.dropFirst(10)
    }

    private func adler32(of bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBytes { ZlibRewrap.adler32(ZlibRewrap.initialAdler32, $0) }
    }

    @Test(
        arguments: [
            (nil, nil, nil), ([1, 2, 3], nil, nil), (nil, "log.json", nil), (nil, nil, "a comment"),
            ([9], "name", "comment"),
        ] as [([UInt8]?, String?, String?)]
    )
    func aMemberWithAnyHeaderFieldsBecomesAZlibStreamOfItsContent(
        extra: [UInt8]?,
        name: String?,
        comment: String?
    ) throws {
        let file = member(extra: extra, name: name, comment: comment)
        #expect(Gzip.decompress(file) == Array(text.utf8), "the spliced member is valid gzip")
        let content = Array(text.utf8)
        let stream = try #require(
            file.withUnsafeBytes { ZlibRewrap.zlibStream(ofMember: $0, adler32: adler32(of: content)) }
        )
        #expect(Zlib.inflate(stream, size: content.count) == content)
    }

    @Test func aWrongChecksumIsCaughtByZlib() throws {
        let file = Gzip.compress(text)
        let stream = try #require(file.withUnsafeBytes { ZlibRewrap.zlibStream(ofMember: $0, adler32: 12345) })
        #expect(Zlib.inflate(stream, size: text.utf8.count) == nil)
    }

    @Test func headersThatAreNotWholeValidGzipAreRefused() {
        let file = Gzip.compress(text)
        var notDeflate = file
        notDeflate[2] = 7
        var reservedFlag = file
        reservedFlag[3] = 0x20
        var unendedName = Array(file.prefix(10))
        unendedName[3] = 0x08
        unendedName += Array(repeating: 0x41, count: 20)
        for bytes in [notDeflate, reservedFlag, unendedName, Array(file.prefix(17)), [0x1F, 0x8C] + file.dropFirst(2)] {
            #expect(bytes.withUnsafeBytes { ZlibRewrap.headerLength(of: $0) } == nil)
        }
    }

    // MARK: - What the decoder keeps

    private func decode(_ bytes: [UInt8], keeping: Bool = true, chunkSize: Int? = nil) throws -> FileOutcome {
        let folder = try TemporaryDirectory()
        let path = try folder.write(bytes, to: "log.json.gz")
        var configuration = FileDecoder.Configuration()
        configuration.keepsZlibContent = keeping
        if let chunkSize { configuration.chunkSize = chunkSize }
        return try decodeFile(path, root: folder.path, configuration: configuration).0
    }

    @Test func theDecoderKeepsACleanSingleMemberFileAsZlib() throws {
        let outcome = try decode(member(name: "x.json"))
        let stream = try #require(outcome.zlibContent)
        #expect(Zlib.inflate(stream, size: outcome.decompressedBytes) == Array(text.utf8))
    }

    @Test func theDecoderKeepsNothingUnlessAskedOrWhenTheFileIsNotOneCleanMember() throws {
        let file = Gzip.compress(text)
        #expect(try decode(file, keeping: false).zlibContent == nil, "not asked")
        #expect(try decode(file + file).zlibContent == nil, "two members")
        #expect(try decode(file + Array("trailing".utf8)).zlibContent == nil, "data after the member")
        #expect(try decode(Array(file.dropLast(3))).zlibContent == nil, "truncated")
        #expect(try decode(file, chunkSize: file.count / 2).zlibContent == nil, "more than one read")
        #expect(try decode(file, chunkSize: file.count).zlibContent != nil, "exactly one read")
    }
}
