import TrailCore
import TrailIngest

/// The answer to "does this principal show signs of compromise over this time?", after Amazon
/// Detective's investigations: indicators with evidence, an overall severity, and what could
/// not be known.
///
/// The field names are the `investigate --format json` contract documented in the README.
package struct Investigation: Sendable {
    package var subject: String
    /// The scope time, ISO 8601, both ends included.
    package var scopeStart: String
    package var scopeEnd: String
    /// How the scope was chosen, for people: the options given or the default.
    package var scopeRule: String
    package var baselineDays: Int
    /// The start of the baseline: `baselineDays` before the scope.
    package var baselineStart: String
    /// The principal's first call in the dump, whatever the scope.
    package var firstActivity: String?
    /// Whether the principal's first call is less than ``minimumBaselineDays`` before the
    /// scope, too little history to call anything new.
    package var baselineIsTooShort: Bool
    package var scopeEventCount: Int
    package var baselineEventCount: Int
    /// The most severe indicator's severity, raised a level when several kinds agree;
    /// `informational` when there is none.
    package var severity: String
    package var indicators: [Indicator]
    /// What the investigation could not check, one sentence each.
    package var limitations: [String]

    /// The history Detective wants before it calls behaviour new: two weeks.
    package static let minimumBaselineDays = 14
    /// Detective's baseline: the 45 days before the scope.
    package static let defaultBaselineDays = 45
    /// The scope when none is given: the last day of the principal's activity.
    package static let defaultScopeMs: Int64 = 24 * 3_600_000

    package var jsonValue: JSONValue {
        .object([
            ("subject", .string(subject)),
            ("severity", .string(severity)),
            (
                "scope",
                .object([("start", .string(scopeStart)), ("end", .string(scopeEnd)), ("rule", .string(scopeRule))])
            ),
            (
                "baseline",
                .object([
                    ("days", .int(baselineDays)), ("start", .string(baselineStart)),
                    ("firstActivity", .optional(firstActivity)), ("isTooShort", .bool(baselineIsTooShort)),
                    ("eventCount", .int(baselineEventCount)),
                ])
            ),
            ("scopeEventCount", .int(scopeEventCount)),
            ("indicators", .array(indicators.map(\.jsonValue))),
            ("limitations", .array(limitations.map { .string($0) })),
        ])
    }

    /// The overall severity of `indicators`: the worst one, a level higher (up to critical)
    /// when indicators of three or more kinds are at medium or above.
    static func severity(of indicators: [Indicator]) -> String {
        let worst = indicators.map { TechniqueTable.rank(of: $0.severity) }.max() ?? 0
        let serious = Set(indicators.filter { TechniqueTable.rank(of: $0.severity) >= 2 }.map(\.kind))
        let level = serious.count >= 3 ? min(worst + 1, 4) : worst
        return TechniqueTable.severities[max(level, 0)]
    }
}
