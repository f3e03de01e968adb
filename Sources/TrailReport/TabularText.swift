import TrailCore

/// Renders rows of text as an aligned table for a terminal, or as CSV for spreadsheets.
///
/// Cells may hold attacker-controlled text (user agents, request parameters): the table strips
/// control characters, and CSV quotes every cell that needs it and defuses formula prefixes.
package enum TabularText {
    /// An aligned table with a header line, cells separated by two spaces.
    package static func table(columns: [String], rows: [[String]], maximumCellWidth: Int = 60) -> String {
        let clean = rows.map { $0.map { clip(TerminalText.sanitized($0), to: maximumCellWidth) } }
        let header = columns.map { clip(TerminalText.sanitized($0), to: maximumCellWidth) }
        var widths = header.map(\.count)
        for row in clean {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], cell.count)
            }
        }
        let lines = ([header] + clean).map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[index] - cell.count)
            }.joined(separator: "  ")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// RFC 4180 CSV with a header line and CRLF line endings.
    package static func csv(columns: [String], rows: [[String]]) -> String {
        ([columns] + rows).map { row in row.map(csvCell).joined(separator: ",") + "\r\n" }.joined()
    }

    /// One CSV cell: quoted when it holds a separator, quote or line break, and prefixed with
    /// `'` when a spreadsheet would read it as a formula (`=`, `+`, `-`, `@`, tab, CR).
    package static func csvCell(_ text: String) -> String {
        var cell = text
        if let first = cell.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first),
            !isPlainNumber(cell)
        {
            cell = "'" + cell
        }
        guard cell.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return cell }
        return "\"" + cell.replacingAll("\"", with: "\"\"") + "\""
    }

    private static func isPlainNumber(_ text: String) -> Bool {
        Double(text) != nil
    }

    private static func clip(_ text: String, to width: Int) -> String {
        text.count <= width ? text : String(text.prefix(width - 1)) + "…"
    }
}

extension String {
    /// Replaces every occurrence of `target` with `replacement`.
    package func replacingAll(_ target: Character, with replacement: String) -> String {
        var result = ""
        result.reserveCapacity(count)
        for character in self {
            if character == target {
                result += replacement
            } else {
                result.append(character)
            }
        }
        return result
    }
}
