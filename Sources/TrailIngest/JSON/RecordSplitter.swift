/// One record found in the stream, valid only during the callback that receives it.
package struct RecordSlice {
    /// The record's bytes, from its `{` to its matching `}`.
    package var bytes: UnsafeBufferPointer<UInt8>
    /// The offset of the record's first byte in the decompressed data.
    package var offset: Int
    /// The record's position among all records of the file, from 0.
    package var index: Int
    /// The depth of the array holding the record, for the nesting limit.
    package var containerDepth: Int
}

/// Finds the records of a CloudTrail document in a stream of chunks, one record at a time.
///
/// It accepts `{"Records":[…]}` with any key order and whitespace, and a plain top-level array
/// of records. Only the record being read is buffered, so memory is bounded by the largest
/// record rather than by the file. Records are handed out whole and checked in full by
/// ``RecordParser``; the splitter itself checks the document's outer structure.
package struct RecordSplitter: ~Copyable {
    /// How the document holds its records.
    package enum Shape: Equatable, Sendable {
        /// Nothing but whitespace so far.
        case unknown
        /// An object; `hasRecords` tells whether it had a `Records` key.
        case object(hasRecords: Bool)
        /// A top-level array whose elements are records.
        case array
    }

    private enum Phase {
        case start, firstKey, key, keyText, colon, recordsValue, skipValue, objectCommaOrEnd
        case firstElement, element, record, elementCommaOrEnd, done
    }

    package static let defaultMaximumRecordSize = 64 << 20

    package private(set) var shape = Shape.unknown
    /// The first keys of the top-level object, to tell what kind of file a non-log JSON file is.
    package private(set) var topLevelKeys: [String] = []
    /// The number of records handed out so far.
    package private(set) var recordCount = 0

    private let maximumRecordSize: Int
    private var phase = Phase.start
    private var position = 0
    private var acceptsAnotherDocument = false
    private var recordsAreTopLevel = false

    private var keyBytes: [UInt8] = []
    private var keyHasEscape = false
    private var escaping = false
    private var inString = false
    private var depth = 0
    private var recordStart = 0
    private var record: [UInt8] = []
    private var skipBegun = false
    private var skipIsScalar = false

    package init(maximumRecordSize: Int = RecordSplitter.defaultMaximumRecordSize) {
        self.maximumRecordSize = maximumRecordSize
    }

    /// Allows one more JSON document after the current one: a new gzip member begins.
    package mutating func beginAnotherDocument() {
        acceptsAnotherDocument = true
    }

    /// Consumes `chunk`, calling `emit` for every record it completes.
    package mutating func feed(
        _ chunk: UnsafeBufferPointer<UInt8>,
        emit: (RecordSlice) throws -> Void
    ) throws {
        var index = 0
        while index < chunk.count {
            switch phase {
            case .record:
                index = try consumeRecord(chunk, from: index, emit: emit)
            case .keyText:
                index = consumeKey(chunk, from: index)
            case .skipValue:
                index = try consumeSkippedValue(chunk, from: index)
            case .firstElement where chunk[index] == UInt8(ascii: "{"),
                .element where chunk[index] == UInt8(ascii: "{"):
                // The brace stays unconsumed: it is the record's first byte.
                beginRecord(at: position + index)
            default:
                try step(chunk[index], at: position + index)
                index += 1
            }
        }
        position += chunk.count
    }

    /// Checks that the data ended at the end of a complete document.
    package func finish() throws(JSONSyntaxError) {
        switch phase {
        case .done:
            return
        case .start:
            throw JSONSyntaxError(.noData, at: position)
        case .record:
            try diagnosePartialRecord()
            throw JSONSyntaxError(.unexpectedEnd(expected: "the rest of a record"), at: position)
        default:
            throw JSONSyntaxError(.unexpectedEnd(expected: "the end of the JSON document"), at: position)
        }
    }

    /// Looks for a syntax error inside an unfinished record, which explains the damage better
    /// than "the data ends early" does.
    private func diagnosePartialRecord() throws(JSONSyntaxError) {
        let error = record.withUnsafeBufferPointer { buffer -> JSONSyntaxError? in
            do throws(JSONSyntaxError) {
                _ = try RecordParser.parse(buffer, containerDepth: recordsAreTopLevel ? 1 : 2)
                return nil
            } catch {
                return error
            }
        }
        if let error, error.offset < record.count {
            throw error.shifted(by: recordStart)
        }
    }
}

