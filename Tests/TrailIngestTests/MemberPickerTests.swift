import Testing

@testable import TrailIngest

/// Picks the summary members of `requestParameters` from `record`.
private func pick(_ names: [String], from record: String) -> [String?] {
    let selection = MemberPicker.Selection(names, inside: "requestParameters")
    return Array(record.utf8).withUnsafeBufferPointer { MemberPicker.pick(selection, of: $0) }
}

struct MemberPickerTests {
    @Test func picksStringsDecodedAndOtherValuesAsTheirText() {
        let record = #"""
            {"eventName":"PutObject","requestParameters":{"bucketName":"logs","key":"a\"b\u00e9\n",
            "flags":[1,{"x":"}"}],"durationSeconds":3600,"enabled":true,"policy":{"a":[1,2]},"roleArn":null}}
            """#
        let names = ["bucketName", "key", "durationSeconds", "enabled", "policy", "roleArn", "missing"]
        let values = pick(names, from: record)
        #expect(values == ["logs", "a\"bé\n", "3600", "true", #"{"a":[1,2]}"#, nil, nil])
    }

    @Test func readsOnlyTheTopLevelMemberNotAnEqualKeyNestedElsewhere() {
        // responseElements comes first and holds a decoy "requestParameters"; a string value
        // holds the key's text; the real member comes last.
        let record = #"""
            {"userAgent":"\"requestParameters\":{\"bucketName\":\"fake\"}","responseElements":{"requestParameters":
            {"bucketName":"nested"}},"requestParameters":{"bucketName":"real"}}
            """#
        #expect(pick(["bucketName"], from: record) == ["real"])
    }

    @Test func findsNothingWhenTheParentIsNullOrNotAnObject() {
        #expect(pick(["bucketName"], from: #"{"requestParameters":null,"x":{"bucketName":"no"}}"#) == [nil])
        #expect(pick(["bucketName"], from: #"{"requestParameters":["bucketName"]}"#) == [nil])
        #expect(pick(["bucketName"], from: #"{"eventName":"ListBuckets"}"#) == [nil])
    }

    @Test func matchesKeysWrittenWithEscapes() {
        #expect(pick(["userName"], from: #"{"request\u0050arameters":{"user\u004eame":"eve"}}"#) == ["eve"])
    }

    @Test(arguments: [
        "", "{", #"{"requestParameters":{"bucketName":"#, #"{"requestParameters":{"bucketName":"open"#,
        #"{"requestParameters":{"a":[[[[{"#, "]]]]", #"{"requestParameters":{"bucketName" "x"}}"#,
        #"{"requestParameters":{"x":"\"#, "{\"requestParameters\":{\"bucketName\":tru",
    ])
    func stopsWithoutCrashingOnTextThatIsNotValidJSON(record: String) {
        let values = pick(["bucketName"], from: record)
        #expect(values.count == 1)
    }
}
