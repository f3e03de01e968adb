import Foundation
import TrailAnalysis
import TrailCore
import TrailIngest
import TrailReport
import TrailStore

/// `trailhound verify DUMP...`: checks the dump against CloudTrail's digest files, offline.
struct VerifyCommand {
    enum Format: String {
        case table, json
    }

    private let paths: [String]
    private let databasePath: String
    private let publicKeysPath: String?
    private let signaturesPath: String?
    private let format: Format

    init(arguments: [String]) throws(UsageError) {
        let list = try ArgumentList(
            arguments,
            command: "verify",
            options: ["--db", "--public-keys", "--signatures", "--format"],
            flags: []
        )
        guard !list.positionals.isEmpty else {
            throw UsageError(message: "Missing DUMP: give the dump folder to verify", command: "verify")
        }
        paths = list.positionals
        databasePath = list.value("--db") ?? "trailhound.db"
        publicKeysPath = list.value("--public-keys")
        signaturesPath = list.value("--signatures")
        guard (publicKeysPath == nil) == (signaturesPath == nil) else {
            throw UsageError(message: "Give both --public-keys and --signatures to check signatures", command: "verify")
        }
        format = try list.choice("--format", default: .table, command: "verify")
    }

    func run() throws -> Int32 {
        var material: SignatureMaterial?
        if let publicKeysPath, let signaturesPath {
            var loaded = SignatureMaterial()
            try loaded.loadPublicKeys(path: publicKeysPath)
            try loaded.loadSignatures(path: signaturesPath)
            material = loaded
        }
        // The log files' hashes come from ingest, which reads only what is new or changed.
        var options = CaseIngest.Options(paths: paths, databasePath: databasePath)
        options.toolVersion = Trailhound.version
        options.arguments = ["verify"] + paths
        _ = try CaseUpdate.run(options)

        let checkedAt = EventTime.iso8601(milliseconds: Int64(Date().timeIntervalSince1970) * 1_000)
        let report = try IntegrityVerifier(paths: paths, databasePath: databasePath, material: material)
            .verify(checkedAt: checkedAt)
        switch format {
        case .table: print(IntegrityReportText.table(report), terminator: "")
        case .json: print(IntegrityReportText.json(report), terminator: "")
        }
        return report.verdict == "valid" ? Trailhound.ExitStatus.success : Trailhound.ExitStatus.failure
    }
}
