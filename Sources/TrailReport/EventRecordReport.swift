import TrailCore
import TrailStore

/// Renders the records `trailhound show` prints.
///
/// The records are evidence: the output is their bytes exactly, except on a terminal, where a
/// record may hold text chosen by an attacker and is made safe to show instead.
package enum EventRecordReport {
    /// The output formats.
    package enum Format: String, CaseIterable, Sendable {
        /// Each record's text followed by a newline.
        case text
        /// An array of objects with the record and where it was read from.
        case json
    }

    /// The output for `records`, in order.
    ///
    /// - Parameters:
    ///   - records: The records to print.
    ///   - format: The output format.
    ///   - isForTerminal: Whether the text goes to a terminal: `text` output then has its
    ///     control characters made visible (``TerminalText/sanitized(_:)``), line by line so a
    ///     record written over several lines keeps them. `json` output is the same either way,
    ///     like every command's: it is for programs, and JSON escapes the C0 controls.
    /// - Returns: The bytes to write to standard output.
    package static func render(
        _ records: [StoredRecord],
        as format: Format,
        isForTerminal: Bool
    ) -> [UInt8] {
        switch format {
        case .text:
            var output: [UInt8] = []
            for record in records {
                if isForTerminal {
                    output += Array(shownOnTerminal(record.raw).utf8)
                } else {
                    output += record.raw
                }
                output.append(UInt8(ascii: "\n"))
            }
            return output
        case .json:
            return Array((JSONValue.array(records.map(json)).rendered() + "\n").utf8)
        }
    }

    /// The `--format json` object of one record; its field names are a documented contract.
    package static func json(_ record: StoredRecord) -> JSONValue {
        .object([
            ("eventID", .string(record.eventID)),
            ("recipientAccountID", .optional(record.recipientAccountID)),
            ("file", .string(record.file)),
            ("recordIndex", .integer(record.recordIndex)),
            ("byteOffset", .integer(record.byteOffset)),
            // Ingest stores only records that are valid UTF-8, so the string holds the exact
            // text; bytes that are not UTF-8 could only come from editing the database.
            ("raw", .string(String(decoding: record.raw, as: UTF8.self))),
        ])
    }

    /// `raw` with each line's control characters made visible, the line feeds kept.
    private static func shownOnTerminal(_ raw: [UInt8]) -> String {
        // Split on the byte, not on `Character`s: "\r\n" is one `Character`, and its carriage
        // return, which could hide what precedes it on the line, must be shown.
        raw.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            .map { TerminalText.sanitized(String(decoding: $0, as: UTF8.self)) }
            .joined(separator: "\n")
    }
}
