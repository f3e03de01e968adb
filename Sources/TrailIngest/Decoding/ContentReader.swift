import CDeflate
import TrailCore

/// The state of reading one open file, from sniffing to the last record.
struct ContentReader: ~Copyable {
    private let input: ReadOnlyFile
    private let configuration: FileDecoder.Configuration
    private let fileHash = SHA256()
    private let contentHash = SHA256()
    private var splitter: RecordSplitter
    private var outcome = FileOutcome(state: .ok)
    private var compressedOffset = 0
    private var isAtEnd = false
    private var member = 0
    private var fileSize = 0
    private var isGzip = false
    private var items = ItemTally()
    /// Insights events not yet handed out: a file holding nothing else is an Insights file and
    /// is skipped, so they wait for the first other record or the end of the file.
    private var heldInsights: [EventRecord] = []
    private var heldBytes = 0
    private var hasOtherRecords = false
    /// Bytes read from the file so far, and in its first read.
    private var bytesRead = 0
    private var firstReadCount = 0
    /// Whether the Adler-32 of the first member's content is computed, for ``keptZlibContent``.
    private var isAdlerTracked = false
    private var contentAdler32 = ZlibRewrap.initialAdler32
    private var hasTrailingData = false

    init(input: consuming ReadOnlyFile, configuration: FileDecoder.Configuration) {
        self.input = input
        self.configuration = configuration
        self.splitter = RecordSplitter(maximumRecordSize: configuration.maximumRecordSize)
    }

    /// Reads the whole file and returns what happened to it.
    mutating func read(
        _ file: DiscoveredFile,
        buffers: DecodingBuffers,
        sink: (EventRecord) throws -> Void
    ) throws -> FileOutcome {
        fileSize = Int(file.size)
        do {
            let count = try fill(&buffers.input)
            guard count > 0 else { return emptyOutcome(file) }
            switch Sniffer.kind(of: buffers.input.prefix(count)) {
            case .gzip:
                isGzip = true
                firstReadCount = count
                isAdlerTracked = configuration.keepsZlibContent && count == fileSize
                if try !inflateWhole(buffers, count: count, sink: sink) {
                    try inflateAll(buffers, count: count, sink: sink)
                }
            case .json:
                try passThrough(first: &buffers.input, count: count, sink: sink)
            case .other:
                return unrecognisedOutcome(file)
            }
            try finishDocument()
            if !hasOtherRecords && !heldInsights.isEmpty { return insightsOutcome() }
            try releaseInsights(to: sink)
        } catch let damage as FileDecoder.Damage {
            try releaseInsights(to: sink)
            record(damage)
            if !isAtEnd { try? hashRemainder(&buffers.input) }
        }
        var final = finalOutcome()
        final.zlibContent = keptZlibContent(buffers.input)
        return final
    }

    /// The file as a zlib stream, when it is one clean gzip member that the first read took in
    /// whole: `input` still holds it then, since the reads after it returned nothing.
    private func keptZlibContent(_ input: [UInt8]) -> [UInt8]? {
        guard isAdlerTracked, outcome.state == .ok, outcome.gzipMembers == 1, member == 0, !hasTrailingData,
            isAtEnd, bytesRead == firstReadCount
        else { return nil }
        return input.withUnsafeBytes { bytes in
            ZlibRewrap.zlibStream(
                ofMember: UnsafeRawBufferPointer(rebasing: bytes.prefix(firstReadCount)),
                adler32: contentAdler32
            )
        }
    }

    // MARK: - Input

    private mutating func fill(_ buffer: inout [UInt8]) throws(FileDecoder.Damage) -> Int {
        var result: Result<Int, SystemError> = .success(0)
        buffer.withUnsafeMutableBytes { bytes in
            do throws(SystemError) {
                result = .success(try input.read(into: bytes))
            } catch {
                result = .failure(error)
            }
        }
        let count: Int
        switch result {
        case .success(let value):
            count = value
        case .failure(let error):
            throw FileDecoder.Damage(reason: "unable to read the file: \(error.message)", offset: compressedOffset)
        }
        buffer.withUnsafeBytes { fileHash.update(UnsafeRawBufferPointer(rebasing: $0.prefix(count))) }
        bytesRead += count
        isAtEnd = count == 0
        return count
    }

    /// Reads the rest of the file only to complete its SHA-256, after trailing data.
    private mutating func hashRemainder(_ buffer: inout [UInt8]) throws(FileDecoder.Damage) {
        while try fill(&buffer) > 0 {}
    }

    // MARK: - Plain JSON

