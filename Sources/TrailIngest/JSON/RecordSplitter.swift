/// Where an item handed out by ``RecordSplitter`` sat in its document.
package enum ItemContainer: Equatable, Sendable {
    /// An element of a top-level `Records` array: a delivery file or an export in its shape.
    case records
    /// An element of a top-level `Events` array: `aws cloudtrail lookup-events` output.
    case events
    /// An element of a top-level `logEvents` array: a CloudWatch Logs subscription payload.
    case logEvents
    /// An element of a top-level array.
    case array
    /// A whole top-level object without any of those arrays, such as one line of JSON lines.
    case document
}

/// One item found in the stream, valid only during the callback that receives it.
package struct RecordSlice {
    /// The item's bytes, from its `{` to its matching `}`.
    package var bytes: UnsafeBufferPointer<UInt8>
    /// The offset of the item's first byte in the decompressed data.
    package var offset: Int
    /// The item's position among all items of the file, from 0.
    package var index: Int
    /// The depth of the array holding the item (0 for a whole document), for the nesting limit.
    package var containerDepth: Int
    package var container: ItemContainer
    /// The `messageType` of the enclosing CloudWatch Logs payload, when it came before `logEvents`.
    package var messageType: String?
}

/// Finds the items of a stream of JSON documents, one item at a time, in chunks.
///
/// The stream holds one or more top-level values separated by whitespace: a single document,
/// JSON lines, or several documents written one after another. The elements of a top-level
/// array are items; so are the elements of a top-level object's `Records`, `Events` or
/// `logEvents` array, which are streamed. Any other top-level object is itself one item.
/// Only the item being read is buffered, so memory is bounded by the largest item rather than
/// by the file. Items are handed out whole, and checked in full by ``RecordParser``; the
/// splitter itself checks the structure around them.
package struct RecordSplitter: ~Copyable {
    private enum Phase {
        case between, firstKey, key, keyText, colon, containerValue, skipValue, objectCommaOrEnd
        case firstElement, element, item, elementCommaOrEnd
    }

    package static let defaultMaximumRecordSize = 64 << 20

    /// The container of the first array found, when there is one.
    package private(set) var firstContainer: ItemContainer?
    /// The number of top-level values begun so far.
    package private(set) var documentCount = 0
    /// The first keys of the first top-level object, to tell what kind of file a non-log file is.
    package private(set) var topLevelKeys: [String] = []
    /// The number of items handed out so far.
    package private(set) var itemCount = 0
    /// Where a document begins after a `Records` document within one gzip member: CloudTrail
    /// writes one document per file, so another is worth a warning.
    package private(set) var extraDocumentOffsets: [Int] = []

    private let maximumRecordSize: Int
    private var phase = Phase.between
    private var position = 0
    private var acceptsAnotherDocument = false
    private var hasSeenRecordsDocument = false

    private var container = ItemContainer.document
    private var pendingContainer = ItemContainer.document
    private var isBufferingDocument = false
    private var hasEndedDocument = false
    private var document: [UInt8] = []
    private var documentStart = 0
    private var capturesValue = false
    private var captured: [UInt8] = []
    private var messageType: String?

    private var keyBytes: [UInt8] = []
    private var keyHasEscape = false
    private var escaping = false
    private var inString = false
    private var depth = 0
    private var itemStart = 0
    private var item: [UInt8] = []
    private var skipBegun = false
    private var skipIsScalar = false
    private var skipIsString = false

    package init(maximumRecordSize: Int = RecordSplitter.defaultMaximumRecordSize) {
        self.maximumRecordSize = maximumRecordSize
    }

    /// Marks a gzip member boundary: a document that begins next is expected, not suspect.
    package mutating func beginAnotherDocument() {
        acceptsAnotherDocument = true
    }

    /// Consumes `chunk`, calling `emit` for every item it completes.
    package mutating func feed(
        _ chunk: UnsafeBufferPointer<UInt8>,
        emit: (RecordSlice) throws -> Void
    ) throws {
        var index = 0
        while index < chunk.count {
            let start = index
            switch phase {
            case .item:
                index = try consumeItem(chunk, from: index, emit: emit)
            case .keyText:
                index = consumeKey(chunk, from: index)
            case .skipValue:
                index = try consumeSkippedValue(chunk, from: index)
            case .containerValue:
                index = try consumeContainerValue(chunk, from: index)
            case .firstElement where chunk[index] == UInt8(ascii: "{"),
                .element where chunk[index] == UInt8(ascii: "{"):
                // The brace stays unconsumed: it is the item's first byte.
                beginItem(at: position + index)
            default:
                try step(chunk[index], at: position + index)
                index += 1
            }
            if isBufferingDocument {
                try appendToDocument(UnsafeBufferPointer(rebasing: chunk[start..<index]))
            }
            if hasEndedDocument {
                try endDocument(emit: emit)
            }
        }
        position += chunk.count
    }

    /// Checks that the data ended at the end of a complete document.
    package func finish() throws(JSONSyntaxError) {
        switch phase {
        case .between where documentCount > 0:
            return
        case .between:
            throw JSONSyntaxError(.noData, at: position)
        case .item:
            try diagnosePartialItem()
            throw JSONSyntaxError(.unexpectedEnd(expected: "the rest of a record"), at: position)
        default:
            throw JSONSyntaxError(.unexpectedEnd(expected: "the end of the JSON document"), at: position)
        }
    }

    /// Looks for a syntax error inside an unfinished item, which explains the damage better
    /// than "the data ends early" does.
    private func diagnosePartialItem() throws(JSONSyntaxError) {
        let error = item.withUnsafeBufferPointer { buffer -> JSONSyntaxError? in
            do throws(JSONSyntaxError) {
                _ = try RecordParser.parse(buffer, containerDepth: containerDepth)
                return nil
            } catch {
                return error
            }
        }
        if let error, error.offset < item.count {
            throw error.shifted(by: itemStart)
        }
    }

    private var containerDepth: Int {
        container == .array ? 1 : 2
    }
}

