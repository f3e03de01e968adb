import TrailCore

/// How a record was wrapped in its file.
package enum ItemKind: Sendable {
    /// The record itself.
    case record
    /// A `lookup-events` item, the record in its `CloudTrailEvent` string.
    case lookupEvent
    /// An EventBridge event "… via CloudTrail", the record in its `detail` object.
    case eventBridge
    /// A CloudWatch Logs event, the record in its `message` string.
    case logEvent
}

/// A CloudTrail record found in an item, unwrapped from its envelope.
struct FoundRecord {
    var kind: ItemKind
    /// The record's text: the bytes of the file, or the decoded string that held it.
    var raw: [UInt8]
    /// The offset in the decompressed data of the record, or of the string that held it.
    var offset: Int
    var parsed: ParsedRecord
}

/// What one item of a document turned out to be.
enum ItemVerdict {
    case record(FoundRecord)
    /// Not a CloudTrail record, for a reason worth stating (digest, Insights, notification…).
    case skipped(String)
    /// A JSON object that is none of the things trailhound reads; its top-level keys.
    case unrecognised([String])
}

/// Tells what an item is, by its top-level keys, and unwraps the record it holds.
///
/// An item is the whole object first checked by ``RecordParser``, so that nothing is accepted
/// from an envelope that is itself malformed; a record embedded as a string is then decoded and
/// checked again as a document of its own.
enum ItemReader {
    /// Reads `slice`.
    ///
    /// - Throws: `JSONSyntaxError` with an offset in the decompressed data.
    static func read(_ slice: RecordSlice) throws(JSONSyntaxError) -> ItemVerdict {
        let parsed: ParsedRecord
        do {
            parsed = try RecordParser.parse(slice.bytes, containerDepth: slice.containerDepth)
        } catch {
            throw error.shifted(by: slice.offset)
        }
        let asRecord = FoundRecord(kind: .record, raw: Array(slice.bytes), offset: slice.offset, parsed: parsed)
        if looksLikeRecord(parsed) { return verdict(for: asRecord) }
        let members = JSONMembers(of: slice.bytes)
        if let verdict = try unwrapEnvelope(slice, members: members) { return verdict }
        if let reason = reasonToSkip(members, in: slice.bytes) { return .skipped(reason) }
        // A delivery file's elements are records whatever their keys: evidence is kept.
        return slice.container == .records ? .record(asRecord) : .unrecognised(members.keys)
    }

    /// Whether the object has any of the keys every CloudTrail record has (even as null).
    private static func looksLikeRecord(_ parsed: ParsedRecord) -> Bool {
        parsed[.eventVersion] != nil || parsed[.eventID] != nil || parsed[.eventTime] != nil
            || parsed[.eventName] != nil
    }

    /// Keeps a record unless it is an AWS event notification, such as S3's.
    ///
    /// Notifications share some of a record's keys. Insights events are records here: whether
    /// to keep them depends on the rest of the file (see ``ContentReader``).
    private static func verdict(for found: FoundRecord) -> ItemVerdict {
        if let source = found.parsed[.eventSource]?.text, source.hasPrefix("aws:") {
            return .skipped(
                source == "aws:s3" ? "S3 event notification" : "'\(TerminalText.excerpt(source))' event notification"
            )
        }
        return .record(found)
    }

    // MARK: - Envelopes

    private static func unwrapEnvelope(
        _ slice: RecordSlice,
        members: JSONMembers
    ) throws(JSONSyntaxError) -> ItemVerdict? {
        if let value = members.value(of: "CloudTrailEvent") {
            return try unwrap(value, field: "CloudTrailEvent", kind: .lookupEvent, in: slice)
        }
        if let detailType = members.string("detail-type", in: slice.bytes), let value = members.value(of: "detail") {
            if detailType == "AWS Insight via CloudTrail" { return .skipped("CloudTrail Insights event") }
            guard detailType.hasSuffix(" via CloudTrail") else {
                return .skipped("EventBridge event '\(TerminalText.excerpt(detailType))', not from CloudTrail")
            }
            return try unwrap(value, field: "detail", kind: .eventBridge, in: slice)
        }
        if slice.container == .logEvents, let value = members.value(of: "message") {
            if slice.messageType == "CONTROL_MESSAGE" { return .skipped("CloudWatch Logs control message") }
            return try unwrap(value, field: "message", kind: .logEvent, in: slice)
        }
        return nil
    }

    /// The record in the envelope member at `range`: an object, or a string holding one.
    private static func unwrap(
        _ range: Range<Int>,
        field: String,
        kind: ItemKind,
        in slice: RecordSlice
    ) throws(JSONSyntaxError) -> ItemVerdict {
        let value = UnsafeBufferPointer(rebasing: slice.bytes[range])
        let offset = slice.offset + range.lowerBound
        switch value.first {
        case UInt8(ascii: "{"):
            let parsed: ParsedRecord
            do {
                parsed = try RecordParser.parse(value, containerDepth: slice.containerDepth + 1)
            } catch {
                throw error.shifted(by: offset)
            }
            return verdict(for: FoundRecord(kind: kind, raw: Array(value), offset: offset, parsed: parsed))
        case UInt8(ascii: "\"") where value.count >= 2:
            let text = JSONStringDecoder.decodeValidated(UnsafeBufferPointer(rebasing: value.dropFirst().dropLast()))
            let raw = Array(text.utf8)
            if kind == .logEvent && raw.first(where: { !isWhitespace($0) }) != UInt8(ascii: "{") {
                return .skipped("CloudWatch Logs message that is not a JSON record")
            }
            let parsed = try parseEmbedded(raw, field: field, at: offset)
            return verdict(for: FoundRecord(kind: kind, raw: raw, offset: offset, parsed: parsed))
        default:
            throw JSONSyntaxError(.embedded(field: field, .recordNotObject), at: offset)
        }
    }

    private static func parseEmbedded(
        _ raw: [UInt8],
        field: String,
        at offset: Int
    ) throws(JSONSyntaxError) -> ParsedRecord {
        let result = raw.withUnsafeBufferPointer { buffer -> Result<ParsedRecord, JSONSyntaxError> in
            do throws(JSONSyntaxError) {
                return .success(try RecordParser.parse(buffer, containerDepth: 0))
            } catch {
                return .failure(error)
            }
        }
        switch result {
        case .success(let parsed): return parsed
        case .failure(let error): throw JSONSyntaxError(.embedded(field: field, error.kind), at: offset)
        }
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    // MARK: - Objects that are not logs

    /// Why an object that holds no record is skipped, when it is something CloudTrail or its
    /// delivery chain writes.
    private static func reasonToSkip(_ members: JSONMembers, in bytes: UnsafeBufferPointer<UInt8>) -> String? {
        let keys = Set(members.keys)
        if keys.contains("digestStartTime") || keys.contains("digestS3Object") {
            return "CloudTrail digest file"
        }
        if members.string("Type", in: bytes) == "Notification" || keys.contains("TopicArn") {
            return "SNS notification"
        }
        if keys.contains("s3ObjectKey") { return "CloudTrail log delivery notification" }
        if members.string("Event", in: bytes) == "s3:TestEvent" { return "S3 test event" }
        if let source = members.string("EventSource", in: bytes), source.hasPrefix("aws:") {
            return "'\(TerminalText.excerpt(source))' event notification"
        }
        if members.string("messageType", in: bytes) == "CONTROL_MESSAGE" { return "CloudWatch Logs control message" }
        if let detailType = members.string("detail-type", in: bytes) {
            return "EventBridge event '\(TerminalText.excerpt(detailType))' without a 'detail' object"
        }
        return nil
    }
}