    private mutating func passThrough(
        first chunk: inout [UInt8],
        count firstCount: Int,
        sink: (EventRecord) throws -> Void
    ) throws {
        var count = firstCount
        while count > 0 {
            try deliver(chunk, count: count, sink: sink)
            compressedOffset += count
            count = try fill(&chunk)
        }
    }

    // MARK: - Gzip

    private mutating func inflateAll(
        _ buffers: DecodingBuffers,
        count firstCount: Int,
        sink: (EventRecord) throws -> Void
    ) throws {
        let inflater: Inflater
        do { inflater = try buffers.freshInflater() } catch {
            throw FileDecoder.Damage(reason: "unable to start zlib", offset: nil)
        }
        var count = firstCount
        var isInMember = true
        var chunkStart = 0
        while count > 0 {
            var position = 0
            while position < count {
                if !isInMember {
                    guard try beginMember(buffers.input, at: position, count: count, inflater: inflater) else {
                        compressedOffset = chunkStart + count
                        try hashRemainder(&buffers.input)
                        return
                    }
                    isInMember = true
                }
                let step = inflateStep(inflater, buffers.input, from: position, to: count, into: &buffers.output)
                try deliver(buffers.output, count: step.produced, sink: sink)
                if let corruption = step.corruption {
                    throw Self.damage(corruption, at: chunkStart + position, consumed: step.consumed, member: member)
                }
                position += step.consumed
                compressedOffset = chunkStart + position
                if step.isMemberEnd {
                    isInMember = false
                    outcome.gzipMembers = member + 1
                } else if step.consumed == 0 && step.produced == 0 {
                    break
                }
            }
            chunkStart += count
            count = try fill(&buffers.input)
        }
        if isInMember {
            throw FileDecoder.Damage(reason: "gzip data is truncated", offset: compressedOffset)
        }
    }

    /// Inflates a file that the first read took in whole with one libdeflate call, when it is a
    /// single valid gzip member of at most ``DecodingBuffers/wholeFileLimit`` bytes of content.
    ///
    /// Anything else (several members, trailing data, damage, a wrong length in the trailer)
    /// makes it return `false` before handing out a byte, and the streaming zlib path reads the
    /// file instead, with its exact diagnostics.
    ///
    /// - Returns: Whether the file was read.
    private mutating func inflateWhole(
        _ buffers: DecodingBuffers,
        count: Int,
        sink: (EventRecord) throws -> Void
    ) throws -> Bool {
        guard count == fileSize, count >= 18, count < buffers.input.count, let decompressor = buffers.wholeDecompressor
        else { return false }
        let size = buffers.input.withUnsafeBytes {
            Int($0.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self).littleEndian)
        }
        guard size > 0, size <= DecodingBuffers.wholeFileLimit, size <= configuration.maximumDecompressedSize else {
            return false
        }
        if buffers.whole.count < size { buffers.whole = [UInt8](repeating: 0, count: size) }
        var consumed = 0
        var produced = 0
        let result = buffers.input.withUnsafeBytes { input in
            buffers.whole.withUnsafeMutableBytes { output in
                libdeflate_gzip_decompress_ex(
                    decompressor,
                    input.baseAddress,
                    count,
                    output.baseAddress,
                    size,
                    &consumed,
                    &produced
                )
            }
        }
        guard result == LIBDEFLATE_SUCCESS, consumed == count, produced == size else { return false }

