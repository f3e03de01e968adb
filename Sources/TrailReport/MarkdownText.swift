import TrailCore

/// Makes log text safe inside Markdown: values from CloudTrail may hold markup or table pipes.
package enum MarkdownText {
    /// `text` with control characters made visible and every character that could start markup,
    /// end a table cell or open HTML escaped with a backslash.
    package static func escaped(_ text: String) -> String {
        let clean = TerminalText.sanitized(text)
        guard clean.containsUTF8Byte(where: isMarkup) else { return clean }
        // The markup characters are ASCII, so they never occur inside a multi-byte character:
        // escaping byte by byte is exact.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(clean.utf8.count + 8)
        for byte in clean.utf8 {
            if isMarkup(byte) { bytes.append(UInt8(ascii: "\\")) }
            bytes.append(byte)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Whether `byte` is one of the characters that Markdown reads as markup, a table's cell
    /// end or HTML: `` \ ` * _ [ ] < > | # ``.
    private static func isMarkup(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "\\"), UInt8(ascii: "`"), UInt8(ascii: "*"), UInt8(ascii: "_"), UInt8(ascii: "["),
            UInt8(ascii: "]"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "|"), UInt8(ascii: "#"):
            true
        default:
            false
        }
    }

    /// `text` as inline code: backticks, which would end it, become quotes.
    package static func code(_ text: String) -> String {
        "`" + TerminalText.sanitized(text).replacingAll("`", with: "'") + "`"
    }
}
