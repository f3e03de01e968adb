import Foundation

/// A fresh folder under the system's temporary directory, removed when released.
package final class TemporaryDirectory: Sendable {
    package let path: String

    package init(_ label: String = "trailhound-test") throws {
        let base = FileManager.default.temporaryDirectory.path
        path = "\(base)/\(label)-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Writes `bytes` to `relativePath`, creating folders as needed, and returns the full path.
    @discardableResult
    package func write(_ bytes: [UInt8], to relativePath: String) throws -> String {
        let full = "\(path)/\(relativePath)"
        let folder = (full as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: full))
        return full
    }

    /// Writes UTF-8 `text` to `relativePath`.
    @discardableResult
    package func write(_ text: String, to relativePath: String) throws -> String {
        try write(Array(text.utf8), to: relativePath)
    }

    /// A path inside the folder, for a database or output file.
    package func file(_ name: String) -> String {
        "\(path)/\(name)"
    }
}
