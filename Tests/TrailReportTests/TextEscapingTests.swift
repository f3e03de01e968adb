import Testing
import TrailCore
import TrailReport

/// The escapers that stand between attacker-controlled log text and a terminal, a spreadsheet
/// or a Markdown ticket.
struct TextEscapingTests {
    @Test func quotesCSVCellsWithAnyLineBreakOrQuoteEvenInsideACharacter() {
        // "\r\n" is one Swift Character, and a quote followed by a combining accent is another:
        // neither may slip through unquoted or with its quote left undoubled.
        #expect(TabularText.csvCell("a\r\nb") == "\"a\r\nb\"")
        #expect(TabularText.csvCell("x\"\u{301},y") == "\"x\"\"\u{301},y\"")
        #expect(TabularText.csvCell("plain") == "plain")
        #expect(TabularText.csvCell("-12.5") == "-12.5")
        #expect(TabularText.csvCell("-cmd") == "'-cmd")
    }

    @Test func alignsTableColumnsByCharactersAndClipsLongCells() {
        let table = TabularText.table(
            columns: ["a", "b"],
            rows: [["é\u{1b}", "x"], [String(repeating: "z", count: 10), "y"]],
            maximumCellWidth: 8
        )
        let lines = table.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines == ["a" + String(repeating: " ", count: 9) + "b", "é\\u{1b}   x", "zzzzzzz…  y", ""])
    }

    @Test func escapesMarkdownMarkupAndControlsInEveryCell() {
        #expect(MarkdownText.escaped("a|b_<script>") == "a\\|b\\_\\<script\\>")
        // The control becomes visible text, whose backslash Markdown must then show literally.
        #expect(MarkdownText.escaped("café\u{7}") == "café\\\\u{7}")
        #expect(MarkdownText.escaped("plain text") == "plain text")
    }

    @Test func leavesTextWithoutControlsAloneAndShowsC1AndLineSeparators() {
        #expect(TerminalText.sanitized("naïve → ok") == "naïve → ok")
        #expect(TerminalText.sanitized("a\u{9b}31mb\u{2028}") == "a\\u{9b}31mb\\u{2028}")
    }

    @Test func writesJSONStringsWithEscapesOnlyWhereNeeded() {
        #expect(JSONValue.string("plain → text").rendered() == "\"plain → text\"")
        #expect(JSONValue.string("q\"\\\u{1}\u{2028}").rendered() == #""q\"\\\u0001\u2028""#)
    }
}

struct LongTableTests {
    /// Enough rows for the table and CSV writers to share the work between cores.
    private static let count = 9_001

    private static func cells(_ index: Int) -> [String] {
        [String(repeating: "r", count: index % 7 + 1) + "\(index)", index == 4_321 ? "tab\there" : "x", "=end"]
    }

    @Test func aLongTableIsAlignedOnTheWidestCellOfAnyPart() {
        var output = ""
        TabularText.writeTable(columns: ["name", "note", "last"], count: Self.count, to: &output, cells: Self.cells)
        let widest = (0..<Self.count).map { Self.cells($0)[0].count }.max() ?? 0
        var expected = "name" + String(repeating: " ", count: widest - 4 + 2) + "note      last\n"
        for index in 0..<Self.count {
            let cells = Self.cells(index)
            let note = index == 4_321 ? "tab here" : "x"
            expected += cells[0] + String(repeating: " ", count: widest - cells[0].count + 2)
            expected += note + String(repeating: " ", count: 8 - note.count + 2) + "=end\n"
        }
        #expect(output == expected)
    }

    @Test func aLongCSVKeepsEveryRowInOrderAndDefused() {
        var output = ""
        TabularText.writeCSV(columns: ["name", "note", "last"], count: Self.count, to: &output, cells: Self.cells)
        let lines = output.split(separator: "\r\n", omittingEmptySubsequences: false)
        #expect(lines.count == Self.count + 2)
        #expect(lines[0] == "name,note,last")
        #expect(lines[1] == "r0,x,'=end")
        #expect(lines[Self.count] == "\(Self.cells(Self.count - 1)[0]),x,'=end")
        #expect(lines[4_322] == "\(Self.cells(4_321)[0]),tab\there,'=end")
    }
}
