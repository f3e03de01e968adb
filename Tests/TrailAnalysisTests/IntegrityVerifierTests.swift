import Foundation
import TestSupport
import Testing

@testable import TrailAnalysis
@testable import TrailIngest
@testable import TrailStore

/// Builds a dump with a signed digest chain, using RSA keys made here with `openssl` in place of
/// AWS's, then damages it one way at a time.
private final class SignedDump {
    static let account = "111122223333"
    static let bucket = "trail-bucket"

    let folder: TemporaryDirectory
    var logPaths: [String] = []
    var digestKeys: [String] = []
    var signatures: [String: String] = [:]

    var root: String { folder.file("dump") }

    init(hours: Int = 3) throws {
        folder = try TemporaryDirectory("trailhound-digest")
        try openssl(["genrsa", "-out", folder.file("key.pem"), "2048"])
        try openssl(["genrsa", "-out", folder.file("other.pem"), "2048"])
        var previous: (key: String, sha: String, signature: String)?
        for hour in 0..<hours {
            var entries: [[String: Any]] = []
            for part in 0..<2 {
                let time = String(format: "2026-11-02T%02d:%02d:00Z", 10 + hour, 10 + part * 20)
                let records = (0..<3).map { RecordText.call(eventID: "h\(hour)-p\(part)-\($0)", time: time) }
                let text = RecordText.delivery(records)
                let key =
                    "AWSLogs/\(Self.account)/CloudTrail/us-east-1/2026/11/02/"
                    + "\(Self.account)_CloudTrail_us-east-1_20261102T\(10 + hour)\(10 + part * 20)Z_part\(part).json.gz"
                try folder.write(Gzip.compress(text), to: "dump/" + key)
                logPaths.append(key)
                entries.append([
                    "s3Bucket": Self.bucket, "s3Object": key, "hashValue": SHA256.hex(of: Array(text.utf8)),
                    "hashAlgorithm": "SHA-256",
                ])
            }
            let key =
                "AWSLogs/\(Self.account)/CloudTrail-Digest/us-east-1/2026/11/02/"
                + "\(Self.account)_CloudTrail-Digest_us-east-1_trail_us-east-1_20261102T\(11 + hour)0000Z.json.gz"
            var digest: [String: Any] = [
                "awsAccountId": Self.account,
                "digestStartTime": String(format: "2026-11-02T%02d:00:00Z", 10 + hour),
                "digestEndTime": String(format: "2026-11-02T%02d:00:00Z", 11 + hour),
                "digestS3Bucket": Self.bucket, "digestS3Object": key,
                "digestPublicKeyFingerprint": "fp-current", "digestSignatureAlgorithm": "SHA256withRSA",
                "logFiles": entries,
            ]
            if let previous {
                digest["previousDigestS3Bucket"] = Self.bucket
                digest["previousDigestS3Object"] = previous.key
                digest["previousDigestHashValue"] = previous.sha
                digest["previousDigestHashAlgorithm"] = "SHA-256"
                digest["previousDigestSignature"] = previous.signature
            } else {
                digest["previousDigestSignature"] = NSNull()
            }
            let json = Array(RecordText.record(digest).utf8)
            let sha = SHA256.hex(of: json)
            let signed = [
                digest["digestEndTime"] as? String ?? "", "\(Self.bucket)/\(key)", sha, previous?.signature ?? "null",
            ].joined(separator: "\n")
            let signature = try sign(signed, with: "key.pem")
            try folder.write(Gzip.compress(json), to: "dump/" + key)
            digestKeys.append(key)
            signatures[key] = signature
            previous = (key, sha, signature)
        }
    }

