import TestSupport
import Testing

@testable import TrailIngest

/// What splitting a document produced.
private struct Split {
    var records: [String] = []
    var offsets: [Int] = []
    var error: JSONSyntaxError?
    var container: ItemContainer?
    var containers: [ItemContainer] = []
    var keys: [String] = []
}

/// Splits `text`, feeding it in chunks of `chunkSize` bytes.
private func split(_ text: String, chunkSize: Int = 1 << 20, maximumRecordSize: Int = 1 << 20) -> Split {
    var result = Split()
    var splitter = RecordSplitter(maximumRecordSize: maximumRecordSize)
    let bytes = Array(text.utf8)
    do {
        for start in stride(from: 0, to: bytes.count, by: chunkSize) {
            let chunk = Array(bytes[start..<min(start + chunkSize, bytes.count)])
            try chunk.withUnsafeBufferPointer { buffer in
                try splitter.feed(buffer) { slice in
                    result.records.append(String(decoding: slice.bytes, as: UTF8.self))
                    result.offsets.append(slice.offset)
                    result.containers.append(slice.container)
                }
            }
        }
        try splitter.finish()
    } catch let error as JSONSyntaxError {
        result.error = error
    } catch {
        Issue.record("unexpected error \(error)")
    }
    result.container = splitter.firstContainer
    result.keys = splitter.topLevelKeys
    return result
}

struct RecordSplitterTests {
    private let first = RecordText.call(eventID: "a")
    private let second = RecordText.call(eventID: "b", userAgent: #"x \"}]{[\\ y"#)

    @Test(arguments: [1, 2, 7, 64, 1 << 20])
    func yieldsTheSameRecordsWhateverTheChunkSize(_ chunkSize: Int) {
        let text = "{\"Records\" : [ \(first) ,\r\n\t\(second) ] }\n"
        let result = split(text, chunkSize: chunkSize)
        #expect(result.error == nil)
        #expect(result.records == [first, second])
        #expect(result.offsets == [15, 15 + first.utf8.count + 5])
        #expect(result.container == .records)
    }

    @Test func skipsOtherTopLevelKeysInAnyOrder() {
        let text = #"{"Meta":{"a":[1,{"b":"]}"}],"c":"\"}"},"n":-1.5e3,"t":true,"Records":[\#(first)],"z":null}"#
        let result = split(text, chunkSize: 3)
        #expect(result.error == nil)
        #expect(result.records == [first])
        #expect(result.keys == ["Meta", "n", "t", "Records", "z"])
    }

    @Test func readsATopLevelArrayOfRecords() {
        let result = split("[\(first),\(second)]")
        #expect(result.records == [first, second])
        #expect(result.container == .array)
    }

    @Test func handsOutAnObjectWithoutItemArraysWhole() {
        let text = #"{"digestStartTime":"x","logFiles":[]}"#
        let result = split(text, chunkSize: 4)
        #expect(result.error == nil)
        #expect(result.records == [text])
        #expect(result.containers == [.document])
        #expect(result.container == nil)
        #expect(result.keys == ["digestStartTime", "logFiles"])
    }

    @Test(arguments: [1, 3, 1 << 20])
    func readsJSONLinesAndConcatenatedDocuments(_ chunkSize: Int) {
        let text = "\(first)\n\(second)\r\n{\"Events\":[\(first)],\"NextToken\":\"t\"}{\"Events\":[\(second)]}\n"
        let result = split(text, chunkSize: chunkSize)
        #expect(result.error == nil)
        #expect(result.records == [first, second, first, second])
        #expect(result.containers == [.document, .document, .events, .events])
        #expect(result.offsets[1] == first.utf8.count + 1)
    }

    @Test func handsOutTheMessageTypeWithCloudWatchLogEvents() throws {
        var splitter = RecordSplitter()
        var types: [String?] = []
        let text = #"{"messageType":"CONTROL_MESSAGE","logEvents":[{"id":"1","message":"x"}]}"#
        try Array(text.utf8).withUnsafeBufferPointer { buffer in
            try splitter.feed(buffer) { types.append($0.messageType) }
        }
        try splitter.finish()
        #expect(types == ["CONTROL_MESSAGE"])
    }

    @Test func keepsRecordsBeforeTruncation() {
        let text = "{\"Records\":[\(first),\(second)"
        let cut = String(text.dropLast(10))
        let result = split(cut, chunkSize: 5)
        #expect(result.records == [first])
        #expect(result.error == JSONSyntaxError(.unexpectedEnd(expected: "the rest of a record"), at: cut.utf8.count))
    }

    @Test func locatesDamageInsideAnUnfinishedRecord() {
        // The brackets never balance, so the record is never complete; the error must still
        // point at the bad byte rather than at the end of the data.
        let text = "{\"Records\":[{\"a\":[1,2}, {\"b\":\"c\"}"
        let result = split(text)
        #expect(result.error == JSONSyntaxError(.unexpectedCharacter(0x7D, expected: "',' or ']'"), at: 21))
    }

    @Test func rejectsDataAfterTheDocument() {
        let result = split("{\"Records\":[]} x")
        #expect(result.error == JSONSyntaxError(.dataAfterDocument(0x78), at: 15))
    }

    @Test func notesASecondRecordsDocumentUnlessANewMemberBegan() throws {
        for isNewMember in [false, true] {
            var splitter = RecordSplitter()
            var count = 0
            for (index, part) in ["{\"Records\":[\(first)]}", " {\"Records\":[\(second)]}"].enumerated() {
                if index > 0 && isNewMember { splitter.beginAnotherDocument() }
                try Array(part.utf8).withUnsafeBufferPointer { buffer in
                    try splitter.feed(buffer) { _ in count += 1 }
                }
            }
            try splitter.finish()
            #expect(count == 2)
            let start = "{\"Records\":[\(first)]} ".utf8.count
            #expect(splitter.extraDocumentOffsets == (isNewMember ? [] : [start]))
        }
    }

    @Test func rejectsRecordsThatAreNotArraysOrObjects() {
        #expect(split(#"{"Records":null}"#).error == JSONSyntaxError(.recordsNotArray, at: 11))
        #expect(split(#"{"Records":[1]}"#).error == JSONSyntaxError(.recordNotObject, at: 12))
    }

    @Test func reportsEmptyInput() {
        #expect(split(" \n").error == JSONSyntaxError(.noData, at: 2))
    }

    @Test func limitsTheSizeOfOneRecord() {
        let text = "{\"Records\":[\(first)]}"
        let result = split(text, chunkSize: 100, maximumRecordSize: 256)
        #expect(result.error == JSONSyntaxError(.recordTooLarge(limit: 256), at: 12))
    }
}
