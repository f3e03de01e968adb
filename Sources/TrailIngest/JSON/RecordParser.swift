/// What ``RecordParser`` learned from one record.
package struct ParsedRecord: Sendable {
    /// The extracted fields, indexed by ``EventField/rawValue``; `nil` where the record lacks one.
    package var values: [ScalarValue?]
    /// Keys that appear twice in one object, with the offset of the second occurrence.
    package var duplicateKeys: [DuplicateKey]

    package subscript(field: EventField) -> ScalarValue? {
        values[field.rawValue]
    }
}

/// A key repeated inside one JSON object: two readers of the record may keep different values.
package struct DuplicateKey: Equatable, Sendable {
    package var key: String
    /// The offset of the repeated key's opening quote, relative to the record's first byte.
    package var offset: Int
}

/// A validating RFC 8259 parser for one complete record, extracting ``EventField`` values.
///
/// It checks everything a strict reader must (escapes, surrogate pairs, UTF-8, control
/// characters, number grammar, nesting depth) and reports the first violation with its offset,
/// while building no tree: only the scalars on a field's path are decoded.
package struct RecordParser: ~Copyable {
    /// The deepest nesting accepted, counted from the document root.
    package static let maximumDepth = 512

    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0
    private var values: [ScalarValue?]
    private var duplicates: [DuplicateKey] = []
    private var keys = KeyFrames()
    private let trie = FieldTrie.shared

    private init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        self.values = Array(repeating: nil, count: EventField.allCases.count)
    }

    /// Parses `bytes`, which must hold exactly one JSON object and nothing else.
    ///
    /// - Parameters:
    ///   - bytes: The record's text.
    ///   - containerDepth: How deeply the record is nested in its document (2 inside
    ///     `{"Records":[…]}`), so that the depth limit applies to the whole document.
    /// - Returns: The extracted fields and any duplicate keys.
    /// - Throws: `JSONSyntaxError` with an offset relative to the first byte of `bytes`.
    package static func parse(
        _ bytes: UnsafeBufferPointer<UInt8>,
        containerDepth: Int
    ) throws(JSONSyntaxError) -> ParsedRecord {
        var parser = RecordParser(bytes: bytes)
        parser.skipWhitespace()
        guard parser.index < bytes.count, bytes[parser.index] == UInt8(ascii: "{") else {
            throw JSONSyntaxError(.recordNotObject, at: parser.index)
        }
        try parser.parseValue(containerDepth: containerDepth, node: parser.trie.root, field: nil)
        parser.skipWhitespace()
        if parser.index < bytes.count {
            throw JSONSyntaxError(
                .unexpectedCharacter(bytes[parser.index], expected: "the end of the record"),
                at: parser.index
            )
        }
        return ParsedRecord(values: parser.values, duplicateKeys: parser.duplicates)
    }

    // MARK: - Values

    private mutating func parseValue(
        containerDepth: Int,
        node: Int?,
        field: EventField?
    ) throws(JSONSyntaxError) {
        skipWhitespace()
        guard index < bytes.count else { throw JSONSyntaxError(.unexpectedEnd(expected: "a value"), at: index) }
        switch bytes[index] {
        case UInt8(ascii: "{"):
            try checkDepth(containerDepth + 1)
            try parseObject(depth: containerDepth + 1, node: node)
        case UInt8(ascii: "["):
            try checkDepth(containerDepth + 1)
            try parseArray(depth: containerDepth + 1)
        case UInt8(ascii: "\""):
            let token = try scanString()
            if let field { store(.string(decode(token)), in: field) }
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let start = index
            try scanNumber()
            if let field { store(.number(String(decoding: bytes[start..<index], as: UTF8.self)), in: field) }
        case UInt8(ascii: "t"):
            try expectLiteral("true")
            if let field { store(.bool(true), in: field) }
        case UInt8(ascii: "f"):
            try expectLiteral("false")
            if let field { store(.bool(false), in: field) }
        case UInt8(ascii: "n"):
            try expectLiteral("null")
            if let field { store(.null, in: field) }
        case let byte:
            throw JSONSyntaxError(.unexpectedCharacter(byte, expected: "a value"), at: index)
        }
    }

    private func checkDepth(_ depth: Int) throws(JSONSyntaxError) {
        if depth > Self.maximumDepth {
            throw JSONSyntaxError(.tooDeep(limit: Self.maximumDepth), at: index)
        }
    }

    /// Keeps the first value seen for a field; a later duplicate is reported, not applied.
    private mutating func store(_ value: ScalarValue, in field: EventField) {
        if values[field.rawValue] == nil {
            values[field.rawValue] = value
        }
    }

    private mutating func parseObject(depth: Int, node: Int?) throws(JSONSyntaxError) {
        index += 1
        keys.pushFrame()
        defer { keys.popFrame() }

        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            return
        }
        while true {
            skipWhitespace()
            guard index < bytes.count else { throw JSONSyntaxError(.unexpectedEnd(expected: "a key"), at: index) }
            guard bytes[index] == UInt8(ascii: "\"") else {
                throw JSONSyntaxError(.unexpectedCharacter(bytes[index], expected: "a string key"), at: index)
            }
            let keyStart = index
            let key = try scanString()
            checkDuplicate(key, at: keyStart)

            try expect(UInt8(ascii: ":"), named: "':'")
            let (child, field) = lookup(key, in: node)
            try parseValue(containerDepth: depth, node: child, field: field)

            skipWhitespace()
            guard index < bytes.count else {
                throw JSONSyntaxError(.unexpectedEnd(expected: "',' or '}'"), at: index)
            }
            switch bytes[index] {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"):
                index += 1
                return
            case let byte: throw JSONSyntaxError(.unexpectedCharacter(byte, expected: "',' or '}'"), at: index)
            }
        }
    }

    private mutating func parseArray(depth: Int) throws(JSONSyntaxError) {
        index += 1
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            return
        }
        while true {
            try parseValue(containerDepth: depth, node: nil, field: nil)
            skipWhitespace()
            guard index < bytes.count else {
                throw JSONSyntaxError(.unexpectedEnd(expected: "',' or ']'"), at: index)
            }
            switch bytes[index] {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"):
                index += 1
                return
            case let byte: throw JSONSyntaxError(.unexpectedCharacter(byte, expected: "',' or ']'"), at: index)
            }
        }
    }

    private func lookup(_ key: StringToken, in node: Int?) -> (child: Int?, field: EventField?) {
        guard let node else { return (nil, nil) }
        guard !key.hasEscapes else {
            let name = Array(decode(key).utf8)
            return name.withUnsafeBufferPointer { trie.nodes[node].entry(for: $0) }
        }
        return trie.nodes[node].entry(for: UnsafeBufferPointer(rebasing: bytes[key.start..<key.end]))
    }

    // MARK: - Tokens

    private mutating func expect(_ byte: UInt8, named name: String) throws(JSONSyntaxError) {
        skipWhitespace()
        guard index < bytes.count else { throw JSONSyntaxError(.unexpectedEnd(expected: name), at: index) }
        guard bytes[index] == byte else {
            throw JSONSyntaxError(.unexpectedCharacter(bytes[index], expected: name), at: index)
        }
        index += 1
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(JSONSyntaxError) {
        let start = index
        let text = UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount)
        for expected in text {
            guard index < bytes.count else {
                throw JSONSyntaxError(.unexpectedEnd(expected: "'\(literal)'"), at: index)
            }
            guard bytes[index] == expected else {
                throw JSONSyntaxError(.unexpectedCharacter(bytes[start], expected: "a value"), at: start)
            }
            index += 1
        }
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    private mutating func scanNumber() throws(JSONSyntaxError) {
        let start = index
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count, isDigit(bytes[index]) else { throw JSONSyntaxError(.invalidNumber, at: start) }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else {
            skipDigits()
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard index < bytes.count, isDigit(bytes[index]) else { throw JSONSyntaxError(.invalidNumber, at: start) }
            skipDigits()
        }
        if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                index += 1
            }
            guard index < bytes.count, isDigit(bytes[index]) else { throw JSONSyntaxError(.invalidNumber, at: start) }
            skipDigits()
        }
    }

    private mutating func skipDigits() {
        while index < bytes.count, isDigit(bytes[index]) { index += 1 }
    }

    private func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }
}

