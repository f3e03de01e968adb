import Foundation
import TestSupport
import Testing

@testable import TrailStore

/// Reproducible bytes for tests: SplitMix64, so a failure can be replayed.
private struct SeededBytes {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }

    /// `count` bytes with no pattern a compressor could use.
    mutating func bytes(count: Int) -> [UInt8] {
        (0..<count).map { _ in UInt8(truncatingIfNeeded: next()) }
    }
}

/// Records that compress as CloudTrail's do: the same fields again and again.
private func record(_ index: Int, length: Int) -> [UInt8] {
    let text = RecordText.call(eventID: "event-\(index)")
    let repeated = String(repeating: text, count: length / text.utf8.count + 1)
    return Array(repeated.utf8.prefix(length))
}

/// The records `packed` holds, read back through ``RawBlocks/unpack(_:size:with:)``.
private func unpacked(_ packed: RawBlocks.Packed) throws -> [[UInt8]] {
    let decompressor = RawBlocks.Decompressor()
    let blocks = try packed.blocks.map { block in
        let records = block.data.withUnsafeBytes { data in
            RawBlocks.unpack(data, size: block.size, with: decompressor)
        }
        return try #require(records)
    }
    return packed.placements.map { placement in
        Array(blocks[placement.block][placement.offset..<placement.offset + placement.length])
    }
}

struct RawBlocksTests {
    @Test func packsAndUnpacksRecordsOfEverySize() throws {
        let large = RawBlocks.targetSize + 5_000
        let lengths = [1, 2, 700, 1_500, 9_000, large, 40, 3_000, 24_000, 12_000, 12_000]
        let records = lengths.enumerated().map { record($0.offset, length: $0.element) }
        let packed = RawBlocks.pack(records, with: RawBlocks.Compressor())
        #expect(try unpacked(packed) == records)

        #expect(packed.placements.map(\.length) == lengths)
        var expectedOffset = 0
        for (index, placement) in packed.placements.enumerated() {
            let previous = index > 0 ? packed.placements[index - 1].block : 0
            if placement.block != previous {
                #expect(placement.block == previous + 1, "blocks are filled in order")
                expectedOffset = 0
            }
            #expect(placement.offset == expectedOffset, "record \(index) follows the one before it")
            expectedOffset += placement.length
        }
        for (index, block) in packed.blocks.enumerated() {
            let held = packed.placements.filter { $0.block == index }
            #expect(block.size == held.reduce(0) { $0 + $1.length })
            #expect(
                block.size <= RawBlocks.targetSize || held.count == 1,
                "only a record larger than the target fills a block past it"
            )
            #expect(block.data.count < block.size, "repeated text compresses")
        }
        let largeBlock = packed.placements[5].block
        #expect(packed.placements.filter { $0.block == largeBlock }.count == 1, "alone in its block")
        #expect(packed.blocks.count == 5)
    }

    @Test func packsNothingIntoNoBlocks() throws {
        let packed = RawBlocks.pack([], with: RawBlocks.Compressor())
        #expect(packed.blocks.isEmpty)
        #expect(packed.placements.isEmpty)
    }

    @Test func keepsIncompressibleBytesAsTheyAre() throws {
        var random = SeededBytes(seed: 42)
        let records = [random.bytes(count: 5_000), random.bytes(count: 3)]
        let packed = RawBlocks.pack(records, with: RawBlocks.Compressor())
        let block = try #require(packed.blocks.first)
        #expect(packed.blocks.count == 1)
        #expect(block.size == block.data.count, "stored, as sqlar_uncompress expects")
        #expect(block.data == records[0] + records[1])
        #expect(try unpacked(packed) == records)
    }

    @Test func refusesDamagedDataAndWrongSizes() throws {
        let records = (0..<20).map { record($0, length: 1_000) }
        let block = try #require(RawBlocks.pack(records, with: RawBlocks.Compressor()).blocks.first)
        try #require(block.data.count < block.size)
        let decompressor = RawBlocks.Decompressor()
        func unpack(_ data: [UInt8], size: Int) -> [UInt8]? {
            data.withUnsafeBytes { RawBlocks.unpack($0, size: size, with: decompressor) }
        }

        #expect(unpack(block.data, size: block.size) == records.flatMap { $0 })
        #expect(unpack(block.data, size: block.size + 1) == nil)
        #expect(unpack(block.data, size: block.size - 1) == nil)
        #expect(unpack(block.data, size: -1) == nil)
        #expect(unpack(Array(block.data.dropLast(4)), size: block.size) == nil, "no checksum")
        for position in [0, 2, block.data.count / 2, block.data.count - 1] {
            var damaged = block.data
            damaged[position] ^= 0x5A
            #expect(unpack(damaged, size: block.size) == nil, "byte \(position) changed")
        }
    }
}

