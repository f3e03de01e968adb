/// A JSON scalar as it appeared in a record: strings decoded, numbers kept as their exact text.
package enum ScalarValue: Equatable, Sendable {
    case string(String)
    /// A number's literal text, so `1.50e3` stays `1.50e3` rather than becoming a Double.
    case number(String)
    case bool(Bool)
    case null

    /// The value as text for a text column: `nil` for JSON null.
    package var text: String? {
        switch self {
        case .string(let value), .number(let value): value
        case .bool(let value): value ? "true" : "false"
        case .null: nil
        }
    }

    /// The value read as a Boolean, accepting the string spellings CloudTrail has used
    /// ("true", "false", "yes", "no" in any case); `nil` when it is neither.
    package var boolean: Bool? {
        switch self {
        case .bool(let value):
            return value
        case .string(let value):
            switch value.lowercased() {
            case "true", "yes": return true
            case "false", "no": return false
            default: return nil
            }
        case .number, .null:
            return nil
        }
    }
}
