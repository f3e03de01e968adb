import Foundation

/// Where the repository's fixtures, the shared samples and the built binary are.
package enum Fixtures {
    /// The package root, found from this source file's path.
    package static let packageRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// A path below `Fixtures/`.
    package static func path(_ relative: String) -> String {
        "\(packageRoot)/Fixtures/\(relative)"
    }

    /// `../shared/samples` beside the repository, or `nil` when it is not there (tests that
    /// read it then skip, saying so).
    package static var sharedSamples: String? {
        let path = URL(fileURLWithPath: packageRoot).deletingLastPathComponent()
            .appendingPathComponent("shared/samples").path
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }

    /// Reads a JSON fixture file as a dictionary.
    package static func json(_ relative: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path(relative)))
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw CocoaError(.fileReadCorruptFile)
        }
        return object
    }

    /// The built `trailhound` executable, next to the test bundle.
    package static var binary: String {
        if let explicit = ProcessInfo.processInfo.environment["TRAILHOUND_BIN"] { return explicit }
        let runner = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var folder = runner.deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = folder.appendingPathComponent("trailhound").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            folder.deleteLastPathComponent()
        }
        return "\(packageRoot)/.build/debug/trailhound"
    }
}
