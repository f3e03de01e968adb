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
}
