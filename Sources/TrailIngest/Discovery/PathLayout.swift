/// What a file's place in a CloudTrail bucket tells about it.
///
/// CloudTrail writes `AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/<file>`, and an
/// organization trail puts the organization id first: `AWSLogs/o-<id>/<account>/CloudTrail/…`.
package struct PathLayout: Equatable, Sendable {
    /// The folder below the account, which tells what CloudTrail wrote there.
    package enum Area: Equatable, Sendable {
        case logs
        case digests
        case insights
        case other(String)
        case outsideLayout
    }

    package var area: Area = .outsideLayout
    package var organizationID: String?
    package var accountID: String?
    package var region: String?
    /// `YYYY-MM-DD` from the date folders.
    package var date: String?

    /// Reads the layout from a path's components (`/`-separated), from `AWSLogs` on.
    package init(path: String) {
        let components = path.split(separator: "/").map(String.init)
        guard let start = components.lastIndex(of: "AWSLogs") else { return }
        var rest = components[(start + 1)...].dropLast()
        if let first = rest.first, Self.isOrganizationID(first) {
            organizationID = first
            rest = rest.dropFirst()
        }
        guard let account = rest.first, Self.isAccountID(account) else { return }
        accountID = account
        rest = rest.dropFirst()
        guard let folder = rest.first else { return }
        area = Self.area(named: folder)
        rest = rest.dropFirst()
        region = rest.first
        let dateParts = Array(rest.dropFirst().prefix(3))
        if dateParts.count == 3, dateParts.allSatisfy({ $0.allSatisfy(\.isNumber) }) {
            date = dateParts.joined(separator: "-")
        }
    }

    private static func area(named folder: String) -> Area {
        switch folder {
        case "CloudTrail": .logs
        case "CloudTrail-Digest": .digests
        case "CloudTrail-Insight": .insights
        default: .other(folder)
        }
    }

    private static func isAccountID(_ text: String) -> Bool {
        text.count == 12 && text.allSatisfy { $0.isASCII && $0.isNumber }
    }

    private static func isOrganizationID(_ text: String) -> Bool {
        text.hasPrefix("o-") && text.count >= 12
            && text.dropFirst(2).allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
    }
}
