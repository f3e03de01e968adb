import FuzzSupport

/// libFuzzer's entry point.
///
/// The input as the `message` of a CloudWatch Logs subscription payload.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    let payload =
        #"{"messageType":"DATA_MESSAGE","owner":"111122223333","logGroup":"trail","logStream":"s","#
        + #""logEvents":[{"id":"1","timestamp":0,"message":"# + FuzzedFile.jsonString(bytes) + "}]}"
    FuzzedFile.check(Array(payload.utf8), named: "input.json")
    return 0
}
