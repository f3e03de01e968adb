import FuzzSupport

/// libFuzzer's entry point.
///
/// Any bytes as a plain `.json` file: sniffing, `Records`, arrays, JSON lines, concatenated documents.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    FuzzedFile.check(bytes, named: "input.json")
    return 0
}
