/// Picks a few members of one object of a stored record, without parsing the rest of it.
///
/// Stored records were validated when they were ingested, so this reader only follows the
/// structure (strings, nesting) to find its way; on bytes that are not valid JSON it stops early
/// and returns what it found, never reading out of bounds.
package struct MemberPicker: ~Copyable {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0

    private init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// Which members to pick: the names of one top-level member's object members, prepared
    /// once for many records.
    package struct Selection: Sendable {
        fileprivate let parent: [UInt8]
        fileprivate let names: [[UInt8]]

        /// The members `names` of the object held by the record's top-level member `parent`.
        package init(_ names: [String], inside parent: String) {
            self.parent = Array(parent.utf8)
            self.names = names.map { Array($0.utf8) }
        }
    }

    /// The selected members of `record`: strings decoded, any other value as its JSON text.
    ///
    /// - Returns: The values in the order of the selection's names; `nil` where a member is
    ///   absent or null.
    package static func pick(_ selection: Selection, of record: UnsafeBufferPointer<UInt8>) -> [String?] {
        var picker = MemberPicker(bytes: record)
        var found = [String?](repeating: nil, count: selection.names.count)
        picker.forEachMember { picker, key in
            guard picker.keyEquals(key, selection.parent) else { return false }
            guard picker.peek() == UInt8(ascii: "{") else { return true }
            picker.forEachMember { picker, key in
                if let slot = selection.names.firstIndex(where: { picker.keyEquals(key, $0) }) {
                    found[slot] = picker.valueText()
                } else {
                    picker.skipValue()
                }
                return false
            }
            return true
        }
        return found
    }

    // MARK: - Walking

    /// Calls `body` with each member's key (the bytes between its quotes) of the object at the
    /// current position, positioned on the member's value; `body` either consumes the value
    /// and returns `true` to stop, or returns `false` after consuming it or not at all.
    private mutating func forEachMember(_ body: (inout MemberPicker, Range<Int>) -> Bool) {
        skipWhitespace()
        guard peek() == UInt8(ascii: "{") else { return }
        index += 1
        while true {
            skipWhitespace()
            guard peek() == UInt8(ascii: "\"") else { return }
            guard let key = skipString() else { return }
            skipWhitespace()
            guard peek() == UInt8(ascii: ":") else { return }
            index += 1
            skipWhitespace()
            let start = index
            if body(&self, key) { return }
            if index == start { skipValue() }
            skipWhitespace()
            guard peek() == UInt8(ascii: ",") else {
                if peek() == UInt8(ascii: "}") { index += 1 }
                return
            }
            index += 1
        }
    }

    private func keyEquals(_ key: Range<Int>, _ name: [UInt8]) -> Bool {
        let content = UnsafeBufferPointer(rebasing: bytes[key])
        if !content.contains(UInt8(ascii: "\\")) { return content.elementsEqual(name) }
        return JSONStringDecoder.decodeValidated(content).utf8.elementsEqual(name)
    }

    /// The value at the current position as text, consuming it; `nil` for `null`.
    private mutating func valueText() -> String? {
        let start = index
        if peek() == UInt8(ascii: "\"") {
            guard let content = skipString() else { return nil }
            return JSONStringDecoder.decodeValidated(UnsafeBufferPointer(rebasing: bytes[content]))
        }
        skipValue()
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        return text == "null" ? nil : text
    }

    /// Skips one value of any kind.
    private mutating func skipValue() {
        guard let first = peek() else { return }
        switch first {
        case UInt8(ascii: "\""):
            _ = skipString()
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var depth = 0
            while let byte = peek() {
                switch byte {
                case UInt8(ascii: "\""):
                    guard skipString() != nil else { return }
                    continue
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                default:
                    break
                }
                index += 1
                if depth == 0 { return }
            }
        default:
            while let byte = peek(), !Self.endsScalar(byte) { index += 1 }
        }
    }

    /// Skips the string that starts at the current quote, returning the range of its content;
    /// `nil` when it is not closed.
    private mutating func skipString() -> Range<Int>? {
        let start = index + 1
        var cursor = start
        while cursor < bytes.count {
            switch bytes[cursor] {
            case UInt8(ascii: "\""):
                index = cursor + 1
                return start..<cursor
            case UInt8(ascii: "\\"):
                cursor += 2
            default:
                cursor += 1
            }
        }
        index = bytes.count
        return nil
    }

    private static func endsScalar(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: ",") || byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") || byte == 0x20
            || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    private func peek() -> UInt8? {
        index < bytes.count ? bytes[index] : nil
    }

    private mutating func skipWhitespace() {
        while let byte = peek(), byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { index += 1 }
    }
}
