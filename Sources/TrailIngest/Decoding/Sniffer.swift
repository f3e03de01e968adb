import TrailCore

/// Recognises content by its first bytes and JSON documents by their top-level keys, never by
/// file names.
enum Sniffer {
    enum Kind {
        case gzip, json, other
    }

    /// Gzip by its magic bytes; JSON by a first significant character of `{` or `[`.
    static func kind(of bytes: ArraySlice<UInt8>) -> Kind {
        var index = bytes.startIndex
        if bytes.count >= 2, bytes[index] == 0x1F, bytes[index + 1] == 0x8B { return .gzip }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index += 3 }
        while index < bytes.endIndex, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        guard index < bytes.endIndex else { return .other }
        return bytes[index] == UInt8(ascii: "{") || bytes[index] == UInt8(ascii: "[") ? .json : .other
    }

    /// Why a JSON object that holds no CloudTrail record is skipped, named by its first keys.
    static func describeNonLogObject(keys: [String]) -> String {
        guard !keys.isEmpty else { return "an empty JSON object" }
        let shown = keys.prefix(3).map { "'\(TerminalText.excerpt($0, limit: 40))'" }.joined(separator: ", ")
        return "JSON that holds no CloudTrail record (keys \(shown)\(keys.count > 3 ? ", …" : ""))"
    }
}