    /// Writes the saved metadata and public keys, as an analyst would have fetched them.
    func material(keyFile: String = "key.pem", fingerprint: String = "fp-current", omitting: String? = nil) throws
        -> SignatureMaterial
    {
        try openssl([
            "rsa", "-in", folder.file(keyFile), "-RSAPublicKey_out", "-outform", "DER", "-out", folder.file("pub.der"),
        ])
        let der = try Data(contentsOf: URL(fileURLWithPath: folder.file("pub.der")))
        let keys: [String: Any] = ["PublicKeyList": [["Value": der.base64EncodedString(), "Fingerprint": fingerprint]]]
        try folder.write(RecordText.record(keys), to: "keys.json")
        var metadata: [String: Any] = [:]
        for (key, signature) in signatures where key != omitting {
            metadata[key] = ["Metadata": ["signature": signature, "signature-algorithm": "SHA256withRSA"]]
        }
        try folder.write(RecordText.record(metadata), to: "signatures.json")
        var material = SignatureMaterial()
        try material.loadPublicKeys(path: folder.file("keys.json"))
        try material.loadSignatures(path: folder.file("signatures.json"))
        return material
    }

    func verify(_ material: SignatureMaterial?) throws -> IntegrityReport {
        let database = folder.file("case.db")
        _ = try CaseIngest(options: .init(paths: [root], databasePath: database)).run()
        return try IntegrityVerifier(paths: [root], databasePath: database, material: material)
            .verify(checkedAt: "2026-12-01T00:00:00Z")
    }

    private func sign(_ text: String, with keyFile: String) throws -> String {
        try folder.write(text, to: "to-sign.txt")
        try openssl([
            "dgst", "-sha256", "-sign", folder.file(keyFile), "-out", folder.file("sig.bin"),
            folder.file("to-sign.txt"),
        ])
        let signature = try Data(contentsOf: URL(fileURLWithPath: folder.file("sig.bin")))
        return signature.map { String(format: "%02x", $0) }.joined()
    }

    private func openssl(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl"] + arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw CocoaError(.executableLoad) }
    }
}

struct IntegrityVerifierTests {
    private static func verdicts(_ report: IntegrityReport) -> [String: String] {
        Dictionary(report.logFiles.map { ($0.path, $0.verdict) }, uniquingKeysWith: { first, _ in first })
    }

    @Test func anIntactSignedChainIsValid() throws {
        let dump = try SignedDump()
        let report = try dump.verify(try dump.material())
        #expect(report.verdict == "valid")
        #expect(Set(Self.verdicts(report).values) == ["valid"])
        #expect(report.logFiles.count == 6)
        #expect(report.digests.map(\.signature) == ["valid", "valid", "valid"])
        #expect(report.digests.map(\.previousHash) == ["first", "matches", "matches"])
        #expect(report.gaps.isEmpty && report.missingDigests.isEmpty)
        #expect(report.summaries.first?.from == "2026-11-02T10:00:00Z")
        #expect(report.summaries.first?.to == "2026-11-02T13:00:00Z")
    }

    @Test func aModifiedLogFileIsCaught() throws {
        let dump = try SignedDump()
        let target = dump.logPaths[2]
        let forged = RecordText.delivery([RecordText.call(eventID: "forged", eventName: "Nothing to see")])
        try dump.folder.write(Gzip.compress(forged), to: "dump/" + target)
        let report = try dump.verify(try dump.material())
        #expect(Self.verdicts(report)[target] == "modified")
        #expect(report.verdict == "modified")
    }

    @Test func aDeletedLogFileIsMissing() throws {
        let dump = try SignedDump()
        try FileManager.default.removeItem(atPath: dump.root + "/" + dump.logPaths[1])
        let report = try dump.verify(nil)
        #expect(Self.verdicts(report)[dump.logPaths[1]] == "missing")
        #expect(report.verdict == "missing")
    }

    @Test func anAppendedGzipMemberIsExtraData() throws {
        let dump = try SignedDump()
        let path = dump.root + "/" + dump.logPaths[0]
        let original = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let appended = Gzip.compress(RecordText.delivery([RecordText.call(eventID: "appended")]))
        try Data(original + appended).write(to: URL(fileURLWithPath: path))
        let report = try dump.verify(try dump.material())
        #expect(Self.verdicts(report)[dump.logPaths[0]] == "extra-data")
        #expect(report.verdict == "modified")
    }

