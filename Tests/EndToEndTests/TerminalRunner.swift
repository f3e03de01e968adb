import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Runs the built `trailhound` with its standard output on a pseudo-terminal, as when an analyst
/// runs it in a terminal, and returns what it printed there.
///
/// The terminal is put in raw mode, so the bytes read are the bytes written: no newline becomes
/// "\r\n" on the way.
func runTrailhoundOnTerminal(_ arguments: [String]) throws -> CommandResult {
    let terminal = try PseudoTerminal()
    let process = Process()
    process.executableURL = URL(fileURLWithPath: Fixtures.binary)
    process.arguments = arguments
    let error = Pipe()
    process.standardOutput = terminal.secondary
    process.standardError = error
    try process.run()
    // The child has its own copy; reading reaches the end only once every copy is closed.
    try terminal.secondary.close()
    let errorData = Data.readAll(from: error.fileHandleForReading)
    let output = try terminal.readAll()
    process.waitUntilExit()
    return CommandResult(
        status: process.terminationStatus,
        standardOutput: String(decoding: output, as: UTF8.self),
        standardError: String(decoding: errorData.value, as: UTF8.self),
        outputBytes: output
    )
}

/// A pseudo-terminal pair: the primary side the test reads, the secondary side the child writes.
private final class PseudoTerminal {
    private let primary: Int32
    let secondary: FileHandle

    init() throws {
        var attributes = termios()
        cfmakeraw(&attributes)
        var primary: Int32 = -1
        var secondary: Int32 = -1
        guard openpty(&primary, &secondary, nil, &attributes, nil) == 0 else {
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
        }
        // Close-on-exec, so that processes other tests start in parallel do not inherit a copy
        // and keep the terminal open; the child gets its own through Process's dup2.
        _ = fcntl(primary, F_SETFD, FD_CLOEXEC)
        _ = fcntl(secondary, F_SETFD, FD_CLOEXEC)
        self.primary = primary
        self.secondary = FileHandle(fileDescriptor: secondary, closeOnDealloc: true)
    }

    deinit {
        close(primary)
    }

    /// Reads until the secondary side is closed everywhere (Linux then reports `EIO`), or fails
    /// after 10 seconds without output.
    func readAll() throws -> [UInt8] {
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            var request = pollfd(fd: primary, events: Int16(POLLIN), revents: 0)
            guard poll(&request, 1, 10_000) > 0 else {
                Issue.record("no output on the terminal for 10 seconds")
                return output
            }
            let count = chunk.withUnsafeMutableBytes { read(primary, $0.baseAddress, $0.count) }
            if count > 0 {
                output += chunk.prefix(count)
            } else if count < 0, errno == EINTR {
                continue
            } else {
                return output
            }
        }
    }
}
