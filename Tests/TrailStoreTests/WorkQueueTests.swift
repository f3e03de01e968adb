import Testing
import TrailCore
import TrailIngest

@testable import TrailStore

/// The hand-over between decoding threads and the writer.
struct WorkQueueTests {
    private static func records(bytes: Int) -> WorkQueue.Item {
        .records([], RawBlocks.Packed(), bytes: bytes)
    }

    private static let done = WorkQueue.Item.finished(FileOutcome(state: .ok))

    @Test func smallFilesRunAheadOnlyWhileTheirRecordsAreFew() throws {
        let queue = WorkQueue(fileCount: 10, window: 2, bytesPerFile: 1_000, smallFileWindow: 4, smallFileBytes: 50)
        for expected in 0..<4 {
            #expect(queue.mayClaimNow)
            #expect(queue.claim() == expected)
        }
        #expect(!queue.mayClaimNow, "four files ahead is the small-file window")

        try queue.put(Self.done, for: 0)
        _ = queue.take(from: 0)
        #expect(queue.mayClaimNow, "the writer moved on")
        #expect(queue.claim() == 4)

        try queue.put(Self.records(bytes: 60), for: 2)
        #expect(!queue.mayClaimNow)
        try queue.put(Self.done, for: 1)
        _ = queue.take(from: 1)
        #expect(!queue.mayClaimNow, "three ahead, over the window of two, with 60 bytes over the budget of 50")
        _ = queue.take(from: 2)
        #expect(queue.mayClaimNow, "the records were taken")
    }

    @Test func theWriterGetsEveryFileInOrderWhateverOrderTheyAreDecodedIn() throws {
        let fileCount = 200
        let queue = WorkQueue(
            fileCount: fileCount,
            window: 4,
            bytesPerFile: 64,
            smallFileWindow: 16,
            smallFileBytes: 256
        )
        let workers = (0..<3).map { _ in
            BackgroundWork {
                while let index = queue.claim() {
                    // Later files are quicker, so workers finish out of order.
                    for batch in 0..<(index % 5) {
                        try queue.put(Self.records(bytes: 40 + batch), for: index)
                    }
                    try queue.put(Self.done, for: index)
                }
            }
        }
        var batches: [Int] = []
        for index in 0..<fileCount {
            var count = 0
            loop: while true {
                switch queue.take(from: index) {
                case .records(_, _, let bytes):
                    #expect(bytes == 40 + count)
                    count += 1
                case .finished: break loop
                }
            }
            batches.append(count)
        }
        for worker in workers { try worker.wait().get() }
        #expect(batches == (0..<fileCount).map { $0 % 5 })
    }
}
