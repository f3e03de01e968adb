import TrailCore

/// Renders rows of text as an aligned table for a terminal, or as CSV for spreadsheets.
///
/// Cells may hold attacker-controlled text (user agents, request parameters): the table strips
/// control characters, and CSV quotes every cell that needs it and defuses formula prefixes.
package enum TabularText {
    /// An aligned table with a header line, cells separated by two spaces.
    package static func table(columns: [String], rows: [[String]], maximumCellWidth: Int = 60) -> String {
        var output = ""
        writeTable(columns: columns, rows: rows, maximumCellWidth: maximumCellWidth, to: &output)
        return output
    }

    /// Writes the aligned table of `rows` to `output`.
    package static func writeTable(
        columns: [String],
        rows: [[String]],
        maximumCellWidth: Int = 60,
        to output: inout some TextOutputStream
    ) {
        writeTable(columns: columns, count: rows.count, maximumCellWidth: maximumCellWidth, to: &output) { rows[$0] }
    }

    /// Writes the aligned table of `count` rows, row `i` holding `cells(i)`, to `output`.
    ///
    /// Long tables are cut into one part per core: each part's cells are cleaned at once, for
    /// the column widths, then each part's lines are laid out at once.
    package static func writeTable(
        columns: [String],
        count: Int,
        maximumCellWidth: Int = 60,
        to output: inout some TextOutputStream,
        cells: @Sendable (Int) -> [String]
    ) {
        let header = columns.map { cell($0, width: maximumCellWidth) }
        let parts = count < rowsPerPart ? 1 : Parallel.partCount(limit: 4)
        let slices = Parallel.slices(of: 0..<count, count: parts)
        let lines: [[[ShownCell]]] = Parallel.map(slices.count) { part in
            slices[part].map { index in cells(index).map { cell($0, width: maximumCellWidth) } }
        }
        var widths = header.map(\.width)
        for line in lines.joined() {
            for (index, cell) in line.enumerated() where index < widths.count {
                widths[index] = max(widths[index], cell.width)
            }
        }
        output.write(layout([header], widths: widths))
        let columnWidths = widths
        for text in Parallel.map(lines.count, { layout(lines[$0], widths: columnWidths) }) {
            output.write(text)
        }
    }

    /// Below this many rows, a table is laid out on one core.
    private static let rowsPerPart = 4_000

    private typealias ShownCell = (text: String, width: Int)

    /// Table lines, each put together as bytes with its padding.
    private static func layout(_ lines: some Collection<[ShownCell]>, widths: [Int]) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(lines.count * 160)
        for line in lines {
            for (index, cell) in line.enumerated() {
                bytes.append(contentsOf: cell.text.utf8)
                if index < line.count - 1 {
                    let padding = max(0, (index < widths.count ? widths[index] : 0) - cell.width) + 2
                    bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: padding))
                }
            }
            bytes.append(UInt8(ascii: "\n"))
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// RFC 4180 CSV with a header line and CRLF line endings.
    package static func csv(columns: [String], rows: [[String]]) -> String {
        var output = ""
        writeCSV(columns: columns, rows: rows, to: &output)
        return output
    }

    /// Writes the CSV of `rows` to `output`.
    package static func writeCSV(
        columns: [String],
        rows: some Sequence<[String]>,
        to output: inout some TextOutputStream
    ) {
        writeCSVLine(columns, to: &output)
        for row in rows { writeCSVLine(row, to: &output) }
    }

    /// Writes the CSV of `count` rows, row `i` holding `cells(i)`, to `output`, laying out long
    /// files on every core.
    package static func writeCSV(
        columns: [String],
        count: Int,
        to output: inout some TextOutputStream,
        cells: @Sendable (Int) -> [String]
    ) {
        writeCSVLine(columns, to: &output)
        Parallel.write(count, to: &output) { range in
            var text = ""
            for index in range { writeCSVLine(cells(index), to: &text) }
            return text
        }
    }

    private static func writeCSVLine(_ cells: [String], to output: inout some TextOutputStream) {
        var line = ""
        for (index, cell) in cells.enumerated() {
            if index > 0 { line += "," }
            line += csvCell(cell)
        }
        line += "\r\n"
        output.write(line)
    }

    /// One CSV cell: quoted when it holds a separator, quote or line break, and prefixed with
    /// `'` when a spreadsheet would read it as a formula (`=`, `+`, `-`, `@`, tab, CR).
    package static func csvCell(_ text: String) -> String {
        var cell = text
        if let first = cell.utf8.first, formulaPrefixes.contains(first), !isPlainNumber(cell) {
            cell = "'" + cell
        }
        guard cell.containsUTF8Byte(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else {
            return cell
        }
        return "\"" + cell.replacingAll("\"", with: "\"\"") + "\""
    }

    /// The first bytes that make a spreadsheet read a cell as a formula: `=`, `+`, `-`, `@`, tab, CR.
    private static let formulaPrefixes = Set("=+-@\t\r".utf8)

    private static func isPlainNumber(_ text: String) -> Bool {
        Double(text) != nil
    }

    /// `text` made safe for the terminal and cut to `width` characters, with its width.
    private static func cell(_ text: String, width: Int) -> (text: String, width: Int) {
        let shown = TerminalText.excerpt(text, limit: width)
        return (shown, shown.displayCount)
    }
}

extension String {
    /// Replaces every occurrence of the scalar `target` with `replacement`.
    ///
    /// Works on scalars, not characters: a quote followed by a combining mark is one character
    /// but still ends a quoted CSV cell or shell word, so it must be replaced too.
    package func replacingAll(_ target: Unicode.Scalar, with replacement: String) -> String {
        guard containsUTF8Byte(where: { $0 == target.value }) || !target.isASCII else { return self }
        var result = ""
        result.reserveCapacity(utf8.count)
        for scalar in unicodeScalars {
            if scalar == target {
                result += replacement
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
