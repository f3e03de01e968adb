import CZlib

/// Owns one zlib inflate stream configured for gzip.
///
/// The corresponding C functions are `inflateInit2`, `inflate`, `inflateReset` and `inflateEnd`
/// (<https://zlib.net/manual.html>).
final class Inflater {
    /// The outcome of one call to ``inflate(_:into:)``.
    struct Step {
        var consumed: Int
        var produced: Int
        var isMemberEnd: Bool
        /// zlib's complaint about the data, if it found the data invalid.
        ///
        /// Output produced before
        /// the problem (``produced``) is still valid: a CRC failure, for one, comes after it all.
        var corruption: String?
    }

    // zlib keeps a pointer back to the z_stream inside its private state and checks it on every
    // call, so the stream must never move: it lives in its own heap allocation, not in a
    // property that Swift could copy.
    private let stream: UnsafeMutablePointer<z_stream>
    private(set) var isInitialized = false

    init() {
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
    }

    deinit {
        end()
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    /// Prepares the stream for a gzip member (window bits 15, plus 16 for the gzip wrapper).
    func start() throws(GzipError) {
        precondition(!isInitialized, "start() called twice without end()")
        stream.pointee = z_stream()
        let status = trailhound_inflateInit2(stream, 15 + 16)
        guard status == Z_OK else { throw .initializationFailed(code: Int(status)) }
        isInitialized = true
    }

    /// Clears state for the next gzip member, keeping the allocated window.
    func reset() throws(GzipError) {
        precondition(isInitialized, "reset() before start()")
        let status = inflateReset(stream)
        guard status == Z_OK else { throw .initializationFailed(code: Int(status)) }
    }

    /// Releases zlib's state.
    ///
    /// Calling it again, or on a stream that never started, does nothing.
    func end() {
        guard isInitialized else { return }
        inflateEnd(stream)
        isInitialized = false
    }

    /// Inflates as much of `input` as fits in `output`.
    ///
    /// Invalid data is reported in the step's ``Step/corruption`` rather than thrown, so that
    /// the caller can keep what was produced before it.
    func inflate(
        _ input: UnsafeRawBufferPointer,
        into output: UnsafeMutableRawBufferPointer
    ) -> Step {
        precondition(isInitialized, "inflate(_:into:) before start()")
        stream.pointee.next_in = UnsafeMutablePointer(
            mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self)
        )
        stream.pointee.avail_in = uInt(input.count)
        stream.pointee.next_out = output.baseAddress?.assumingMemoryBound(to: Bytef.self)
        stream.pointee.avail_out = uInt(output.count)
        // The buffers are only borrowed for this call; leave no dangling pointers in the stream.
        defer {
            stream.pointee.next_in = nil
            stream.pointee.avail_in = 0
            stream.pointee.next_out = nil
            stream.pointee.avail_out = 0
        }

        let status = CZlib.inflate(stream, Z_NO_FLUSH)
        var step = Step(
            consumed: input.count - Int(stream.pointee.avail_in),
            produced: output.count - Int(stream.pointee.avail_out),
            isMemberEnd: status == Z_STREAM_END
        )
        switch status {
        case Z_OK, Z_STREAM_END, Z_BUF_ERROR:
            break
        case Z_NEED_DICT:
            step.corruption = "a preset dictionary is required"
        default:
            step.corruption = stream.pointee.msg.map { String(cString: $0) } ?? "zlib error \(status)"
        }
        return step
    }
}

@available(*, unavailable)
extension Inflater: Sendable {}