        compressedOffset = count
        guard try fill(&buffers.input) == 0 else {
            throw FileDecoder.Damage(reason: "the file grew while it was read", offset: count)
        }
        // As on the streaming path, the member counts once its records are all delivered.
        try deliver(buffers.whole, count: size, sink: sink)
        outcome.gzipMembers = 1
        return true
    }

    private mutating func inflateStep(
        _ inflater: Inflater,
        _ chunk: [UInt8],
        from position: Int,
        to count: Int,
        into output: inout [UInt8]
    ) -> Inflater.Step {
        chunk.withUnsafeBytes { input in
            output.withUnsafeMutableBytes { outputBytes in
                inflater.inflate(UnsafeRawBufferPointer(rebasing: input[position..<count]), into: outputBytes)
            }
        }
    }

    /// Decides what follows a complete gzip member: another member (a tampering warning), or
    /// trailing data that is not gzip (also a warning, and the end of reading).
    ///
    /// - Returns: Whether a new member begins.
    private mutating func beginMember(
        _ chunk: [UInt8],
        at position: Int,
        count: Int,
        inflater: Inflater
    ) throws(FileDecoder.Damage) -> Bool {
        let offset = compressedOffset
        let hasMagic = chunk[position] == 0x1F && (position + 1 >= count || chunk[position + 1] == 0x8B)
        guard hasMagic else {
            hasTrailingData = true
            let trailing = max(0, fileSize - offset)
            outcome.warnings.append(
                "\(trailing) bytes of data that is not gzip follow the gzip data at byte \(offset); "
                    + "CloudTrail's digest does not cover them (possible tampering)"
            )
            return false
        }
        member += 1
        if member == 1 {
            outcome.warnings.append(
                "a second gzip member starts at byte \(offset); CloudTrail writes one, and its digest "
                    + "covers only the first: records after it are kept but marked (possible tampering)"
            )
        }
        do { try inflater.reset() } catch { throw FileDecoder.Damage(reason: "unable to reset zlib", offset: offset) }
        splitter.beginAnotherDocument()
        return true
    }

    /// Describes zlib's complaint about the data, with the file offset where it arose.
    static func damage(_ message: String, at offset: Int, consumed: Int, member: Int) -> FileDecoder.Damage {
        let position = offset + consumed
        switch message {
        case "incorrect data check":
            // zlib has read the 4-byte CRC-32 at the start of the member's trailer.
            return FileDecoder.Damage(reason: "gzip CRC-32 check failed: the data is damaged", offset: position - 4)
        case "incorrect length check":
            return FileDecoder.Damage(reason: "gzip length check failed: the data is damaged", offset: position - 4)
        case "incorrect header check" where member > 0:
            return FileDecoder.Damage(reason: "data after the first gzip member is not valid gzip", offset: offset)
        default:
            return FileDecoder.Damage(reason: "gzip data is corrupt: \(message)", offset: position)
        }
    }
}

// MARK: - Records

extension ContentReader {
    /// Feeds decompressed bytes to the splitter, parsing and handing out each complete record.
    fileprivate mutating func deliver(_ buffer: [UInt8], count: Int, sink: (EventRecord) throws -> Void) throws {
        guard count > 0 else { return }
        outcome.decompressedBytes += count
        if outcome.decompressedBytes > configuration.maximumDecompressedSize {
            throw FileDecoder.Damage(
                reason: "the decompressed data exceeds the limit of \(configuration.maximumDecompressedSize) bytes",
                offset: compressedOffset
            )
        }
        if member == 0 {
            buffer.withUnsafeBytes { bytes in
                let content = UnsafeRawBufferPointer(rebasing: bytes.prefix(count))
                contentHash.update(content)
                if isAdlerTracked { contentAdler32 = ZlibRewrap.adler32(contentAdler32, content) }
            }
        }

        var recordCount = outcome.recordCount
        var warnings: [String] = []
        var items = self.items
        var held = self.heldInsights
        var heldBytes = self.heldBytes
        var hasOtherRecords = self.hasOtherRecords
        let member = self.member
        let holdLimit = configuration.maximumRecordSize
        defer {
            outcome.recordCount = recordCount
            outcome.warnings += warnings
            self.items = items
            self.heldInsights = held
            self.heldBytes = heldBytes
            self.hasOtherRecords = hasOtherRecords
        }
        do {
            try buffer.withUnsafeBufferPointer { all in
                try splitter.feed(UnsafeBufferPointer(rebasing: all.prefix(count))) { slice in
                    switch try ItemReader.read(slice) {
                    case .record(let found):
                        let record = Self.makeRecord(found, index: slice.index, member: member)
                        warnings += record.duplicateKeys.map {
                            "record \(slice.index) repeats the key '\(TerminalText.excerpt($0.key))' "
                                + "(at byte \($0.offset) of the decompressed data)"
                        }
                        items.kinds.insert(found.kind)
                        var isHeld = false
                        if !hasOtherRecords && record.text(.eventType) == "AwsCloudTrailInsight" {
                            held.append(record)
                            heldBytes += record.raw.count
                            isHeld = true
                            // Bounded memory wins over the skip: past the limit, they are records.
                            guard heldBytes > holdLimit else { return }
                        }
                        hasOtherRecords = true
                        for insight in held { try sink(insight) }
                        recordCount += held.count
                        held.removeAll()
                        heldBytes = 0
                        if !isHeld {
                            try sink(record)
                            recordCount += 1
                        }
                    case .skipped(let reason):
                        items.skip(reason)
                    case .unrecognised(let keys):
                        items.skip(ItemTally.unrecognisedReason)
                        if items.firstUnrecognisedKeys == nil { items.firstUnrecognisedKeys = keys }
                    }
                }
            }
        } catch let error as JSONSyntaxError {
            throw Self.damage(for: error)
        }
    }

