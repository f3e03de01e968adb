import TrailIngest

/// Rules for the strings that identify credentials and sessions.
package enum CredentialText {
    /// Whether `key` looks like a real access key with one of the prefixes.
    ///
    /// Real keys have 20 characters, upper-case letters and digits. Masked (`AKIA****`) and
    /// placeholder (`1111`) keys from sanitised logs do not, nor do the documentation's example
    /// keys (`AKIAIOSFODNN7EXAMPLE`), which many unrelated published records share; none of
    /// them may link sessions.
    package static func isPlausibleKey(_ key: String?, prefixes: [String] = ["ASIA"]) -> Bool {
        guard let key, key.utf8.count == 20, prefixes.contains(where: { key.hasPrefix($0) }),
            !key.hasSuffix("EXAMPLE")
        else { return false }
        return key.utf8.allSatisfy { (0x41...0x5A).contains($0) || (0x30...0x39).contains($0) }
    }

    /// The account in an ARN (`arn:partition:service:region:account:resource`).
    package static func account(ofARN arn: String?) -> String? {
        guard let arn else { return nil }
        let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, !parts[4].isEmpty else { return nil }
        return String(parts[4])
    }

    /// The session name at the end of an `assumed-role/Role/Name` or `federated-user/Name` ARN.
    package static func sessionName(ofARN arn: String?) -> String? {
        guard let arn, let resource = arn.split(separator: ":", maxSplits: 5).last else { return nil }
        let parts = resource.split(separator: "/")
        if parts.first == "assumed-role", parts.count >= 3 { return parts.dropFirst(2).joined(separator: "/") }
        if parts.first == "federated-user", parts.count >= 2 { return parts.dropFirst().joined(separator: "/") }
        return nil
    }

    /// Whether the ARN names an STS session (`assumed-role` or `federated-user`).
    package static func isSessionARN(_ arn: String?) -> Bool {
        sessionName(ofARN: arn) != nil && arn?.contains(":sts:") == true
    }

    /// Whether the role is the reserved role of an IAM Identity Center permission set.
    package static func isIdentityCenterRole(_ roleARN: String?) -> Bool {
        guard let name = roleARN?.split(separator: "/").last else { return false }
        return name.hasPrefix("AWSReservedSSO_")
    }

    /// Converts a credential expiration to ISO 8601 UTC.
    ///
    /// CloudTrail has written it as ISO 8601 and as `Nov 2, 2026, 3:04:05 PM` or
    /// `Oct 2, 2019 11:12:29 PM` (UTC); `nil` for anything else.
    package static func expirationISO(_ text: String?) -> String? {
        guard let text else { return nil }
        if let milliseconds = EventTime.milliseconds(from: text) {
            return EventTime.iso8601(milliseconds: milliseconds)
        }
        let tokens = text.split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init)
        guard tokens.count == 5, let month = months.firstIndex(of: tokens[0].lowercased()),
            let day = Int(tokens[1]), let year = Int(tokens[2])
        else { return nil }
        let clock = tokens[3].split(separator: ":").compactMap { Int($0) }
        let meridiem = tokens[4].uppercased()
        guard clock.count == 3, (1...12).contains(clock[0]), meridiem == "AM" || meridiem == "PM" else { return nil }
        let hour = clock[0] % 12 + (meridiem == "PM" ? 12 : 0)
        let iso =
            fourDigits(year) + "-" + two(month + 1) + "-" + two(day) + "T" + two(hour) + ":"
            + two(clock[1]) + ":" + two(clock[2]) + "Z"
        return EventTime.milliseconds(from: iso).map(EventTime.iso8601(milliseconds:))
    }

    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    private static func fourDigits(_ value: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, 4 - text.count)) + text
    }

    private static func two(_ value: Int) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }
}
