import Dispatch
import Foundation
import TrailIngest

/// Ingests dump folders and files into a case database.
///
/// Discovery runs first; files whose path, size and modification time match a completely read
/// file of an earlier run are not read again. The rest are decoded on worker threads and
/// written, in order, by the calling thread, each file in one transaction.
package struct CaseIngest {
    package struct Options: Sendable {
        package var paths: [String]
        package var databasePath: String
        package var jobs = max(1, ProcessInfo.processInfo.activeProcessorCount)
        package var decoder = FileDecoder.Configuration()
        package var toolVersion = "0"
        package var arguments: [String] = []
        /// Records per batch handed from a worker to the writer.
        package var batchSize = 512
        /// Decoded bytes one file may have waiting for the writer.
        package var bytesPerFile = 8 << 20

        package init(paths: [String], databasePath: String) {
            self.paths = paths
            self.databasePath = databasePath
        }
    }

    /// Where the run is, after each file.
    package struct Progress: Sendable {
        package var filesDone: Int
        package var filesToRead: Int
        package var events: Int
        package var decompressedBytes: Int
        package var elapsedSeconds: Double
    }

    private let options: Options

    package init(options: Options) {
        self.options = options
    }

    /// Runs the ingest.
    ///
    /// - Parameters:
    ///   - onStart: Called once discovery is done, with the number of files to read and of
    ///     files left alone because they are unchanged.
    ///   - onFile: Called on the calling thread after each file is committed.
    ///   - whileIndexing: Called with the number of new events once every event is stored, on
    ///     a thread of its own while the last reading indexes are built (see
    ///     ``CaseWriter/completeIndexes(newAfter:alongside:)``), or after them while another
    ///     connection keeps the database out of WAL mode; the run ends when it does.
    /// - Returns: The run's summary; per-file problems are in it, not thrown.
    /// - Throws: `SQLiteError` when the database cannot be written, or the error of
    ///   `whileIndexing`.
    package func run(
        onStart: (_ toRead: Int, _ unchanged: Int) -> Void = { _, _ in },
        onFile: (DiscoveredFile, FileOutcome, Progress) -> Void = { _, _, _ in },
        whileIndexing: (@Sendable (_ newEvents: Int) throws -> Void)? = nil
    ) throws -> IngestSummary {
        let start = DispatchTime.now()
        var summary = IngestSummary()
        var discovery = Discovery()
        for path in options.paths {
            discovery.add(path: path)
        }
        let files = discovery.sortedFiles()
        summary.filesFound = files.count + discovery.failures.count
        for failure in discovery.failures {
            summary.countsByState[.failed, default: 0] += 1
            summary.problems.append(
                .init(
                    path: failure.path,
                    state: .failed,
                    reason: "unable to read: \(failure.error.message)",
                    records: 0
                )
            )
        }

        let connection = try Connection(path: options.databasePath)
        try Schema.migrate(connection)
        let writer = try CaseWriter(connection: connection)
        let runID = try writer.beginRun(
            toolVersion: options.toolVersion,
            arguments: options.arguments,
            startedAt: EventTime.iso8601(milliseconds: Self.nowMilliseconds())
        )
        let known = try writer.knownFiles()
        let toRead = files.filter { !Self.isUnchanged($0, known: known) }
        summary.unchangedFiles = files.count - toRead.count
        // Without its reading indexes, an earlier run stopped before its end: its events are
        // checked again with this run's, and warnings already given are not repeated.
        let lastEventBefore = try writer.hasReadingIndexes() ? writer.lastEventID() : 0
        if toRead.count > known.count {
            try writer.deferReadingIndexes()
            try writer.beginBulkLoad()
        }
        onStart(toRead.count, summary.unchangedFiles)

        let queue = WorkQueue(fileCount: toRead.count, window: options.jobs * 4, bytesPerFile: options.bytesPerFile)
        let workers = startWorkers(files: toRead, queue: queue, knownContent: try writer.completeFilesByHash())
        do {
            for (index, file) in toRead.enumerated() {
                let outcome = try write(file, index: index, runID: runID, writer: writer, queue: queue, into: &summary)
                try writer.commit()
                let progress = Progress(
                    filesDone: index + 1,
                    filesToRead: toRead.count,
                    events: summary.newEvents,
                    decompressedBytes: summary.decompressedBytes,
                    elapsedSeconds: Self.seconds(since: start)
                )
                onFile(file, outcome, progress)
            }
            try writer.commit(force: true)
        } catch {
            queue.cancel()
            writer.rollBack()
            workers.wait()
            throw error
        }
        workers.wait()
        let newEvents = summary.newEvents
        if try writer.endBulkLoad() {
            var alongside: (@Sendable () throws -> Void)?
            if let whileIndexing {
                alongside = { try whileIndexing(newEvents) }
            }
            summary.warnings += try writer.completeIndexes(newAfter: lastEventBefore, alongside: alongside)
        } else {
            // Another connection kept the rollback journal: one writing beside the index builds
            // would wait for them, and they for it.
            summary.warnings += try writer.completeIndexes(newAfter: lastEventBefore)
            try whileIndexing?(newEvents)
            _ = try writer.endBulkLoad()
        }

        summary.elapsedSeconds = Self.seconds(since: start)
        try writer.finishRun(
            runID,
            summary: summary,
            finishedAt: EventTime.iso8601(milliseconds: Self.nowMilliseconds())
        )
        return summary
    }

    // MARK: - Writing

    private func write(
        _ file: DiscoveredFile,
        index: Int,
        runID: Int64,
        writer: CaseWriter,
        queue: WorkQueue,
        into summary: inout IngestSummary
    ) throws -> FileOutcome {
        try writer.beginFile(file, runID: runID)
        while true {
            switch queue.take(from: index) {
            case .records(let records, let packed, _):
                try writer.insert(records, packed: packed)
            case .finished(let outcome):
                let tally = try writer.finishFile(file, outcome: outcome)
                summary.add(file, outcome: outcome, tally: tally)
                return outcome
            }
        }
    }

    private static func isUnchanged(_ file: DiscoveredFile, known: [String: CaseWriter.KnownFile]) -> Bool {
        guard let previous = known[CaseWriter.key(root: file.root, path: file.relativePath)] else { return false }
        let isComplete = previous.state == .ok || previous.state == .skipped
        return isComplete && previous.size == file.size && previous.modificationTime == file.modificationTime
    }

    // MARK: - Decoding

    private func startWorkers(
        files: [DiscoveredFile],
        queue: WorkQueue,
        knownContent: CaseWriter.KnownContent
    ) -> DispatchGroup {
        let group = DispatchGroup()
        var configuration = options.decoder
        configuration.keepsZlibContent = true
        let decoder = FileDecoder(configuration: configuration)
        let batchSize = options.batchSize
        for _ in 0..<min(options.jobs, max(files.count, 1)) {
            group.enter()
            let thread = Thread {
                Self.decodeFiles(
                    files,
                    queue: queue,
                    decoder: decoder,
                    batchSize: batchSize,
                    knownContent: knownContent
                )
                group.leave()
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
        return group
    }

    private static func decodeFiles(
        _ files: [DiscoveredFile],
        queue: WorkQueue,
        decoder: FileDecoder,
        batchSize: Int,
        knownContent: CaseWriter.KnownContent
    ) {
        let buffers = DecodingBuffers(chunkSize: decoder.configuration.chunkSize)
        let compressor = RawBlocks.Compressor()
        func batchItem(_ batch: [EventRecord], bytes: Int) -> WorkQueue.Item {
            .records(batch, RawBlocks.pack(batch.map(\.raw), with: compressor), bytes: bytes)
        }
        while let index = queue.claim() {
            if let copy = copyOfIngestedFile(files[index], knownContent: knownContent) {
                guard (try? queue.put(.finished(copy), for: index)) != nil else { return }
                continue
            }
            var batch: [EventRecord] = []
            var batchBytes = 0
            var isFirstBatch = true
            do {
                var outcome = try decoder.decode(files[index], buffers: buffers) { record in
                    batch.append(record)
                    batchBytes += record.raw.count
                    if batch.count >= batchSize {
                        try queue.put(batchItem(batch, bytes: batchBytes), for: index)
                        batch.removeAll(keepingCapacity: true)
                        batchBytes = 0
                        isFirstBatch = false
                    }
                }
                if !batch.isEmpty {
                    let whole = isFirstBatch ? RawBlocks.packFile(batch, outcome: outcome) : nil
                    let item = whole.map { WorkQueue.Item.records(batch, $0, bytes: batchBytes) }
                    try queue.put(item ?? batchItem(batch, bytes: batchBytes), for: index)
                }
                outcome.zlibContent = nil
                try queue.put(.finished(outcome), for: index)
            } catch {
                return
            }
        }
    }

    /// Recognises a file whose bytes equal those of a file already read in full.
    ///
    /// Such a copy (a dump synced again into another folder) is skipped rather than decoded
    /// again. Only files whose size matches some ingested file are hashed, so a first ingest
    /// pays nothing for this.
    private static func copyOfIngestedFile(
        _ file: DiscoveredFile,
        knownContent: CaseWriter.KnownContent
    ) -> FileOutcome? {
        guard knownContent.sizes.contains(file.size), let hash = try? SHA256.hex(ofFileAt: file.path),
            let original = knownContent.pathsByHash[hash]
        else { return nil }
        var outcome = FileOutcome(state: .skipped, reason: "same content as '\(original)', already ingested")
        outcome.fileSHA256 = hash
        return outcome
    }

    // MARK: - Time

    private static func seconds(since start: DispatchTime) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    }

    private static func nowMilliseconds() -> Int64 {
        Int64(Date().timeIntervalSince1970 * 1_000)
    }
}
