/// Picks a few members of one object of a stored record, without parsing the rest of it.
///
/// Stored records were validated when they were ingested, so this follows only the structure,
/// through ``JSONMembers``; on bytes that are not valid JSON it returns what it found before the
/// break, never reading out of bounds.
package enum MemberPicker {
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
        var found = [String?](repeating: nil, count: selection.names.count)
        var parent: Range<Int>?
        JSONMembers.forEach(in: record) { key, value in
            guard matches(key, selection.parent) else { return false }
            parent = value
            return true
        }
        guard let parent, record[parent.lowerBound] == UInt8(ascii: "{") else { return found }
        let object = UnsafeBufferPointer(rebasing: record[parent])
        JSONMembers.forEach(in: object) { key, value in
            if let slot = selection.names.firstIndex(where: { matches(key, $0) }) {
                found[slot] = text(of: UnsafeBufferPointer(rebasing: object[value]))
            }
            return false
        }
        return found
    }

    private static func matches(_ key: UnsafeBufferPointer<UInt8>, _ name: [UInt8]) -> Bool {
        if !key.contains(UInt8(ascii: "\\")) { return key.elementsEqual(name) }
        return JSONStringDecoder.decodeValidated(key).utf8.elementsEqual(name)
    }

    /// A value's text: a string decoded, `nil` for null, anything else as it is written.
    private static func text(of value: UnsafeBufferPointer<UInt8>) -> String? {
        if value.first == UInt8(ascii: "\""), value.count >= 2 {
            return JSONStringDecoder.decodeValidated(UnsafeBufferPointer(rebasing: value.dropFirst().dropLast()))
        }
        let text = String(decoding: value, as: UTF8.self)
        return text == "null" ? nil : text
    }
}