    private static func makeRecord(_ found: FoundRecord, index: Int, member: Int) -> EventRecord {
        EventRecord(
            raw: found.raw,
            recordIndex: index,
            byteOffset: found.offset,
            gzipMember: member,
            values: found.parsed.values,
            duplicateKeys: found.parsed.duplicateKeys.map {
                DuplicateKey(key: $0.key, offset: $0.offset + found.offset)
            }
        )
    }

    /// Hands out the Insights events held back, now that the file has proved to hold more.
    fileprivate mutating func releaseInsights(to sink: (EventRecord) throws -> Void) throws {
        for insight in heldInsights { try sink(insight) }
        outcome.recordCount += heldInsights.count
        heldInsights.removeAll()
        heldBytes = 0
    }

    /// A file whose every record is an Insights event: not management activity, so skipped.
    fileprivate mutating func insightsOutcome() -> FileOutcome {
        var skipped = finalOutcome()
        skipped.state = .skipped
        skipped.reason = "CloudTrail Insights events only (\(heldInsights.count))"
        skipped.format = nil
        return skipped
    }

    fileprivate mutating func finishDocument() throws(FileDecoder.Damage) {
        do {
            try splitter.finish()
        } catch {
            throw Self.damage(for: error)
        }
    }

    private static func damage(for error: JSONSyntaxError) -> FileDecoder.Damage {
        FileDecoder.Damage(reason: error.kind.summary, offset: error.offset, isInDecompressedData: true)
    }

    // MARK: Outcomes

    fileprivate mutating func record(_ damage: FileDecoder.Damage) {
        outcome.state = outcome.recordCount > 0 ? .partial : .failed
        outcome.reason = damage.reason
        outcome.damageOffset = damage.offset
        outcome.damageIsInDecompressedData = damage.isInDecompressedData && isGzip
        outcome.format = formatName()
    }

    fileprivate func emptyOutcome(_ file: DiscoveredFile) -> FileOutcome {
        file.isNamedLikeLog
            ? FileOutcome(state: .failed, reason: "the file is empty")
            : FileOutcome(state: .skipped, reason: "empty file")
    }

    fileprivate func unrecognisedOutcome(_ file: DiscoveredFile) -> FileOutcome {
        file.isNamedGzip
            ? FileOutcome(
                state: .failed,
                reason: "not gzip data: the name ends in .gz but the gzip magic bytes are missing"
            )
            : FileOutcome(state: .skipped, reason: "not a CloudTrail log file: neither gzip nor JSON")
    }

    fileprivate mutating func finalOutcome() -> FileOutcome {
        if isAtEnd { outcome.fileSHA256 = fileHash.finalizeHex() }
        let contentIsComplete = isGzip ? outcome.gzipMembers > 0 : isAtEnd
        if contentIsComplete && outcome.state != .failed { outcome.contentSHA256 = contentHash.finalizeHex() }
        outcome.warnings += splitter.extraDocumentOffsets.map {
            "another JSON document starts at byte \($0) of the decompressed data after a 'Records' document; "
                + "CloudTrail writes one per file (possible tampering)"
        }
        guard outcome.state == .ok else { return outcome }
        if outcome.recordCount == 0 {
            outcome.state = .skipped
            outcome.reason = reasonForNoRecords()
        } else {
            outcome.format = formatName()
            if let summary = items.summary {
                outcome.warnings.append(
                    "items without a CloudTrail record were skipped: \(summary)"
                )
            }
        }
        return outcome
    }

    /// The `files.format` name: the document's shape, then `+gzip` when compressed.
    private func formatName() -> String? {
        guard splitter.documentCount > 0 else { return nil }
        let shape: String
        switch splitter.firstContainer {
        case .records: shape = "records"
        case .events: shape = "lookup-events"
        case .logEvents: shape = "cloudwatch-logs"
        case .array, .document, nil:
            if items.kinds.contains(.lookupEvent) {
                shape = "lookup-events"
            } else if items.kinds.contains(.eventBridge) {
                shape = "eventbridge"
            } else if splitter.firstContainer == .array {
                shape = "array"
            } else {
                shape = splitter.documentCount > 1 ? "jsonl" : "record"
            }
        }
        return isGzip ? shape + "+gzip" : shape
    }

    /// Why a complete file without records is skipped.
    private func reasonForNoRecords() -> String {
        if splitter.itemCount == 0 {
            switch splitter.firstContainer {
            case .records: return "an empty 'Records' array"
            case .events: return "lookup-events output without events"
            case .logEvents: return "a CloudWatch Logs payload without log events"
            case .array, .document, nil: return "an empty JSON array"
            }
        }
        if items.skippedCount == 1, let keys = items.firstUnrecognisedKeys {
            return Sniffer.describeNonLogObject(keys: keys)
        }
        return items.summary ?? "no CloudTrail records"
    }
}
