import Foundation
import TrailCore

/// Checks on the case database path given to commands that read it.
enum DatabaseFile {
    /// A missing case database, reported without SQLite's generic wording.
    struct MissingError: Error, CustomStringConvertible {
        var path: String

        var description: String {
            "Unable to open the case database '\(TerminalText.sanitized(path))': no such file; "
                + "run 'trailhound ingest' first"
        }
    }

    /// Throws unless `path` exists.
    static func requireExisting(_ path: String) throws(MissingError) {
        guard FileManager.default.fileExists(atPath: path) else { throw MissingError(path: path) }
    }
}
