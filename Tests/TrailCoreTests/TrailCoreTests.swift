import Foundation
import Testing

@testable import TrailCore

struct LoggerTests {
    @Test func lettersThroughOnlyMessagesAtOrAboveItsLevel() {
        let handler = MemoryLogHandler()
        var logger = Logger(level: .notice, handler: handler)
        logger.info("hidden")
        logger.error("shown", [("file", "a.json.gz"), ("records", "3")])
        logger.level = .debug
        logger.debug("now shown")
        #expect(handler.messages == ["error: shown file=a.json.gz records=3", "debug: now shown"])
    }

    @Test func buildsMessagesOnlyWhenTheyAreLogged() {
        let logger = Logger(level: .error, handler: MemoryLogHandler())
        var built = false
        logger.info(
            { () -> String in
                built = true
                return "expensive"
            }()
        )
        #expect(!built)
    }
}

struct TerminalTextTests {
    @Test(arguments: [
        ("plain text", "plain text"),
        ("tab\there", "tab here"),
        ("esc\u{1B}[2Jclear", "esc\\u{1b}[2Jclear"),
        ("line\nbreak", "line\\u{a}break"),
        ("c1\u{9B}csi", "c1\\u{9b}csi"),
        ("caf\u{E9} \u{1F600}", "caf\u{E9} \u{1F600}"),
    ])
    func makesControlCharactersVisible(_ input: String, _ expected: String) {
        #expect(TerminalText.sanitized(input) == expected)
    }
}

struct JSONValueTests {
    @Test func escapesStringsAndKeepsKeyOrder() {
        let value: JSONValue = .object([
            ("z", .string("quote \" backslash \\ newline \n tab \t bell \u{07} sep \u{2028}")),
            ("a", .array([.integer(-1), .bool(true), .null, .double(1.5)])),
        ])
        #expect(
            value.rendered()
                == #"{"z":"quote \" backslash \\ newline \n tab \t bell \u0007 sep \u2028","a":[-1,true,null,1.5]}"#
        )
    }

    /// DEL and the C1 controls (CSI among them) reach a terminal that shows `--format json` output.
    @Test func escapesDELAndC1ControlsButKeepsOtherNonASCIIText() throws {
        let text = "csi \u{9B}2J del \u{7F} nel \u{85} nbsp \u{A0} é 😀"
        let rendered = JSONValue.string(text).rendered()
        #expect(rendered == "\"csi \\u009b2J del \\u007f nel \\u0085 nbsp \u{A0} é 😀\"")
        let decoded = try JSONSerialization.jsonObject(with: Data(rendered.utf8), options: [.fragmentsAllowed])
        #expect(decoded as? String == text)
    }
}

struct ParallelTests {
    private struct Failure: Error, Equatable {
        var part: Int
    }

    @Test(arguments: [0, 1, 2, 3, 7])
    func mapKeepsThePartsInOrder(_ count: Int) {
        let squares = Parallel.map(count) { $0 * $0 }
        #expect(squares == (0..<count).map { $0 * $0 })
    }

    @Test func mapThrowsTheFirstFailingPartsError() {
        #expect(throws: Failure(part: 1)) {
            _ = try Parallel.map(4) { (part: Int) throws(Failure) -> Int in
                if part % 2 == 1 { throw Failure(part: part) }
                return part
            }
        }
    }

    @Test(arguments: [(0, 3), (1, 4), (5, 2), (10, 3), (10_001, 4)])
    func slicesCoverTheRangeInNearlyEqualRuns(_ length: Int, _ count: Int) {
        let range = 7..<(7 + length)
        let slices = Parallel.slices(of: range, count: count)
        #expect(slices.first?.lowerBound == range.lowerBound)
        #expect(slices.last?.upperBound == range.upperBound)
        for (before, after) in zip(slices, slices.dropFirst()) {
            #expect(before.upperBound == after.lowerBound)
        }
        if length > 0 {
            #expect(slices.count == min(count, length))
            #expect(slices.allSatisfy { !$0.isEmpty })
            let sizes = slices.map(\.count)
            #expect((sizes.max() ?? 0) - (sizes.min() ?? 0) <= 1)
        }
    }

    @Test(arguments: [0, 1, 2_047, 4_096, 10_000])
    func writeRendersEveryItemOnceInOrder(_ count: Int) {
        var output = ""
        Parallel.write(count, to: &output) { range in range.map { "\($0)\n" }.joined() }
        #expect(output == (0..<count).map { "\($0)\n" }.joined())
    }
}
