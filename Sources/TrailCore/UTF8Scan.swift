extension String {
    /// Whether some byte of the string's UTF-8 form satisfies `predicate`.
    ///
    /// Reads native strings' bytes in place: the escapers call this on every cell of every row
    /// to skip the work when, as usual, there is nothing to escape.
    package func containsUTF8Byte(where predicate: (UInt8) -> Bool) -> Bool {
        if let found = utf8.withContiguousStorageIfAvailable({ $0.contains(where: predicate) }) {
            return found
        }
        return utf8.contains(where: predicate)
    }

    /// The number of characters, counted from the bytes when the text is plain ASCII.
    package var displayCount: Int {
        containsUTF8Byte { $0 >= 0x80 } ? count : utf8.count
    }
}