// MARK: - Structure outside records

extension RecordSplitter {
    private mutating func step(_ byte: UInt8, at offset: Int) throws(JSONSyntaxError) {
        if isWhitespace(byte) || (phase == .start && offset < 3 && isByteOrderMark(byte)) { return }
        switch phase {
        case .start:
            try beginDocument(byte, at: offset)
        case .firstKey, .key:
            if byte == UInt8(ascii: "}") && phase == .firstKey {
                phase = .done
            } else if byte == UInt8(ascii: "\"") {
                keyBytes.removeAll(keepingCapacity: true)
                keyHasEscape = false
                escaping = false
                phase = .keyText
            } else {
                throw unexpected(byte, expected: "a string key", at: offset)
            }
        case .colon:
            guard byte == UInt8(ascii: ":") else { throw unexpected(byte, expected: "':'", at: offset) }
            phase = keyName() == "Records" ? .recordsValue : .skipValue
            beginSkip()
        case .recordsValue:
            guard byte == UInt8(ascii: "[") else { throw JSONSyntaxError(.recordsNotArray, at: offset) }
            shape = .object(hasRecords: true)
            phase = .firstElement
        case .objectCommaOrEnd:
            if byte == UInt8(ascii: ",") {
                phase = .key
            } else if byte == UInt8(ascii: "}") {
                phase = .done
            } else {
                throw unexpected(byte, expected: "',' or '}'", at: offset)
            }
        case .firstElement, .element:
            if byte == UInt8(ascii: "]") && phase == .firstElement {
                endRecordArray()
            } else {
                throw JSONSyntaxError(.recordNotObject, at: offset)
            }
        case .elementCommaOrEnd:
            if byte == UInt8(ascii: ",") {
                phase = .element
            } else if byte == UInt8(ascii: "]") {
                endRecordArray()
            } else {
                throw unexpected(byte, expected: "',' or ']'", at: offset)
            }
        case .done:
            guard acceptsAnotherDocument else { throw JSONSyntaxError(.dataAfterDocument(byte), at: offset) }
            acceptsAnotherDocument = false
            try beginDocument(byte, at: offset)
        case .keyText, .skipValue, .record:
            preconditionFailure("string and record phases are consumed in bulk")
        }
    }

    private mutating func beginDocument(_ byte: UInt8, at offset: Int) throws(JSONSyntaxError) {
        if byte == UInt8(ascii: "{") {
            if shape == .unknown { shape = .object(hasRecords: false) }
            phase = .firstKey
        } else if byte == UInt8(ascii: "[") {
            shape = .array
            recordsAreTopLevel = true
            phase = .firstElement
        } else {
            throw unexpected(byte, expected: "'{' or '['", at: offset)
        }
    }

    private mutating func endRecordArray() {
        phase = recordsAreTopLevel ? .done : .objectCommaOrEnd
    }

    private func keyName() -> String {
        guard keyHasEscape else { return String(decoding: keyBytes, as: UTF8.self) }
        return keyBytes.withUnsafeBufferPointer { JSONStringDecoder.decodeValidated($0) }
    }

    private func unexpected(_ byte: UInt8, expected: String, at offset: Int) -> JSONSyntaxError {
        JSONSyntaxError(.unexpectedCharacter(byte, expected: expected), at: offset)
    }

    private func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    private func isByteOrderMark(_ byte: UInt8) -> Bool {
        byte == 0xEF || byte == 0xBB || byte == 0xBF
    }
}

// MARK: - Bulk consumers

extension RecordSplitter {
    private mutating func beginRecord(at offset: Int) {
        phase = .record
        recordStart = offset
        depth = 0
        inString = false
        escaping = false
        record.removeAll(keepingCapacity: true)
    }

