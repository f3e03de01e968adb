import Foundation
import TrailIngest

/// Hands files to decoding threads and their records, in file order, to the single writer.
///
/// Workers claim files in order, at most `window` files ahead of the writer, and each file's
/// records wait in a queue bounded by `bytesPerFile`. Small files may run further ahead, up to
/// `smallFileWindow` files, while everything queued stays under `smallFileBytes`: a dump of
/// thousands of files holding a few records each would otherwise keep the workers waiting on
/// the writer after every file. Memory is therefore bounded by `window × bytesPerFile +
/// smallFileBytes` plus one record per worker, whatever the size of the files.
///
/// A thread is woken only when what it waits for may have happened: the writer when its
/// current file gets an item, workers when the writer moves on or drains a full queue.
// @unchecked Sendable: every mutable property is read and written only while holding
// `condition`, which also provides the waiting.
final class WorkQueue: @unchecked Sendable {
    enum Item {
        case records([EventRecord], RawBlocks.Packed, bytes: Int)
        case finished(FileOutcome)
    }

    /// Thrown to a worker when the writer has stopped.
    struct Cancelled: Error {}

    private let condition = NSCondition()
    private let fileCount: Int
    private let window: Int
    private let bytesPerFile: Int
    private let smallFileWindow: Int
    private let smallFileBytes: Int
    private var nextToClaim = 0
    private var writerIndex = 0
    private var queues: [Int: (items: [Item], bytes: Int)] = [:]
    private var queuedBytes = 0
    private var isCancelled = false

    init(fileCount: Int, window: Int, bytesPerFile: Int, smallFileWindow: Int = 64, smallFileBytes: Int = 16 << 20) {
        self.fileCount = fileCount
        self.window = max(1, window)
        self.bytesPerFile = bytesPerFile
        self.smallFileWindow = max(self.window, smallFileWindow)
        self.smallFileBytes = smallFileBytes
    }

    /// Whether a worker may claim the next file now, without waiting.
    var mayClaimNow: Bool {
        condition.lock()
        defer { condition.unlock() }
        return mayClaim
    }

    /// Whether a worker may claim file `nextToClaim` now; the caller holds `condition`.
    private var mayClaim: Bool {
        let ahead = nextToClaim - writerIndex
        return ahead < window || (ahead < smallFileWindow && queuedBytes < smallFileBytes)
    }

    /// Claims the next file for a worker, waiting while it is too far ahead of the writer.
    ///
    /// - Returns: The file's index, or `nil` when no work is left.
    func claim() -> Int? {
        condition.lock()
        defer { condition.unlock() }
        while !isCancelled && nextToClaim < fileCount && !mayClaim {
            condition.wait()
        }
        guard !isCancelled, nextToClaim < fileCount else { return nil }
        let index = nextToClaim
        nextToClaim += 1
        queues[index] = ([], 0)
        return index
    }

    /// Queues an item of file `index`, waiting while the file's queue is full.
    func put(_ item: Item, for index: Int) throws(Cancelled) {
        condition.lock()
        defer { condition.unlock() }
        var size = 0
        if case .records(_, _, let bytes) = item { size = bytes }
        while !isCancelled && size > 0 && (queues[index]?.bytes ?? 0) > bytesPerFile {
            condition.wait()
        }
        if isCancelled { throw Cancelled() }
        queues[index]?.items.append(item)
        queues[index]?.bytes += size
        queuedBytes += size
        // Only the writer waits for items, and only for its current file's.
        if index == writerIndex { condition.broadcast() }
    }

    /// Takes the next item of file `index`, the writer's current file, waiting for one.
    func take(from index: Int) -> Item {
        condition.lock()
        defer { condition.unlock() }
        while queues[index]?.items.isEmpty ?? true {
            condition.wait()
        }
        guard var queue = queues[index], !queue.items.isEmpty else {
            preconditionFailure("the wait above ends only when file \(index) has an item")
        }
        let item = queue.items.removeFirst()
        switch item {
        case .records(_, _, let bytes):
            let wasFull = queue.bytes > bytesPerFile
            queue.bytes -= bytes
            queuedBytes -= bytes
            queues[index] = queue
            // A worker waits in `put` only on a full queue; one in `claim` waits on the total
            // only while it is over the small-file budget.
            if wasFull || queuedBytes + bytes >= smallFileBytes { condition.broadcast() }
        case .finished:
            queues[index] = nil
            writerIndex = index + 1
            condition.broadcast()
        }
        return item
    }

    /// Stops every worker: claims return `nil` and puts throw.
    func cancel() {
        condition.lock()
        isCancelled = true
        condition.broadcast()
        condition.unlock()
    }
}
