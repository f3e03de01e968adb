import FuzzSupport

/// libFuzzer's entry point.
///
/// The input as the `CloudTrailEvent` string of a lookup-events page: the record parsed from a string.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    let page =
        #"{"Events":[{"EventId":"e1","EventName":"x","CloudTrailEvent":"# + FuzzedFile.jsonString(bytes)
        + #"}],"NextToken":null}"#
    FuzzedFile.check(Array(page.utf8), named: "input.json")
    return 0
}
