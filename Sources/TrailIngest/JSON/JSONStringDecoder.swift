/// Resolves the escapes of JSON string content that has already been validated.
enum JSONStringDecoder {
    /// Decodes `content`, the bytes between the quotes.
    ///
    /// Validation happened while scanning, so
    /// every escape here is well formed and every surrogate is paired.
    static func decodeValidated(_ content: UnsafeBufferPointer<UInt8>) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(content.count)
        var index = 0
        while index < content.count {
            let byte = content[index]
            guard byte == UInt8(ascii: "\\"), index + 1 < content.count else {
                output.append(byte)
                index += 1
                continue
            }
            let escape = content[index + 1]
            if escape == UInt8(ascii: "u") {
                index = appendUnicodeEscape(content, at: index, to: &output)
            } else {
                output.append(simpleEscape(escape))
                index += 2
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    private static func simpleEscape(_ escape: UInt8) -> UInt8 {
        switch escape {
        case UInt8(ascii: "b"): 0x08
        case UInt8(ascii: "f"): 0x0C
        case UInt8(ascii: "n"): 0x0A
        case UInt8(ascii: "r"): 0x0D
        case UInt8(ascii: "t"): 0x09
        default: escape
        }
    }

    /// Appends the UTF-8 form of the four-digit `\u` escape (or surrogate pair) at `index`, returning
    /// the index after it.
    private static func appendUnicodeEscape(
        _ content: UnsafeBufferPointer<UInt8>,
        at index: Int,
        to output: inout [UInt8]
    ) -> Int {
        // Top-level keys reach here unvalidated, so a malformed escape must not read past the end.
        guard index + 6 <= content.count else {
            output.append(contentsOf: content[index...])
            return content.count
        }
        let lead = quad(content, at: index + 2)
        var scalarValue = UInt32(lead)
        var next = index + 6
        if UTF16.isLeadSurrogate(lead), index + 12 <= content.count {
            let trail = quad(content, at: index + 8)
            scalarValue = 0x10000 &+ ((UInt32(lead) &- 0xD800) << 10) &+ (UInt32(trail) &- 0xDC00)
            next = index + 12
        }
        let scalar = Unicode.Scalar(scalarValue) ?? "\u{FFFD}"
        output.append(contentsOf: UTF8.encode(scalar).map { Array($0) } ?? [])
        return next
    }

    private static func quad(_ content: UnsafeBufferPointer<UInt8>, at position: Int) -> UInt16 {
        var value: UInt16 = 0
        for offset in 0..<4 {
            let byte = content[position + offset] | 0x20
            let digit = byte <= UInt8(ascii: "9") ? byte &- UInt8(ascii: "0") : byte &- UInt8(ascii: "a") &+ 10
            value = value << 4 | UInt16(digit & 0x0F)
        }
        return value
    }
}

/// Checks multi-byte UTF-8 sequences as RFC 3629 defines them.
enum UTF8Validation {
    /// Validates the sequence whose lead byte (0x80 or above) is at `index`.
    ///
    /// - Returns: The index after the sequence.
    /// - Throws: `.invalidUTF8` at the lead byte for overlong forms, encoded surrogates, values
    ///   above U+10FFFF, stray continuation bytes and truncated sequences.
    static func validateSequence(
        in bytes: UnsafeBufferPointer<UInt8>,
        at index: Int
    ) throws(JSONSyntaxError) -> Int {
        let lead = bytes[index]
        let length: Int
        var secondRange: ClosedRange<UInt8> = 0x80...0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0:
            length = 3
            secondRange = 0xA0...0xBF
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED:
            length = 3
            secondRange = 0x80...0x9F
        case 0xF0:
            length = 4
            secondRange = 0x90...0xBF
        case 0xF1...0xF3: length = 4
        case 0xF4:
            length = 4
            secondRange = 0x80...0x8F
        default: throw JSONSyntaxError(.invalidUTF8, at: index)
        }
        guard index + length <= bytes.count, secondRange.contains(bytes[index + 1]) else {
            throw JSONSyntaxError(.invalidUTF8, at: index)
        }
        for offset in 2..<length where !(0x80...0xBF).contains(bytes[index + offset]) {
            throw JSONSyntaxError(.invalidUTF8, at: index)
        }
        return index + length
    }
}
