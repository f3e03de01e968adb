import Testing
import TrailCore
import TrailReport
import TrailStore

/// What `trailhound show` prints for a record, to a pipe and to a terminal.
struct EventRecordReportTests {
    private static func stored(_ raw: String, recipient: String? = "111122223333") -> StoredRecord {
        StoredRecord(
            eventID: "e1",
            recipientAccountID: recipient,
            root: "/",
            path: "dump/a.json",
            recordIndex: 3,
            byteOffset: 120,
            raw: Array(raw.utf8)
        )
    }

    private static let hostile = "{\"a\":\"x\u{9B}2J\u{2028}\",\r\n\t\"b\":\"\\u001b\"}"

    @Test func writesTheBytesUnchangedWhenNotOnATerminal() {
        let output = EventRecordReport.render(
            [Self.stored(Self.hostile), Self.stored("{}")],
            as: .text,
            isForTerminal: false
        )
        #expect(output == Array((Self.hostile + "\n{}\n").utf8))
    }

    @Test func showsControlCharactersOnATerminalLineByLine() {
        let output = EventRecordReport.render(
            [Self.stored(Self.hostile)],
            as: .text,
            isForTerminal: true
        )
        let shown = #"{"a":"x\u{9b}2J\u{2028}",\u{d}"# + "\n" + #" "b":"\u001b"}"# + "\n"
        #expect(String(decoding: output, as: UTF8.self) == shown)
    }

    @Test func writesTheJSONContractWithTheExactText() {
        for isForTerminal in [false, true] {
            let output = EventRecordReport.render(
                [Self.stored(Self.hostile, recipient: nil)],
                as: .json,
                isForTerminal: isForTerminal
            )
            let expected =
                #"[{"eventID":"e1","recipientAccountID":null,"file":"/dump/a.json","recordIndex":3,"#
                + #""byteOffset":120,"raw":"{\"a\":\"x\u009b2J\u2028\",\r\n\t\"b\":\"\\u001b\"}"}]"# + "\n"
            #expect(String(decoding: output, as: UTF8.self) == expected)
        }
        #expect(EventRecordReport.render([], as: .json, isForTerminal: false) == Array("[]\n".utf8))
        #expect(EventRecordReport.render([], as: .text, isForTerminal: false).isEmpty)
    }
}
