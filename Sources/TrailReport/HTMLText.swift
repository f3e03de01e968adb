/// Makes log text safe inside HTML and inline SVG: every value from CloudTrail (a user agent, a
/// session name, an ARN, a file path) may have been chosen by an attacker.
///
/// The same escaping serves element text and quoted attribute values, so a caller cannot pick
/// the wrong one.
package enum HTMLText {
    /// `text` escaped for element text and for attribute values in either kind of quotes.
    ///
    /// Control characters (a newline too) and the invisible characters that reorder or hide
    /// text become visible `\u{…}` notation, so that what a reader sees is what the log holds.
    package static func escaped(_ text: String) -> String {
        escaped(text, keepingLineBreaks: false)
    }

    /// `text` escaped as ``escaped(_:)`` does but with line breaks and tabs kept, for `<pre>`
    /// blocks such as a command line that must stay copyable as it is.
    package static func preformatted(_ text: String) -> String {
        escaped(text, keepingLineBreaks: true)
    }

    /// `text` reduced to the characters an `id` or a fragment link may hold, `[A-Za-z0-9_-]`,
    /// so that no value can leave the attribute or point elsewhere; `item` when nothing is left.
    package static func identifier(_ text: String) -> String {
        let kept = text.unicodeScalars.filter(identifierCharacters.contains)
        return kept.isEmpty ? "item" : String(kept)
    }

    private static let identifierCharacters = Set(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".unicodeScalars
    )

    /// `text` cut to at most `limit` characters, ending in an ellipsis when it was cut.
    ///
    /// Cut before escaping, so that no entity is split.
    package static func truncated(_ text: String, to limit: Int) -> String {
        guard text.count > limit, limit > 1 else { return text }
        return String(text.prefix(limit - 1)) + "\u{2026}"
    }

    /// An element with escaped text content and an optional class, such as
    /// `<td class="key">…</td>`.
    ///
    /// - Parameters:
    ///   - name: The element name, a constant of the renderer.
    ///   - text: The content, escaped here.
    ///   - className: A class name, a constant of the renderer.
    package static func element(
        _ name: String,
        _ text: String,
        className: String? = nil
    ) -> String {
        let classAttribute = className.map { " class=\"\(identifier($0))\"" } ?? ""
        return "<\(name)\(classAttribute)>\(escaped(text))</\(name)>"
    }

    // MARK: - Escaping

    private static func escaped(_ text: String, keepingLineBreaks: Bool) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            case "\n" where keepingLineBreaks, "\t" where keepingLineBreaks:
                result.unicodeScalars.append(scalar)
            default:
                if isHidden(scalar) {
                    result += "\\u{\(String(scalar.value, radix: 16))}"
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result
    }

    /// Whether `scalar` is a control character (C0, DEL, C1) or an invisible formatting one:
    /// bidirectional overrides and isolates, zero-width characters, the byte-order mark.
    private static func isHidden(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: return true
        case 0x200B...0x200F, 0x202A...0x202E, 0x2060...0x2069, 0xFEFF: return true
        default: return false
        }
    }
}
