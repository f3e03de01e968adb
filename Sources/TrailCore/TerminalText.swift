/// Makes untrusted text safe to show on a terminal.
///
/// CloudTrail fields such as user agents, session names and request parameters are chosen by
/// whoever made the call, attackers included. Printed raw, an escape sequence in them could
/// rewrite the analyst's screen or hide lines, so every such string passes through here.
package enum TerminalText {
    /// Returns `text` with control characters (C0, DEL and C1, which includes ESC and CSI)
    /// replaced by visible `\u{…}` notation; tabs become a single space.
    package static func sanitized(_ text: String) -> String {
        // Every control character's UTF-8 form starts with a byte below 0x20, DEL, 0xC2 (C1) or
        // 0xE2 (U+2028, U+2029): without any of those there is nothing to replace.
        guard text.containsUTF8Byte(where: { $0 < 0x20 || $0 == 0x7F || $0 == 0xC2 || $0 == 0xE2 }),
            text.unicodeScalars.contains(where: isControl)
        else { return text }
        var result = ""
        result.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            if scalar == "\t" {
                result.unicodeScalars.append(" ")
            } else if isControl(scalar) {
                result += "\\u{\(String(scalar.value, radix: 16))}"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
            || scalar.value == 0x2028 || scalar.value == 0x2029
    }

    /// `text` from a log, made fit to quote inside a one-line message: control characters
    /// made visible and anything past `limit` characters cut off with an ellipsis.
    package static func excerpt(_ text: String, limit: Int = 60) -> String {
        let clean = sanitized(text)
        guard clean.utf8.count > limit, clean.count > limit else { return clean }
        return String(clean.prefix(limit - 1)) + "…"
    }
}
