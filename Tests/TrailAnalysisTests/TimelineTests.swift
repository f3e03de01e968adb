import Foundation
import TestSupport
import Testing
import TrailCore
import TrailStore

@testable import TrailAnalysis

struct TimelineTests {
    @Test func rowsBuiltOnEveryCoreMatchRowsBuiltOnOne() throws {
        let folder = try TemporaryDirectory()
        let database = folder.file("case.db")
        _ = try CaseIngest(options: .init(paths: [Fixtures.path("ingest-dump")], databasePath: database)).run()
        let alice = "arn:aws:iam::111122223333:user/dev-alice"
        let whole = try Timeline.build(subjects: [alice], databasePath: database, rowsPerPart: .max)
        let split = try Timeline.build(subjects: [alice], databasePath: database, rowsPerPart: 1)
        #expect(whole.rows.count > 10)
        #expect(whole.rows.contains { !$0.chain.isEmpty })
        let render = { (timeline: Timeline) in timeline.rows.map { JSONValue.object($0.members).rendered() } }
        #expect(render(split) == render(whole))
        let times = whole.rows.compactMap(\.time)
        #expect(times == times.sorted())
    }

    @Test(arguments: [0, 1, 2, 5, 1_000])
    func permuteMovesEveryElementWhereThePositionsSay(_ count: Int) {
        var generator = SystemRandomNumberGenerator()
        let positions = Array(0..<count).shuffled(using: &generator)
        var elements = (0..<count).map { "element \($0)" }
        let expected = positions.map { elements[$0] }
        elements.permute(to: positions)
        #expect(elements == expected)
    }
}
