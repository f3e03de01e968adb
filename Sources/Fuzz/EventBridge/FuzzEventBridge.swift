import FuzzSupport

/// libFuzzer's entry point.
///
/// The input as the `detail` of an EventBridge event forwarded from CloudTrail.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    let event =
        Array(#"{"version":"0","id":"1","detail-type":"AWS API Call via CloudTrail","source":"aws.s3","detail":"#.utf8)
        + bytes + Array("}".utf8)
    FuzzedFile.check(event, named: "input.json")
    return 0
}