// MARK: - Structure outside items

extension RecordSplitter {
    private mutating func step(_ byte: UInt8, at offset: Int) throws(JSONSyntaxError) {
        if isWhitespace(byte) || (phase == .between && offset < 3 && isByteOrderMark(byte)) { return }
        switch phase {
        case .between:
            try beginDocument(byte, at: offset)
        case .firstKey, .key:
            if byte == UInt8(ascii: "}") && phase == .firstKey {
                hasEndedDocument = true
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
            beginValue(ofKey: keyName())
        case .objectCommaOrEnd:
            if byte == UInt8(ascii: ",") {
                phase = .key
            } else if byte == UInt8(ascii: "}") {
                hasEndedDocument = true
            } else {
                throw unexpected(byte, expected: "',' or '}'", at: offset)
            }
        case .firstElement, .element:
            if byte == UInt8(ascii: "]") && phase == .firstElement {
                endArray()
            } else {
                throw JSONSyntaxError(.recordNotObject, at: offset)
            }
        case .elementCommaOrEnd:
            if byte == UInt8(ascii: ",") {
                phase = .element
            } else if byte == UInt8(ascii: "]") {
                endArray()
            } else {
                throw unexpected(byte, expected: "',' or ']'", at: offset)
            }
        case .keyText, .skipValue, .containerValue, .item:
            preconditionFailure("string, value and item phases are consumed in bulk")
        }
    }

    private mutating func beginDocument(_ byte: UInt8, at offset: Int) throws(JSONSyntaxError) {
        guard byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") else {
            if documentCount > 0 { throw JSONSyntaxError(.dataAfterDocument(byte), at: offset) }
            throw unexpected(byte, expected: "'{' or '['", at: offset)
        }
        if hasSeenRecordsDocument && !acceptsAnotherDocument && extraDocumentOffsets.count < 16 {
            extraDocumentOffsets.append(offset)
        }
        acceptsAnotherDocument = false
        documentCount += 1
        messageType = nil
        if byte == UInt8(ascii: "{") {
            isBufferingDocument = true
            document.removeAll(keepingCapacity: document.capacity <= 1 << 20)
            documentStart = offset
            phase = .firstKey
        } else {
            beginArray(.array)
        }
    }

    private mutating func beginValue(ofKey key: String) {
        switch key {
        case "Records": pendingContainer = .records
        case "Events": pendingContainer = .events
        case "logEvents": pendingContainer = .logEvents
        default: pendingContainer = .document
        }
        phase = pendingContainer == .document ? .skipValue : .containerValue
        capturesValue = key == "messageType"
        captured.removeAll(keepingCapacity: true)
        beginSkip()
    }

