import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A small structured logger in the manner of swift-log, without depending on it.
///
/// Messages are built lazily and carry key=value metadata rather than interpolated prose, so a
/// reader can grep for `file=` and a test can assert on fields.
package struct Logger: Sendable {
    /// The severity of a message, from most to least verbose.
    package enum Level: String, CaseIterable, Comparable, Sendable {
        case trace, debug, info, notice, warning, error, critical

        package static func < (lhs: Level, rhs: Level) -> Bool {
            lhs.ordinal < rhs.ordinal
        }

        private var ordinal: Int {
            Level.allCases.firstIndex(of: self) ?? 0
        }
    }

    /// Metadata attached to a message, printed as `key=value` pairs in insertion order.
    package typealias Metadata = KeyValuePairs<String, String>

    /// The least severe level that reaches the handler.
    package var level: Level
    private let handler: any LogHandler

    /// Creates a logger that sends messages at or above `level` to `handler`.
    package init(level: Level = .notice, handler: any LogHandler) {
        self.level = level
        self.handler = handler
    }

    /// Logs `message` at `level` when the logger's level lets it through.
    package func log(
        _ level: Level,
        _ message: @autoclosure () -> String,
        metadata: @autoclosure () -> [(String, String)] = []
    ) {
        guard level >= self.level else { return }
        handler.write(level: level, message: message(), metadata: metadata())
    }

    package func debug(_ message: @autoclosure () -> String, _ metadata: [(String, String)] = []) {
        log(.debug, message(), metadata: metadata)
    }

    package func info(_ message: @autoclosure () -> String, _ metadata: [(String, String)] = []) {
        log(.info, message(), metadata: metadata)
    }

    package func notice(_ message: @autoclosure () -> String, _ metadata: [(String, String)] = []) {
        log(.notice, message(), metadata: metadata)
    }

    package func warning(_ message: @autoclosure () -> String, _ metadata: [(String, String)] = []) {
        log(.warning, message(), metadata: metadata)
    }

    package func error(_ message: @autoclosure () -> String, _ metadata: [(String, String)] = []) {
        log(.error, message(), metadata: metadata)
    }
}

/// Where a ``Logger`` sends the messages it lets through.
package protocol LogHandler: Sendable {
    /// Writes one message. Implementations must write it whole, even when called concurrently.
    func write(level: Logger.Level, message: String, metadata: [(String, String)])
}

/// Writes log lines to standard error, one whole line at a time.
package struct StandardErrorLogHandler: LogHandler {
    package init() {}

    package func write(level: Logger.Level, message: String, metadata: [(String, String)]) {
        var line = TerminalText.sanitized(message)
        for (key, value) in metadata {
            line += " \(key)=\(TerminalText.sanitized(value))"
        }
        StandardError.writeLine(line)
    }
}

/// Keeps messages in memory, for tests.
package final class MemoryLogHandler: LogHandler {
    private let lines = Mutex<[String]>([])

    package init() {}

    /// The messages written so far, each as `level: message key=value…`.
    package var messages: [String] {
        lines.withLock { $0 }
    }

    package func write(level: Logger.Level, message: String, metadata: [(String, String)]) {
        let rendered = metadata.reduce("\(level.rawValue): \(message)") { $0 + " \($1.0)=\($1.1)" }
        lines.withLock { $0.append(rendered) }
    }
}

/// Serialised access to the process's standard error stream.
package enum StandardError {
    private static let lock = Mutex<Void>(())

    /// Whether standard error is a terminal, which decides between live and periodic progress.
    package static var isTerminal: Bool {
        isatty(STDERR_FILENO) != 0
    }

    /// Writes `line` followed by a newline, under a lock so lines from threads never interleave.
    package static func writeLine(_ line: String) {
        write(line + "\n")
    }

    /// Writes `text` as it is, under the same lock as ``writeLine(_:)``.
    package static func write(_ text: String) {
        lock.withLock { _ in
            var bytes = Array(text.utf8)
            bytes.withUnsafeMutableBytes { buffer in
                guard let base = buffer.baseAddress else { return }
                var offset = 0
                while offset < buffer.count {
                    let written = Glibc.write(STDERR_FILENO, base + offset, buffer.count - offset)
                    if written <= 0 { return }
                    offset += written
                }
            }
        }
    }
}
