/// The top-level members of a JSON object that ``RecordParser`` has already validated.
///
/// Envelopes (lookup-events items, EventBridge events, CloudWatch Logs events) are told apart
/// by a few top-level keys, and their record is one member's value: this finds those values
/// without building a tree. It trusts the text to be valid JSON, but never reads out of bounds
/// whatever the bytes, and gives up (an empty list) on anything it does not expect.
struct JSONMembers {
    /// One member: its decoded key and the byte range of its value.
    struct Member {
        var key: String
        var value: Range<Int>
    }

    private(set) var members: [Member] = []

    init(of bytes: UnsafeBufferPointer<UInt8>) {
        var members: [Member] = []
        let complete = Self.forEach(in: bytes) { key, value in
            members.append(Member(key: JSONStringDecoder.decodeValidated(key), value: value))
            return false
        }
        self.members = complete ? members : []
    }

    /// Calls `body` with each top-level member of the object in `bytes`, in order.
    ///
    /// `body` gets the bytes of the member's key between the quotes (escapes unresolved) and
    /// the range of its value, and returns `true` to stop early.
    ///
    /// - Returns: Whether the object was read to its closing brace (or `body` stopped it);
    ///   `false` when the text is not an object or breaks off.
    @discardableResult
    static func forEach(
        in bytes: UnsafeBufferPointer<UInt8>,
        _ body: (UnsafeBufferPointer<UInt8>, Range<Int>) -> Bool
    ) -> Bool {
        var scanner = Scanner(bytes: bytes)
        return scanner.scanObject(body)
    }

    /// The value range of the first member named `key`.
    func value(of key: String) -> Range<Int>? {
        members.first { $0.key == key }?.value
    }

    /// The keys in order, for describing an object that is not a record.
    var keys: [String] {
        members.map(\.key)
    }

    /// The decoded string value of `key`, when that value is a string.
    func string(_ key: String, in bytes: UnsafeBufferPointer<UInt8>) -> String? {
        guard let range = value(of: key), range.count >= 2, bytes[range.lowerBound] == UInt8(ascii: "\"") else {
            return nil
        }
        let content = UnsafeBufferPointer(rebasing: bytes[(range.lowerBound + 1)..<(range.upperBound - 1)])
        return JSONStringDecoder.decodeValidated(content)
    }
}

extension JSONMembers {
    private struct Scanner {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0

        mutating func scanObject(_ body: (UnsafeBufferPointer<UInt8>, Range<Int>) -> Bool) -> Bool {
            skipWhitespace()
            guard next(is: "{") else { return false }
            skipWhitespace()
            if next(is: "}") { return true }
            while true {
                skipWhitespace()
                guard let keyRange = scanString() else { return false }
                let key = UnsafeBufferPointer(rebasing: bytes[(keyRange.lowerBound + 1)..<(keyRange.upperBound - 1)])
                skipWhitespace()
                guard next(is: ":") else { return false }
                skipWhitespace()
                let start = index
                guard skipValue() else { return false }
                if body(key, start..<index) { return true }
                skipWhitespace()
                if next(is: ",") { continue }
                return next(is: "}")
            }
        }

        private mutating func next(is character: Unicode.Scalar) -> Bool {
            guard index < bytes.count, bytes[index] == UInt8(ascii: character) else { return false }
            index += 1
            return true
        }

        private mutating func skipWhitespace() {
            while index < bytes.count, isWhitespace(bytes[index]) { index += 1 }
        }

        /// Moves past the string at the current quote, returning its range with the quotes.
        private mutating func scanString() -> Range<Int>? {
            let start = index
            guard next(is: "\"") else { return nil }
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "\\"): index += 2
                case UInt8(ascii: "\""):
                    index += 1
                    return start..<index
                default: index += 1
                }
            }
            return nil
        }

        /// Moves past one value of any type, counting brackets (never recursing).
        private mutating func skipValue() -> Bool {
            guard index < bytes.count else { return false }
            switch bytes[index] {
            case UInt8(ascii: "\""):
                return scanString() != nil
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                var depth = 0
                while index < bytes.count {
                    switch bytes[index] {
                    case UInt8(ascii: "\""):
                        guard scanString() != nil else { return false }
                        continue
                    case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                    case UInt8(ascii: "}"), UInt8(ascii: "]"): depth -= 1
                    default: break
                    }
                    index += 1
                    if depth == 0 { return true }
                }
                return false
            default:
                let start = index
                while index < bytes.count, !isDelimiter(bytes[index]) { index += 1 }
                return index > start
            }
        }

        private func isWhitespace(_ byte: UInt8) -> Bool {
            byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
        }

        private func isDelimiter(_ byte: UInt8) -> Bool {
            byte == UInt8(ascii: ",") || byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") || isWhitespace(byte)
        }
    }
}
