/// Quotes values for a POSIX shell script: role and user names come from the logs and may be
/// chosen by an attacker, so nothing from them may be read by the shell as syntax.
package enum ShellQuoting {
    /// `text` as one shell word: unchanged when it holds only characters that are never special,
    /// otherwise in single quotes, with each `'` written as `'\''`.
    package static func quote(_ text: String) -> String {
        let safe =
            !text.isEmpty
            && text.unicodeScalars.allSatisfy { scalar in
                scalar.isASCII
                    && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
                        || "_@%+=:,./-".unicodeScalars.contains(scalar))
            }
        if safe { return text }
        return "'" + text.replacingAll("'", with: "'\\''") + "'"
    }

    /// An argv as one command line.
    package static func commandLine(_ arguments: [String]) -> String {
        arguments.map(quote).joined(separator: " ")
    }
}
