import Foundation
import TestSupport
import Testing

struct CommandLineTests {
    @Test func helpAndVersionPrintToStandardOutput() throws {
        let help = try runTrailhound(["--help"])
        #expect(help.status == 0)
        #expect(help.standardOutput.contains("Usage: trailhound <command> [options]"))
        let ingestHelp = try runTrailhound(["help", "ingest"])
        #expect(ingestHelp.status == 0)
        #expect(ingestHelp.standardOutput.hasPrefix("Usage: trailhound ingest PATH... [--db FILE]"))
        let version = try runTrailhound(["--version"])
        #expect(version.status == 0)
        #expect(version.standardOutput.hasPrefix("trailhound "))
    }

    @Test(arguments: [
        (["frobnicate"], "Error: Unknown command 'frobnicate'"),
        (["ingest"], "Error: Missing PATH: give a dump folder or files to ingest"),
        (["ingest", "x", "--verbose-ish"], "Error: Unknown option '--verbose-ish'"),
        (["ingest", "x", "--db"], "Error: Missing value for option '--db'"),
        (["query", "SELECT 1", "--format", "xml"], "Error: Invalid value 'xml' for option '--format'"),
        (["ingest", "x", "--max-file-bytes", "1T"], "Error: Invalid value '1T' for option '--max-file-bytes'"),
    ])
    func usageErrorsExitWith64AndAHint(_ arguments: [String], _ message: String) throws {
        let result = try runTrailhound(arguments)
        #expect(result.status == 64)
        #expect(result.errorLines.first == message)
        #expect(result.errorLines.last?.hasPrefix("See 'trailhound help") == true)
        #expect(result.standardOutput.isEmpty)
    }

    @Test func queryOnAMissingDatabaseFailsClearly() throws {
        let folder = try TemporaryDirectory()
        let result = try runTrailhound(["query", "SELECT 1", "--db", folder.file("none.db")])
        #expect(result.status == 1)
        #expect(
            result.errorLines == [
                "Error: Unable to open the case database '\(folder.file("none.db"))': no such file; "
                    + "run 'trailhound ingest' first"
            ]
        )
    }
}
