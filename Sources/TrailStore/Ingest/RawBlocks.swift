import CDeflate
import TrailIngest

/// Raw records packed into compressed blocks, the way the case database stores them.
///
/// One record compressed alone shrinks to about half, since most of it is ids and addresses;
/// records of one file compressed together shrink to about a fifth, because they repeat each
/// other's field names, accounts and agents. A block holds whole records of one file, about
/// ``targetSize`` bytes of them, so reading one record back inflates only its block.
///
/// A block's `data` is in the zlib format, or the records themselves when compressing would not
/// make them smaller; `size` is the records' length, so `size == data.count` means stored as is.
/// That is the convention of SQLite archives, so the sqlite3 shell's `sqlar_uncompress(data,
/// size)` reads a block without trailhound.
package enum RawBlocks {
    /// The uncompressed bytes a block gathers before the next record starts a new one.
    ///
    /// On records of the generated dump, blocks of 16, 24 and 64 KiB compressed to 4.3, 4.8
    /// and 5.8 times smaller, and took 14, 18 and 39 µs to inflate: 24 KiB keeps reading one
    /// record back cheap.
    package static let targetSize = 24 << 10

    /// The largest file kept whole as one block, decompressed: reading a record inflates its
    /// whole block, and a highly compressed file of one input chunk could otherwise be large.
    package static let maximumFileBlockSize = 16 << 20

    /// One compressed block.
    package struct Block: Sendable, Equatable {
        /// The length of the records it holds.
        package var size: Int
        /// The zlib stream, or the records themselves when `size == data.count`.
        package var data: [UInt8]
    }

    /// Where a record sits: its block's position in ``Packed/blocks`` and its first byte there.
    package struct Placement: Sendable, Equatable {
        package var block: Int
        package var offset: Int
        package var length: Int
    }

    /// A batch's records as blocks, with each record's place in the order given.
    package struct Packed: Sendable {
        package var blocks: [Block] = []
        package var placements: [Placement] = []
    }

    /// Packs `records`, in order, into blocks of about ``targetSize`` bytes.
    package static func pack(_ records: [[UInt8]], with compressor: Compressor) -> Packed {
        var packed = Packed()
        packed.placements.reserveCapacity(records.count)
        var pending: [UInt8] = []
        pending.reserveCapacity(targetSize + 4096)
        for record in records {
            if !pending.isEmpty && pending.count + record.count > targetSize {
                packed.blocks.append(compressor.block(of: pending))
                pending.removeAll(keepingCapacity: true)
            }
            packed.placements.append(Placement(block: packed.blocks.count, offset: pending.count, length: record.count))
            pending.append(contentsOf: record)
        }
        if !pending.isEmpty {
            packed.blocks.append(compressor.block(of: pending))
        }
        return packed
    }

    /// All the records of a CloudTrail log file in one block: the file's own deflate data, as
    /// the decoder kept it (``FileOutcome/zlibContent``), with each record at its offset.
    ///
    /// Compressing the records again costs about a quarter of decoding them, and CloudTrail's
    /// whole-file compression is tighter than blocks of ``targetSize``: on the generated dump,
    /// blocks took 343 MB and the files' own data 230 MB. Only `records+gzip` files qualify,
    /// whose records are slices of the decompressed text; records embedded as JSON strings are
    /// not.
    ///
    /// - Returns: `nil` when the file does not qualify; the records are then packed in blocks.
    package static func packFile(_ records: [EventRecord], outcome: FileOutcome) -> Packed? {
        guard outcome.format == "records+gzip", let stream = outcome.zlibContent,
            stream.count != outcome.decompressedBytes, outcome.decompressedBytes <= maximumFileBlockSize,
            records.allSatisfy({ $0.gzipMember == 0 && $0.byteOffset + $0.raw.count <= outcome.decompressedBytes })
        else { return nil }
        return Packed(
            blocks: [Block(size: outcome.decompressedBytes, data: stream)],
            placements: records.map { Placement(block: 0, offset: $0.byteOffset, length: $0.raw.count) }
        )
    }

    /// The records of a stored block, or `nil` when the data is not what `size` says.
    package static func unpack(_ data: UnsafeRawBufferPointer, size: Int, with decompressor: Decompressor) -> [UInt8]? {
        guard size >= 0 else { return nil }
        if size == data.count {
            return Array(data)
        }
        return decompressor.inflate(data, size: size)
    }

    /// A libdeflate compressor at level 1, one per thread.
    ///
    /// On these blocks it compresses about 350 MB/s against zlib's 120, at a ratio within a
    /// tenth of level 6's.
    package final class Compressor {
        private let handle: OpaquePointer

        package init() {
            guard let handle = libdeflate_alloc_compressor(1) else {
                fatalError("libdeflate could not allocate a compressor: out of memory")
            }
            self.handle = handle
        }

        deinit {
            libdeflate_free_compressor(handle)
        }

        /// `bytes` compressed, or kept as they are when that is not smaller.
        package func block(of bytes: [UInt8]) -> Block {
            let bound = libdeflate_zlib_compress_bound(handle, bytes.count)
            var output = [UInt8](repeating: 0, count: bound)
            let written = bytes.withUnsafeBytes { input in
                output.withUnsafeMutableBytes { out in
                    libdeflate_zlib_compress(handle, input.baseAddress, input.count, out.baseAddress, out.count)
                }
            }
            guard written > 0, written < bytes.count else {
                return Block(size: bytes.count, data: bytes)
            }
            output.removeSubrange(written...)
            return Block(size: bytes.count, data: output)
        }
    }

    /// A libdeflate decompressor, one per thread.
    package final class Decompressor {
        private let handle: OpaquePointer

        package init() {
            guard let handle = libdeflate_alloc_decompressor() else {
                fatalError("libdeflate could not allocate a decompressor: out of memory")
            }
            self.handle = handle
        }

        deinit {
            libdeflate_free_decompressor(handle)
        }

        /// The zlib stream `data` inflated, or `nil` unless it holds exactly `size` bytes.
        func inflate(_ data: UnsafeRawBufferPointer, size: Int) -> [UInt8]? {
            var output = [UInt8](repeating: 0, count: size)
            var actual = 0
            let status = output.withUnsafeMutableBytes { out in
                libdeflate_zlib_decompress(handle, data.baseAddress, data.count, out.baseAddress, size, &actual)
            }
            guard status == LIBDEFLATE_SUCCESS, actual == size else { return nil }
            return output
        }
    }
}

@available(*, unavailable)
extension RawBlocks.Compressor: Sendable {}

@available(*, unavailable)
extension RawBlocks.Decompressor: Sendable {}
