import Foundation
import Testing

@testable import TrailIngest

struct EventTimeTests {
    @Test(
        arguments: [
            ("1970-01-01T00:00:00Z", 0),
            ("2026-11-02T10:15:30Z", 1_793_614_530_000),
            ("2026-11-02T10:15:30.250Z", 1_793_614_530_250),
            ("2026-11-02T12:15:30+02:00", 1_793_614_530_000),
            ("2024-02-29T23:59:59Z", 1_709_251_199_000),
        ] as [(String, Int64)]
    )
    func parsesISO8601(_ text: String, _ expected: Int64) {
        #expect(EventTime.milliseconds(from: text) == expected)
    }

    @Test(arguments: ["", "2026-13-01T00:00:00Z", "Oct 2, 2019 11:12:29 PM", "2026-11-02T10:15:30Q", "2026-11-02"])
    func rejectsOtherText(_ text: String) {
        #expect(EventTime.milliseconds(from: text) == nil)
    }

    @Test func formatsWhatItParses() {
        for text in ["2026-11-02T10:15:30Z", "1999-12-31T23:59:59.5Z", "2000-03-01T00:00:00Z"] {
            let milliseconds = EventTime.milliseconds(from: text)
            #expect(milliseconds.map(EventTime.iso8601(milliseconds:)) == text.replacingOccurrences(".5Z", ".500Z"))
        }
    }
}

extension String {
    fileprivate func replacingOccurrences(_ target: String, _ replacement: String) -> String {
        guard let range = range(of: target) else { return self }
        return replacingCharacters(in: range, with: replacement)
    }
}
