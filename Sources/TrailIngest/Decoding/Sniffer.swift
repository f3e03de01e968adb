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

    /// Why a JSON object without `Records` is skipped, judged by its top-level keys.
    static func describeNonLogObject(keys: [String]) -> String {
        let keySet = Set(keys)
        if keySet.contains("digestStartTime") || keySet.contains("digestS3Object") {
            return "CloudTrail digest file"
        }
        if keySet.contains("s3ObjectKey") || (keySet.contains("Type") && keySet.contains("TopicArn")) {
            return "S3/SNS delivery notification"
        }
        if keySet.contains("Events") { return "lookup-events output, not a delivery file" }
        if keySet.contains("detail-type") { return "EventBridge event, not a delivery file" }
        if keySet.contains("logEvents") { return "CloudWatch Logs payload, not a delivery file" }
        if keySet.contains("eventVersion") || keySet.contains("eventID") {
            return "a single event object, not a delivery file"
        }
        return "JSON without a 'Records' array"
    }
}
