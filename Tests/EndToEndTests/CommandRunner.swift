import Foundation
import TestSupport

/// What one run of the `trailhound` binary printed and returned.
struct CommandResult {
    var status: Int32
    var standardOutput: String
    var standardError: String
    /// Standard output exactly as written, for output that must match bytes.
    var outputBytes: [UInt8] = []

    /// Standard error without progress lines.
    var errorLines: [String] {
        standardError.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("ingest: ") }
    }
}

/// Runs the built `trailhound` with `arguments` in `directory`.
func runTrailhound(_ arguments: [String], in directory: String? = nil) throws -> CommandResult {
    try runProgram(Fixtures.binary, arguments, in: directory)
}

/// Runs the program at `path` with `arguments` in `directory`, collecting its output.
func runProgram(_ path: String, _ arguments: [String], in directory: String? = nil) throws -> CommandResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    let output = Pipe()
    let error = Pipe()
    process.standardOutput = output
    process.standardError = error
    try process.run()
    // Read both pipes before waiting, so a full pipe cannot block the child.
    let errorData = Data.readAll(from: error.fileHandleForReading)
    let outputData = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return CommandResult(
        status: process.terminationStatus,
        standardOutput: String(decoding: outputData, as: UTF8.self),
        standardError: String(decoding: errorData.value, as: UTF8.self),
        outputBytes: Array(outputData)
    )
}

/// Reads a pipe on a background thread.
final class BackgroundRead: @unchecked Sendable {
    // @unchecked Sendable: `data` is written once by the reading thread before `done` is
    // signalled, and read only after waiting on it.
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        Thread {
            self.data = handle.readDataToEndOfFile()
            self.done.signal()
        }.start()
    }

    var value: Data {
        done.wait()
        done.signal()
        return data
    }
}

extension Data {
    static func readAll(from handle: FileHandle) -> BackgroundRead {
        BackgroundRead(handle)
    }
}

/// Parses JSON text into Foundation objects.
func parseJSON(_ text: String) throws -> Any {
    try JSONSerialization.jsonObject(with: Data(text.utf8))
}