    /// Copies record bytes up to the record's closing brace or the end of the chunk.
    private mutating func consumeRecord(
        _ chunk: UnsafeBufferPointer<UInt8>,
        from start: Int,
        emit: (RecordSlice) throws -> Void
    ) throws -> Int {
        var index = start
        while index < chunk.count {
            let byte = chunk[index]
            index += 1
            if inString {
                if escaping {
                    escaping = false
                } else if byte == UInt8(ascii: "\\") {
                    escaping = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
            } else if byte == UInt8(ascii: "\"") {
                inString = true
            } else if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") {
                depth += 1
            } else if byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") {
                depth -= 1
                if depth == 0 {
                    try completeRecord(UnsafeBufferPointer(rebasing: chunk[start..<index]), emit: emit)
                    return index
                }
            }
        }
        record.append(contentsOf: chunk[start..<index])
        if record.count > maximumRecordSize {
            try diagnosePartialRecord()
            throw JSONSyntaxError(.recordTooLarge(limit: maximumRecordSize), at: recordStart)
        }
        return index
    }

    private mutating func completeRecord(
        _ tail: UnsafeBufferPointer<UInt8>,
        emit: (RecordSlice) throws -> Void
    ) throws {
        let containerDepth = recordsAreTopLevel ? 1 : 2
        if record.isEmpty {
            // The whole record lies in this chunk: hand it out without copying.
            try emit(RecordSlice(bytes: tail, offset: recordStart, index: recordCount, containerDepth: containerDepth))
        } else {
            record.append(contentsOf: tail)
            try record.withUnsafeBufferPointer { buffer in
                try emit(
                    RecordSlice(bytes: buffer, offset: recordStart, index: recordCount, containerDepth: containerDepth)
                )
            }
            record.removeAll(keepingCapacity: record.capacity <= 1 << 20)
        }
        recordCount += 1
        phase = .elementCommaOrEnd
    }

    /// Reads a top-level key up to its closing quote.
    private mutating func consumeKey(_ chunk: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var index = start
        while index < chunk.count {
            let byte = chunk[index]
            index += 1
            if escaping {
                escaping = false
            } else if byte == UInt8(ascii: "\\") {
                escaping = true
                keyHasEscape = true
            } else if byte == UInt8(ascii: "\"") {
                if topLevelKeys.count < 32 { topLevelKeys.append(keyName()) }
                phase = .colon
                return index
            }
            if keyBytes.count < 1024 { keyBytes.append(byte) }
        }
        return index
    }

    private mutating func beginSkip() {
        depth = 0
        inString = false
        escaping = false
        skipBegun = false
        skipIsScalar = false
    }

    /// Passes over a top-level value other than `Records` without buffering it.
    private mutating func consumeSkippedValue(
        _ chunk: UnsafeBufferPointer<UInt8>,
        from start: Int
    ) throws(JSONSyntaxError) -> Int {
        var index = start
        while index < chunk.count {
            let byte = chunk[index]
            if !skipBegun {
                index += 1
                if isWhitespace(byte) { continue }
                skipBegun = true
                switch byte {
                case UInt8(ascii: "{"), UInt8(ascii: "["): depth = 1
                case UInt8(ascii: "\""): inString = true
                case UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), UInt8(ascii: ":"):
                    throw unexpected(byte, expected: "a value", at: position + index - 1)
                default: skipIsScalar = true
                }
            } else if inString {
                index += 1
                if escaping {
                    escaping = false
                } else if byte == UInt8(ascii: "\\") {
                    escaping = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                    if depth == 0 { return finishSkip(at: index) }
                }
            } else if skipIsScalar {
                if isWhitespace(byte) || byte == UInt8(ascii: ",") || byte == UInt8(ascii: "}") {
                    return finishSkip(at: index)
                }
                index += 1
            } else {
                index += 1
                if byte == UInt8(ascii: "\"") {
                    inString = true
                } else if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") {
                    depth += 1
                } else if byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") {
                    depth -= 1
                    if depth == 0 { return finishSkip(at: index) }
                }
            }
        }
        return index
    }

    private mutating func finishSkip(at index: Int) -> Int {
        phase = .objectCommaOrEnd
        return index
    }
}