/// The SQL function `raw_record(raw, raw_block, raw_offset, raw_length)` on a connection.
struct RawRecordFunctionTests {
    /// A migrated database holding one block of `records` as block 1.
    private static func connection(
        in folder: TemporaryDirectory,
        records: [[UInt8]],
        damage: (inout [UInt8]) -> Void = { _ in }
    ) throws -> Connection {
        let connection = try Connection(path: folder.file("c.db"))
        try Schema.migrate(connection)
        var block = try #require(RawBlocks.pack(records, with: RawBlocks.Compressor()).blocks.first)
        damage(&block.data)
        let insert = try connection.makeStatement(
            sql: "INSERT INTO raw_blocks (id, size, data) VALUES (1, ?, ?)"
        )
        try insert.run([.integer(Int64(block.size)), .blob(block.data)])
        return connection
    }

    private static func rawRecord(
        _ arguments: String,
        on connection: Connection
    ) throws -> [[SQLiteValue]] {
        try connection.makeStatement(sql: "SELECT raw_record(\(arguments))").rows()
    }

    private static let records = (0..<3).map { Array(RecordText.call(eventID: "r\($0)").utf8) }

    @Test func readsARecordOutOfItsBlock() throws {
        let folder = try TemporaryDirectory()
        let connection = try Self.connection(in: folder, records: Self.records)
        let offset = Self.records[0].count
        let rows = try Self.rawRecord("'', 1, \(offset), \(Self.records[1].count)", on: connection)
        #expect(rows == [[.text(RecordText.call(eventID: "r1"))]])
    }

    @Test func returnsRawWhenTheRowHasNoBlock() throws {
        let folder = try TemporaryDirectory()
        let connection = try Self.connection(in: folder, records: Self.records)
        let old: [[SQLiteValue]] = [[.text(#"{"old":1}"#)]]
        #expect(try Self.rawRecord(#"'{"old":1}', NULL, NULL, NULL"#, on: connection) == old)
        #expect(try Self.rawRecord(#"'{"old":1}', NULL, 0, 5"#, on: connection) == old)
    }

    @Test func aDamagedBlockIsAnSQLError() throws {
        let folder = try TemporaryDirectory()
        let connection = try Self.connection(in: folder, records: Self.records) { data in
            data[data.count / 2] ^= 0xFF
        }
        let error = try #require(throws: SQLiteError.self) {
            try Self.rawRecord("'', 1, 0, 10", on: connection)
        }
        #expect(error.code == 1)
        #expect(error.message == "raw_record: block 1 of raw_blocks is missing or damaged")
        #expect(error.description.hasSuffix("in 'SELECT raw_record('', 1, 0, 10)'"))
    }

    @Test func aMissingBlockIsAnSQLError() throws {
        let folder = try TemporaryDirectory()
        let connection = try Self.connection(in: folder, records: Self.records)
        let error = try #require(throws: SQLiteError.self) {
            try Self.rawRecord("'', 7, 0, 10", on: connection)
        }
        #expect(error.message == "raw_record: block 7 of raw_blocks is missing or damaged")
    }

    @Test(arguments: [(-1, 10), (0, 0), (0, -3), (1, Int.max / 2)])
    func aPlaceOutsideTheBlockIsAnSQLError(offset: Int, length: Int) throws {
        let folder = try TemporaryDirectory()
        let connection = try Self.connection(in: folder, records: Self.records)
        let error = try #require(throws: SQLiteError.self) {
            try Self.rawRecord("'', 1, \(offset), \(length)", on: connection)
        }
        #expect(error.code == 1)
        #expect(error.message == "raw_record: bytes \(offset)+\(length) lie outside block 1")
    }

    @Test func aRecordRunningPastTheEndOfItsBlockIsAnSQLError() throws {
        let folder = try TemporaryDirectory()
        let connection = try Self.connection(in: folder, records: Self.records)
        let size = Self.records.reduce(0) { $0 + $1.count }
        #expect(try Self.rawRecord("'', 1, \(size - 5), 5", on: connection).first?.first != nil)
        let error = try #require(throws: SQLiteError.self) {
            try Self.rawRecord("'', 1, \(size - 5), 6", on: connection)
        }
        #expect(error.message == "raw_record: bytes \(size - 5)+6 lie outside block 1")
    }
}
