import TrailCore
import TrailIngest

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What every fuzz target does with its input: writes it to a file, decodes the file as ingest
/// does, and checks the promises the reader makes about any input, not only about crashing.
///
/// A broken promise traps, which libFuzzer reports like a crash, with the input that did it.
package enum FuzzedFile {
    /// Decodes `bytes` as the file `name` and checks the outcome.
    package static func check(_ bytes: [UInt8], named name: String) {
        let path = scratchFolder + "/" + name
        guard write(bytes, to: path) else { fatalError("cannot write the fuzz input to \(path)") }
        var configuration = FileDecoder.Configuration()
        // Small chunks reach the code paths that join a record split across reads, and a low
        // limit the ones that stop a bomb, within the sizes libFuzzer tries.
        configuration.chunkSize = 64
        configuration.maximumDecompressedSize = 1 << 20
        configuration.maximumRecordSize = 64 << 10
        var discovery = Discovery()
        discovery.add(path: path)
        guard let file = discovery.files.first else { fatalError("cannot find the fuzz input at \(path)") }
        var delivered = 0
        let outcome: FileOutcome
        do {
            outcome = try FileDecoder(configuration: configuration).decode(file) { record in
                delivered += 1
                checkRecord(record)
            }
        } catch {
            fatalError("the decoder threw though the sink never does: \(error)")
        }
        precondition(outcome.recordCount == delivered, "outcome counts \(outcome.recordCount), sink got \(delivered)")
        for line in [outcome.reason].compactMap({ $0 }) + outcome.warnings {
            precondition(
                !line.contains("\n") && !line.contains("\r"),
                "a message spans lines: \(line.debugDescription)"
            )
            precondition(!line.isEmpty, "an empty message")
        }
        switch outcome.state {
        case .ok: break
        case .partial: precondition(delivered > 0, "partial without records")
        case .failed: precondition(delivered == 0 && outcome.reason != nil, "failed with records or without a reason")
        case .skipped: precondition(delivered == 0 && outcome.reason != nil, "skipped with records or without a reason")
        }
    }

    /// A record handed out must be one valid JSON object whose extracted fields agree with a
    /// fresh parse of its stored text: the database keeps that text as the evidence.
    private static func checkRecord(_ record: EventRecord) {
        precondition(String(validating: record.raw, as: UTF8.self) != nil, "a record that is not UTF-8")
        record.raw.withUnsafeBufferPointer { raw in
            do {
                let again = try RecordParser.parse(raw, containerDepth: 0)
                precondition(again.values == record.values, "fields differ from a fresh parse of the stored text")
            } catch {
                preconditionFailure("a stored record does not parse on its own: \(error)")
            }
        }
    }

    /// The input as a JSON string literal, for embedding it in an envelope.
    package static func jsonString(_ bytes: [UInt8]) -> String {
        JSONValue.string(String(decoding: bytes, as: UTF8.self)).rendered()
    }

    private static let scratchFolder: String = {
        let folder = "/tmp/trailhound-fuzz-\(getpid())"
        mkdir(folder, 0o700)
        return folder
    }()

    private static func write(_ bytes: [UInt8], to path: String) -> Bool {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        return bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = writeBytes(descriptor, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
                guard written > 0 else { return false }
                offset += written
            }
            return true
        }
    }
}

/// `write(2)`, named apart from ``FuzzedFile``'s own `write`.
private func writeBytes(_ descriptor: Int32, _ bytes: UnsafeRawPointer?, _ count: Int) -> Int {
    write(descriptor, bytes, count)
}
