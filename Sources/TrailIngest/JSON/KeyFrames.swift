/// The keys seen in each open object of a record, to detect keys that appear twice.
///
/// Keys are compared by their decoded value (`"a"` and `"\u0061"` are the same key). Most
/// objects are small, so a frame is scanned linearly by hash; a frame that grows large gets a
/// hash set, so that a hostile object with many keys cannot make the check quadratic.
struct KeyFrames {
    private struct Entry {
        var hash: UInt64
        var content: UnsafeBufferPointer<UInt8>
        var hasEscapes: Bool
    }

    private struct Frame {
        var start: Int
        var index: Set<UInt64>?
    }

    private static let indexThreshold = 32

    private var entries: [Entry] = []
    private var frames: [Frame] = []

    mutating func pushFrame() {
        frames.append(Frame(start: entries.count))
    }

    mutating func popFrame() {
        guard let frame = frames.popLast() else { return }
        entries.removeSubrange(frame.start...)
    }

    /// Records a key in the innermost frame.
    ///
    /// - Returns: Whether the frame already held the same key.
    mutating func insert(_ content: UnsafeBufferPointer<UInt8>, hasEscapes: Bool) -> Bool {
        guard var frame = frames.popLast() else { return false }
        defer { frames.append(frame) }

        let decoded = hasEscapes ? Array(JSONStringDecoder.decodeValidated(content).utf8) : nil
        let hash = decoded.map { Self.hash($0) } ?? Self.hash(content)
        let entry = Entry(hash: hash, content: content, hasEscapes: hasEscapes)
        let mayExist = frame.index.map { $0.contains(hash) } ?? true
        let isDuplicate = mayExist && entries[frame.start...].contains { $0.hash == hash && Self.same($0, entry) }

        entries.append(entry)
        if frame.index != nil {
            frame.index?.insert(hash)
        } else if entries.count - frame.start > Self.indexThreshold {
            frame.index = Set(entries[frame.start...].map(\.hash))
        }
        return isDuplicate
    }

    private static func same(_ lhs: Entry, _ rhs: Entry) -> Bool {
        if !lhs.hasEscapes && !rhs.hasEscapes {
            return lhs.content.elementsEqual(rhs.content)
        }
        return JSONStringDecoder.decodeValidated(lhs.content) == JSONStringDecoder.decodeValidated(rhs.content)
    }

    /// 64-bit FNV-1a; collisions only cost an exact comparison.
    private static func hash(_ bytes: some Sequence<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        return hash
    }
}
