import TrailCore

/// Makes log text safe inside Markdown: values from CloudTrail may hold markup or table pipes.
package enum MarkdownText {
    /// `text` with control characters made visible and every character that could start markup,
    /// end a table cell or open HTML escaped with a backslash.
    package static func escaped(_ text: String) -> String {
        var result = ""
        for character in TerminalText.sanitized(text) {
            if "\\`*_[]<>|#".contains(character) { result.append("\\") }
            result.append(character)
        }
        return result
    }

    /// `text` as inline code: backticks, which would end it, become quotes.
    package static func code(_ text: String) -> String {
        "`" + TerminalText.sanitized(text).replacingAll("`", with: "'") + "`"
    }
}
