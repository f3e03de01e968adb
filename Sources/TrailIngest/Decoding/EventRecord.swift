/// One CloudTrail record read from a file: its exact text, where it came from, and the fields
/// extracted from it.
package struct EventRecord: Sendable {
    /// The record's bytes exactly as they appeared in the decompressed data (valid UTF-8).
    package var raw: [UInt8]
    /// The record's position in its file, from 0.
    package var recordIndex: Int
    /// The offset of the record's first byte in the file's decompressed data.
    package var byteOffset: Int
    /// The gzip member holding the record, from 0.
    ///
    /// CloudTrail writes one member per file, and its
    /// digest covers only that one, so records from later members are suspect.
    package var gzipMember: Int
    package var values: [ScalarValue?]
    package var duplicateKeys: [DuplicateKey]

    package subscript(field: EventField) -> ScalarValue? {
        values[field.rawValue]
    }

    /// The field as text, with JSON null as `nil`.
    package func text(_ field: EventField) -> String? {
        self[field]?.text
    }
}