    @Test func aMissingDigestLeavesAGapAndUncoveredFiles() throws {
        let dump = try SignedDump()
        try FileManager.default.removeItem(atPath: dump.root + "/" + dump.digestKeys[1])
        let report = try dump.verify(nil)
        #expect(report.missingDigests.map(\.path) == [dump.digestKeys[1]])
        #expect(report.gaps.map { "\($0.from) \($0.to)" } == ["2026-11-02T11:00:00Z 2026-11-02T12:00:00Z"])
        #expect(Self.verdicts(report)[dump.logPaths[2]] == "uncovered")
        #expect(report.verdict == "missing")
    }

    @Test func aMovedDigestIsReported() throws {
        let dump = try SignedDump()
        let moved = dump.digestKeys[2].replacingOccurrences(of: "/2026/11/02/", with: "/2026/11/03/")
        try FileManager.default.createDirectory(
            atPath: (dump.root + "/" + moved as NSString).deletingLastPathComponent,
            withIntermediateDirectories: true
        )
        try FileManager.default.moveItem(atPath: dump.root + "/" + dump.digestKeys[2], toPath: dump.root + "/" + moved)
        let report = try dump.verify(try dump.material())
        let digest = try #require(report.digests.first { $0.path == moved })
        #expect(digest.location == "moved")
        #expect(digest.signature == "valid", "the signature covers the recorded key, not where it lies")
        #expect(report.verdict == "modified")
    }

    @Test func aBadSignatureIsInvalid() throws {
        let dump = try SignedDump()
        let key = dump.digestKeys[1]
        let signature = try #require(dump.signatures[key])
        dump.signatures[key] = (signature.first == "0" ? "1" : "0") + signature.dropFirst()
        let report = try dump.verify(try dump.material())
        #expect(report.digests.first { $0.path == key }?.signature == "invalid")
        #expect(report.verdict == "modified")
    }

    @Test func theWrongKeyOrAnUnknownFingerprintDoesNotVerify() throws {
        let dump = try SignedDump()
        let wrong = try dump.verify(try dump.material(keyFile: "other.pem"))
        #expect(wrong.digests.map(\.signature) == ["invalid", "invalid", "invalid"])
        let unknown = try dump.verify(try dump.material(fingerprint: "fp-other"))
        #expect(unknown.digests.map(\.signature) == ["unknown-key", "unknown-key", "unknown-key"])
        #expect(unknown.verdict == "unverifiable")
    }

    @Test func signaturesWithoutDataAreSaidNotChecked() throws {
        let dump = try SignedDump()
        let none = try dump.verify(nil)
        #expect(none.digests.map(\.signature) == ["not-checked", "not-checked", "not-checked"])
        #expect(none.signatures.hasPrefix("not checked"))
        #expect(none.verdict == "valid")
        let partial = try dump.verify(try dump.material(omitting: dump.digestKeys[0]))
        #expect(partial.digests.first?.signature == "no-signature")
        #expect(partial.verdict == "unverifiable")
    }

    @Test func theVerdictsAreStoredForReports() throws {
        let dump = try SignedDump()
        try FileManager.default.removeItem(atPath: dump.root + "/" + dump.logPaths[1])
        _ = try dump.verify(nil)
        let rows = try QueryRunner.run(
            "SELECT verdict, count(*) FROM file_verdicts GROUP BY 1 ORDER BY 1",
            databasePath: dump.folder.file("case.db")
        ).rows
        #expect(rows == [[.text("missing"), .integer(1)], [.text("valid"), .integer(5)]])
    }

    @Test func theDigestSamplesParse() throws {
        guard let samples = Fixtures.sharedSamples else {
            print("Skipping: ../shared/samples is absent, so the AWS digest examples cannot be parsed")
            return
        }
        for name in [
            "cloudtrail-log-file-validation-digest-file-structure__L28.json",
            "cloudtrail-log-file-validation-digest-file-structure__L135.json",
        ] {
            let bytes = try [UInt8](
                Data(contentsOf: URL(fileURLWithPath: "\(samples)/awsdocs-cloudtrail-user-guide/\(name)"))
            )
            let digest = try DigestFile(json: bytes)
            #expect(digest.accountID == "111122223333")
            #expect(digest.s3Object.contains("CloudTrail-Digest"))
        }
    }
}
