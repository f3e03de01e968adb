import Testing

@testable import TrailAnalysis

/// The small rules of an investigation: the overall severity and the windows searched for
/// principals that share an address.
struct InvestigatorRuleTests {
    private static func indicator(_ kind: Indicator.Kind, _ severity: String) -> Indicator {
        Indicator(kind: kind, severity: severity, explanation: "", eventIDs: [])
    }

    @Test func theWorstIndicatorSetsTheSeverityAndThreeSeriousKindsRaiseIt() {
        #expect(Investigation.severity(of: []) == "informational")
        #expect(Investigation.severity(of: [Self.indicator(.newAPICall, "low")]) == "low")
        let two = [Self.indicator(.newRegion, "medium"), Self.indicator(.newCountry, "medium")]
        #expect(Investigation.severity(of: two) == "medium")
        #expect(Investigation.severity(of: two + [Self.indicator(.newASN, "medium")]) == "high")
        let sameKind = [Self.indicator(.ttpObserved, "high"), Self.indicator(.ttpObserved, "medium")]
        #expect(Investigation.severity(of: sameKind + [Self.indicator(.flaggedIP, "high")]) == "high")
        let critical = [
            Self.indicator(.flaggedIP, "high"), Self.indicator(.impossibleTravel, "high"),
            Self.indicator(.ttpObserved, "critical"),
        ]
        #expect(Investigation.severity(of: critical) == "critical", "never above critical")
    }

    @Test func windowsAroundCallsMergeAndStayInsideTheScope() {
        let windows = Investigator.windows(around: [100, 150, 400, 1_000], margin: 60, within: 0...1_020)
        #expect(windows == [40...210, 340...460, 940...1_020])
        #expect(Investigator.windows(around: [], margin: 60, within: 0...10).isEmpty)
    }
}