    private mutating func beginArray(_ kind: ItemContainer) {
        container = kind
        if firstContainer == nil { firstContainer = kind }
        if kind == .records { hasSeenRecordsDocument = true }
        // The document is a container of items, not an item: stop keeping its text.
        isBufferingDocument = false
        document.removeAll(keepingCapacity: document.capacity <= 1 << 20)
        phase = .firstElement
    }

    private mutating func endArray() {
        if container == .array {
            phase = .between
        } else {
            phase = .objectCommaOrEnd
        }
    }

    private mutating func appendToDocument(_ bytes: UnsafeBufferPointer<UInt8>) throws(JSONSyntaxError) {
        document.append(contentsOf: bytes)
        if document.count > maximumRecordSize {
            throw JSONSyntaxError(.recordTooLarge(limit: maximumRecordSize), at: documentStart)
        }
    }

    /// Hands out a top-level object that held no array of items: it is an item itself.
    private mutating func endDocument(emit: (RecordSlice) throws -> Void) throws {
        hasEndedDocument = false
        phase = .between
        guard isBufferingDocument else { return }
        isBufferingDocument = false
        let offset = documentStart
        let index = itemCount
        try document.withUnsafeBufferPointer { bytes in
            try emit(RecordSlice(bytes: bytes, offset: offset, index: index, containerDepth: 0, container: .document))
        }
        itemCount += 1
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
    private mutating func beginItem(at offset: Int) {
        phase = .item
        itemStart = offset
        depth = 0
        inString = false
        escaping = false
        item.removeAll(keepingCapacity: true)
    }

    /// Copies item bytes up to the item's closing brace or the end of the chunk.
    private mutating func consumeItem(
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
                    try completeItem(UnsafeBufferPointer(rebasing: chunk[start..<index]), emit: emit)
                    return index
                }
            }
        }
        item.append(contentsOf: chunk[start..<index])
        if item.count > maximumRecordSize {
            try diagnosePartialItem()
            throw JSONSyntaxError(.recordTooLarge(limit: maximumRecordSize), at: itemStart)
        }
        return index
    }

    private mutating func completeItem(
        _ tail: UnsafeBufferPointer<UInt8>,
        emit: (RecordSlice) throws -> Void
    ) throws {
        var slice = RecordSlice(
            bytes: tail,
            offset: itemStart,
            index: itemCount,
            containerDepth: containerDepth,
            container: container,
            messageType: container == .logEvents ? messageType : nil
        )
        if item.isEmpty {
            // The whole item lies in this chunk: hand it out without copying.
            try emit(slice)
        } else {
            item.append(contentsOf: tail)
            try item.withUnsafeBufferPointer { buffer in
                slice.bytes = buffer
                try emit(slice)
            }
            item.removeAll(keepingCapacity: item.capacity <= 1 << 20)
        }
        itemCount += 1
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
                if documentCount == 1 && topLevelKeys.count < 32 { topLevelKeys.append(keyName()) }
                phase = .colon
                return index
            }
            if keyBytes.count < 1024 { keyBytes.append(byte) }
        }
        return index
    }

    /// Starts streaming the array after `Records`, `Events` or `logEvents`; a value of any
    /// other type is passed over like any other key's, except that `Records` must be an array.
    private mutating func consumeContainerValue(
        _ chunk: UnsafeBufferPointer<UInt8>,
        from start: Int
    ) throws(JSONSyntaxError) -> Int {
        var index = start
        while index < chunk.count, isWhitespace(chunk[index]) { index += 1 }
        guard index < chunk.count else { return index }
        if chunk[index] == UInt8(ascii: "[") {
            beginArray(pendingContainer)
            return index + 1
        }
        if pendingContainer == .records { throw JSONSyntaxError(.recordsNotArray, at: position + index) }
        phase = .skipValue
        return index
    }

    private mutating func beginSkip() {
        depth = 0
        inString = false
        escaping = false
        skipBegun = false
        skipIsScalar = false
        skipIsString = false
    }

    /// Passes over a top-level value that holds no items without buffering it (except as part
    /// of a document that may be an item itself).
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
                case UInt8(ascii: "\""):
                    inString = true
                    skipIsString = true
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
                if depth == 0 && capturesValue && captured.count < 64 { captured.append(byte) }
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
        if capturesValue && skipIsString {
            messageType = String(decoding: captured, as: UTF8.self)
        }
        capturesValue = false
        phase = .objectCommaOrEnd
        return index
    }
}