// MARK: - Strings

/// The location of a validated string's content, between its quotes.
struct StringToken {
    var start: Int
    var end: Int
    var hasEscapes: Bool
}

extension RecordParser {
    /// Validates the string starting at the current `"` and moves past its closing quote.
    fileprivate mutating func scanString() throws(JSONSyntaxError) -> StringToken {
        index += 1
        let start = index
        var hasEscapes = false
        while true {
            guard index < bytes.count else {
                throw JSONSyntaxError(.unexpectedEnd(expected: "'\"' closing a string"), at: index)
            }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") { break }
            if byte == UInt8(ascii: "\\") {
                hasEscapes = true
                try scanEscape()
            } else if byte < 0x20 {
                throw JSONSyntaxError(.controlCharacterInString(byte), at: index)
            } else if byte < 0x80 {
                index += 1
            } else {
                index = try UTF8Validation.validateSequence(in: bytes, at: index)
            }
        }
        let token = StringToken(start: start, end: index, hasEscapes: hasEscapes)
        index += 1
        return token
    }

    private mutating func scanEscape() throws(JSONSyntaxError) {
        guard index + 1 < bytes.count else { throw JSONSyntaxError(.invalidEscape, at: index) }
        switch bytes[index + 1] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
            UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            index += 2
        case UInt8(ascii: "u"):
            guard let unit = hexQuad(at: index + 2) else { throw JSONSyntaxError(.invalidUnicodeEscape, at: index) }
            if UTF16.isTrailSurrogate(unit) { throw JSONSyntaxError(.loneSurrogate, at: index) }
            guard UTF16.isLeadSurrogate(unit) else {
                index += 6
                return
            }
            guard index + 7 < bytes.count, bytes[index + 6] == UInt8(ascii: "\\"),
                bytes[index + 7] == UInt8(ascii: "u"), let trail = hexQuad(at: index + 8),
                UTF16.isTrailSurrogate(trail)
            else { throw JSONSyntaxError(.loneSurrogate, at: index) }
            index += 12
        default:
            throw JSONSyntaxError(.invalidEscape, at: index)
        }
    }

    fileprivate func hexQuad(at position: Int) -> UInt16? {
        guard position + 4 <= bytes.count else { return nil }
        var value: UInt16 = 0
        for offset in 0..<4 {
            guard let digit = Hex.value(of: bytes[position + offset]) else { return nil }
            value = value << 4 | UInt16(digit)
        }
        return value
    }

    /// The string's value with escapes resolved; the token has already been validated.
    fileprivate func decode(_ token: StringToken) -> String {
        let content = UnsafeBufferPointer(rebasing: bytes[token.start..<token.end])
        guard token.hasEscapes else { return String(decoding: content, as: UTF8.self) }
        return JSONStringDecoder.decodeValidated(content)
    }

    fileprivate mutating func checkDuplicate(_ token: StringToken, at offset: Int) {
        let content = UnsafeBufferPointer(rebasing: bytes[token.start..<token.end])
        let isDuplicate = keys.insert(content, hasEscapes: token.hasEscapes)
        if isDuplicate {
            duplicates.append(DuplicateKey(key: decode(token), offset: offset))
        }
    }
}
