/// A violation of RFC 8259 found while reading a record, with the byte offset where it was seen.
///
/// Offsets count bytes of the decompressed JSON text from the start of the file's data, so an
/// analyst can find the damage with `zcat file | head -c N | tail -c 200`.
package struct JSONSyntaxError: Error, Equatable, Sendable {
    /// What was wrong at ``offset``.
    package indirect enum Kind: Equatable, Sendable {
        case unexpectedCharacter(UInt8, expected: String)
        case unexpectedEnd(expected: String)
        case invalidEscape
        case invalidUnicodeEscape
        case loneSurrogate
        case invalidUTF8
        case controlCharacterInString(UInt8)
        case invalidNumber
        case tooDeep(limit: Int)
        case recordTooLarge(limit: Int)
        case recordNotObject
        case recordsNotArray
        case dataAfterDocument(UInt8)
        case noData
        /// A problem with the record held in an envelope's field, such as lookup-events'
        /// `CloudTrailEvent` string; the offset is that of the field's value.
        case embedded(field: String, Kind)
    }

    package var kind: Kind
    /// The byte offset of the offending byte in the decompressed data.
    package var offset: Int

    package init(_ kind: Kind, at offset: Int) {
        self.kind = kind
        self.offset = offset
    }

    /// The same error with its offset moved by `base`, for errors found inside a buffered record.
    package func shifted(by base: Int) -> JSONSyntaxError {
        JSONSyntaxError(kind, at: offset + base)
    }
}

extension JSONSyntaxError: CustomStringConvertible {
    package var description: String {
        "\(kind.summary) (at byte \(offset))"
    }
}

extension JSONSyntaxError.Kind {
    /// A lowercase phrase naming the problem, without the offset.
    package var summary: String {
        switch self {
        case .unexpectedCharacter(let byte, let expected):
            "JSON syntax error: expected \(expected) but found \(Self.describe(byte))"
        case .unexpectedEnd(let expected):
            "JSON data ends early: expected \(expected)"
        case .invalidEscape:
            "JSON syntax error: invalid escape sequence in a string"
        case .invalidUnicodeEscape:
            "JSON syntax error: invalid \\u escape in a string"
        case .loneSurrogate:
            "JSON string holds a lone UTF-16 surrogate escape"
        case .invalidUTF8:
            "JSON text is not valid UTF-8"
        case .controlCharacterInString(let byte):
            "JSON string holds an unescaped control character \(Self.describe(byte))"
        case .invalidNumber:
            "JSON syntax error: malformed number"
        case .tooDeep(let limit):
            "JSON nesting is deeper than \(limit) levels"
        case .recordTooLarge(let limit):
            "a single record is larger than \(limit) bytes"
        case .recordNotObject:
            "a record is not a JSON object"
        case .recordsNotArray:
            "'Records' is not an array"
        case .dataAfterDocument(let byte):
            "unexpected \(Self.describe(byte)) after the end of the JSON document"
        case .noData:
            "the file holds no JSON data"
        case .embedded(let field, .recordNotObject):
            "the '\(field)' value is not a JSON object"
        case .embedded(let field, let inner):
            "the record in '\(field)' is damaged: \(inner.summary)"
        }
    }

    private static func describe(_ byte: UInt8) -> String {
        if byte >= 0x21 && byte < 0x7F {
            return "'\(Character(Unicode.Scalar(byte)))'"
        }
        return "byte 0x" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
