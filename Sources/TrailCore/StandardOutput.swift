#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Standard output written through a buffer, for commands that print many rows: text reaches
/// the descriptor in large writes instead of being gathered into one string first.
package struct StandardOutput: TextOutputStream {
    private var buffer: [UInt8] = []
    private static let flushSize = 1 << 16

    package init() {
        buffer.reserveCapacity(Self.flushSize * 2)
    }

    /// Whether standard output is a terminal, where untrusted text must be made safe to show.
    package static var isTerminal: Bool {
        isatty(STDOUT_FILENO) != 0
    }

    package mutating func write(_ string: String) {
        buffer.append(contentsOf: string.utf8)
        if buffer.count >= Self.flushSize { flush() }
    }

    /// Writes `bytes` exactly as they are, for output that must not pass through a `String`.
    package mutating func write(bytes: some Sequence<UInt8>) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= Self.flushSize { flush() }
    }

    /// Writes what is buffered; call before the process exits or prints by other means.
    package mutating func flush() {
        buffer.withUnsafeBytes { bytes in
            guard let start = bytes.baseAddress else { return }
            var offset = 0
            while offset < bytes.count {
                let written = writeToStandardOutput(start + offset, bytes.count - offset)
                if written > 0 {
                    offset += written
                } else if written < 0, errno == EINTR {
                    continue
                } else {
                    // A closed pipe or a full disk: the reader is gone, nothing more can be said.
                    break
                }
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }
}

/// `write(2)` on standard output; outside the type, whose own `write` would shadow it.
private func writeToStandardOutput(_ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(STDOUT_FILENO, bytes, count)
}
