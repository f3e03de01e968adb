import Dispatch
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Work split across the machine's cores, for the few commands whose one job is big enough.
package enum Parallel {
    /// How many parts to split work into: one per core, at most `limit`.
    package static func partCount(limit: Int) -> Int {
        max(1, min(limit, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))))
    }

    /// The results of `work(0)`, `work(1)` … `work(count - 1)`, computed at once, in order.
    ///
    /// - Throws: The error of the lowest-numbered part that failed, after every part ended.
    package static func map<T: Sendable, Failure: Error>(
        _ count: Int,
        _ work: @Sendable (Int) throws(Failure) -> T
    ) throws(Failure) -> [T] {
        guard count > 1 else { return try (0..<max(count, 0)).map(work) }
        let results = Mutex<[Int: Result<T, Failure>]>([:])
        DispatchQueue.concurrentPerform(iterations: count) { part in
            let result = Result { () throws(Failure) -> T in try work(part) }
            results.withLock { $0[part] = result }
        }
        let finished = results.withLock { $0 }
        var values: [T] = []
        values.reserveCapacity(count)
        for part in 0..<count {
            guard let result = finished[part] else {
                preconditionFailure("concurrentPerform returns only after every iteration ran")
            }
            values.append(try result.get())
        }
        return values
    }

    /// `range` cut into `count` consecutive slices of nearly equal length, none empty.
    package static func slices(of range: Range<Int>, count: Int) -> [Range<Int>] {
        let parts = max(1, min(count, range.count))
        return (0..<parts).map { part in
            let lower = range.lowerBound + range.count * part / parts
            let upper = range.lowerBound + range.count * (part + 1) / parts
            return lower..<upper
        }
    }

    /// Writes `render(range)` for consecutive ranges covering `0..<count`, in order, rendering
    /// several ranges at once when there is enough to share.
    package static func write(
        _ count: Int,
        to output: inout some TextOutputStream,
        render: @Sendable (Range<Int>) -> String
    ) {
        let parts = count < piece * 2 ? 1 : partCount(limit: 4)
        var start = 0
        while start < count {
            let batch = start..<min(count, start + piece * parts)
            let ranges = slices(of: batch, count: parts)
            for text in map(ranges.count, { render(ranges[$0]) }) { output.write(text) }
            start = batch.upperBound
        }
    }

    /// How many items `write` renders in one go on each core.
    private static let piece = 2_048
}
