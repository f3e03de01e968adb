import Testing

@testable import TrailIngest

/// Parses `text` as a record inside `{"Records":[…]}`.
private func parse(_ text: String) throws(JSONSyntaxError) -> ParsedRecord {
    let bytes = Array(text.utf8)
    var result: Result<ParsedRecord, JSONSyntaxError> = .failure(JSONSyntaxError(.noData, at: 0))
    bytes.withUnsafeBufferPointer { buffer in
        do throws(JSONSyntaxError) {
            result = .success(try RecordParser.parse(buffer, containerDepth: 2))
        } catch {
            result = .failure(error)
        }
    }
    return try result.get()
}

private func parseError(_ text: String) -> JSONSyntaxError? {
    do {
        _ = try parse(text)
        return nil
    } catch {
        return error
    }
}

/// One malformed record and the error it must produce.
struct MalformedCase: CustomTestStringConvertible, Sendable {
    var name: String
    var text: String
    var kind: JSONSyntaxError.Kind
    var offset: Int

    var testDescription: String { name }
}

struct RecordParserTests {
    @Test func extractsNestedFieldsAndDecodesEscapes() throws {
        let record = try parse(
            #"""
            {"eventID":"e1","userAgent":"caf\u00e9 \ud83d\ude00\t\"q\"","userIdentity":{"type":"AssumedRole",
            "sessionContext":{"sessionIssuer":{"arn":"arn:aws:iam::1:role/R"},
            "attributes":{"mfaAuthenticated":"true"}}},
            "responseElements":{"credentials":{"accessKeyId":"ASIAEXAMPLE"}}}
            """#
        )
        #expect(record[.eventID] == .string("e1"))
        #expect(record[.userAgent] == .string("café 😀\t\"q\""))
        #expect(record[.identityType] == .string("AssumedRole"))
        #expect(record[.issuerARN] == .string("arn:aws:iam::1:role/R"))
        #expect(record[.mfaAuthenticated]?.boolean == true)
        #expect(record[.issuedAccessKeyID] == .string("ASIAEXAMPLE"))
        #expect(record[.errorCode] == nil)
    }

    @Test func keepsNumbersAsTheirText() throws {
        let record = try parse(#"{"eventVersion":1.50e3,"readOnly":false,"eventType":null}"#)
        #expect(record[.eventVersion] == .number("1.50e3"))
        #expect(record[.readOnly] == .bool(false))
        #expect(record[.eventType] == .null)
    }

    @Test func ignoresFieldsOfUnexpectedShape() throws {
        let record = try parse(#"{"userIdentity":"not an object","eventName":{"nested":1},"awsRegion":["a"]}"#)
        #expect(record[.identityType] == nil)
        #expect(record[.eventName] == nil)
        #expect(record[.awsRegion] == nil)
    }

    @Test func reportsDuplicateKeysComparedByDecodedValue() throws {
        let text = #"{"eventName":"A","x":{"k":1,"k":2},"event\u004eame":"B"}"#
        let record = try parse(text)
        let offsets = record.duplicateKeys.map(\.offset)
        #expect(record.duplicateKeys.map(\.key) == ["k", "eventName"])
        #expect(offsets == [Array(text.utf8).indexOf("\"k\":2"), Array(text.utf8).indexOf("\"event\\u004eame")])
        #expect(record[.eventName] == .string("A"), "the first value is kept")
    }

    @Test func findsFieldsByTheirDecodedKeyAndNotByNearMisses() throws {
        let text = #"""
            {"\u0065ventName":"A","userIdentity":{"typ":"x","typeX":"y","\u0074ype":"IAMUser",
            "sessionContext":{"sessionIssuer":{"arn":"issuer"}}},"eventSourc":"no","awsregion":"no"}
            """#
        let record = try parse(text)
        #expect(record[.eventName] == .string("A"))
        #expect(record[.identityType] == .string("IAMUser"))
        #expect(record[.issuerARN] == .string("issuer"))
        #expect(record[.eventSource] == nil)
        #expect(record[.awsRegion] == nil)
    }

    @Test func detectsDuplicatesInObjectsWithManyKeys() throws {
        let members = (0..<200).map { "\"key\($0)\":\($0)" } + ["\"key7\":0"]
        let record = try parse("{" + members.joined(separator: ",") + "}")
        #expect(record.duplicateKeys.map(\.key) == ["key7"])
    }

    @Test func acceptsNestingUpToTheLimitAndRejectsOneMore() {
        // The record sits at depth 3; each bracket adds one level.
        let allowed = "{\"a\":" + String(repeating: "[", count: 509) + String(repeating: "]", count: 509) + "}"
        #expect(parseError(allowed) == nil)
        let tooDeep = "{\"a\":" + String(repeating: "[", count: 510) + String(repeating: "]", count: 510) + "}"
        #expect(parseError(tooDeep) == JSONSyntaxError(.tooDeep(limit: 512), at: 5 + 509))
    }

    static let malformed: [MalformedCase] = [
        .init(
            name: "missing comma",
            text: #"{"a":1 "b":2}"#,
            kind: .unexpectedCharacter(0x22, expected: "',' or '}'"),
            offset: 7
        ),
        .init(
            name: "trailing comma",
            text: #"{"a":1,}"#,
            kind: .unexpectedCharacter(0x7D, expected: "a string key"),
            offset: 7
        ),
        .init(
            name: "leading zero",
            text: #"{"a":01}"#,
            kind: .unexpectedCharacter(0x31, expected: "',' or '}'"),
            offset: 6
        ),
        .init(name: "bare minus", text: #"{"a":-}"#, kind: .invalidNumber, offset: 5),
        .init(name: "fraction without digits", text: #"{"a":1.}"#, kind: .invalidNumber, offset: 5),
        .init(name: "exponent without digits", text: #"{"a":1e+}"#, kind: .invalidNumber, offset: 5),
        .init(
            name: "bad literal",
            text: #"{"a":tru}"#,
            kind: .unexpectedCharacter(0x74, expected: "a value"),
            offset: 5
        ),
        .init(name: "invalid escape", text: #"{"a":"\x"}"#, kind: .invalidEscape, offset: 6),
        .init(name: "short unicode escape", text: #"{"a":"\u12"}"#, kind: .invalidUnicodeEscape, offset: 6),
        .init(name: "lone high surrogate", text: #"{"a":"\ud800x"}"#, kind: .loneSurrogate, offset: 6),
        .init(name: "lone low surrogate", text: #"{"a":"\udc00"}"#, kind: .loneSurrogate, offset: 6),
        .init(
            name: "high surrogate then non-surrogate",
            text: #"{"a":"\ud800\u0041"}"#,
            kind: .loneSurrogate,
            offset: 6
        ),
        .init(
            name: "raw newline in string",
            text: "{\"a\":\"x\ny\"}",
            kind: .controlCharacterInString(0x0A),
            offset: 7
        ),
        .init(
            name: "single quotes",
            text: "{'a':1}",
            kind: .unexpectedCharacter(0x27, expected: "a string key"),
            offset: 1
        ),
        .init(
            name: "unterminated string",
            text: #"{"a":"abc}"#,
            kind: .unexpectedEnd(expected: "'\"' closing a string"),
            offset: 10
        ),
    ]

    @Test(arguments: malformed)
    func rejectsMalformedJSONWithItsOffset(_ testCase: MalformedCase) {
        #expect(parseError(testCase.text) == JSONSyntaxError(testCase.kind, at: testCase.offset))
    }

    @Test(
        arguments: [
            ([0xFF], "invalid byte"),
            ([0xC0, 0xAF], "overlong slash"),
            ([0xE0, 0x80, 0xAF], "overlong three-byte"),
            ([0xED, 0xA0, 0x80], "UTF-8 encoded surrogate"),
            ([0xF4, 0x90, 0x80, 0x80], "above U+10FFFF"),
            ([0x80], "stray continuation"),
            ([0xE2, 0x82], "truncated sequence"),
        ] as [([UInt8], String)]
    )
    func rejectsInvalidUTF8AtTheLeadByte(_ bytes: [UInt8], _ name: String) {
        let text = Array(#"{"a":"ok"#.utf8) + bytes + Array(#""}"#.utf8)
        let error = text.withUnsafeBufferPointer { buffer -> JSONSyntaxError? in
            do throws(JSONSyntaxError) {
                _ = try RecordParser.parse(buffer, containerDepth: 2)
                return nil
            } catch {
                return error
            }
        }
        #expect(error == JSONSyntaxError(.invalidUTF8, at: 8), "\(name)")
    }

    @Test func acceptsValidMultibyteText() throws {
        let record = try parse("{\"userAgent\":\"Ünïcödé ✓ 𝄞 日本\"}")
        #expect(record[.userAgent] == .string("Ünïcödé ✓ 𝄞 日本"))
    }

    @Test func describesErrorsInOneLine() {
        let error = JSONSyntaxError(.unexpectedCharacter(0x22, expected: "',' or '}'"), at: 42)
        #expect(error.description == "JSON syntax error: expected ',' or '}' but found '\"' (at byte 42)")
        #expect(
            JSONSyntaxError(.controlCharacterInString(1), at: 3).description
                == "JSON string holds an unescaped control character byte 0x01 (at byte 3)"
        )
    }
}

extension Array where Element == UInt8 {
    /// The offset of the first occurrence of `text`'s bytes.
    fileprivate func indexOf(_ text: String) -> Int? {
        let needle = Array(text.utf8)
        guard needle.count <= count else { return nil }
        return (0...(count - needle.count)).first { self[$0..<($0 + needle.count)].elementsEqual(needle) }
    }
}
