import Foundation
import TestSupport
import Testing

@testable import TrailIngest

struct DiscoveryTests {
    @Test func walksFoldersWithoutFollowingLinkLoopsForever() throws {
        let folder = try TemporaryDirectory()
        try folder.write("{}", to: "dump/AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/02/a.json")
        try FileManager.default.createSymbolicLink(atPath: folder.file("dump/AWSLogs/loop"), withDestinationPath: "..")
        var discovery = Discovery()
        discovery.add(path: folder.file("dump"))
        #expect(discovery.files.map(\.relativePath) == ["AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/02/a.json"])
        #expect(discovery.failures.isEmpty)
    }

    @Test func usesTheFolderHoldingAWSLogsAsRootWhateverFolderIsGiven() throws {
        let folder = try TemporaryDirectory()
        try folder.write("{}", to: "dump/AWSLogs/o-a1b2c3d4e5/111122223333/CloudTrail/eu-west-1/2026/11/02/a.json")
        var discovery = Discovery()
        discovery.add(path: folder.file("dump/AWSLogs/o-a1b2c3d4e5/111122223333"))
        let file = try #require(discovery.files.first)
        #expect(file.root == (try FileSystem.canonicalPath(folder.file("dump"))))
        #expect(file.relativePath == "AWSLogs/o-a1b2c3d4e5/111122223333/CloudTrail/eu-west-1/2026/11/02/a.json")
        #expect(file.layout.accountID == "111122223333")
        #expect(file.layout.organizationID == "o-a1b2c3d4e5")
    }

    @Test func reportsAMissingPath() {
        var discovery = Discovery()
        discovery.add(path: "/nonexistent/dump")
        #expect(discovery.failures.map(\.path) == ["/nonexistent/dump"])
    }
}

struct InflaterLifecycleTests {
    @Test func endIsSafeTwiceAndBeforeStart() throws {
        let inflater = Inflater()
        inflater.end()
        try inflater.start()
        #expect(inflater.isInitialized)
        inflater.end()
        inflater.end()
        #expect(!inflater.isInitialized)
    }

    @Test func canStartAgainAfterEnd() throws {
        let inflater = Inflater()
        try inflater.start()
        inflater.end()
        try inflater.start()
        let compressed = Gzip.compress("hello")
        var output = [UInt8](repeating: 0, count: 64)
        let step = compressed.withUnsafeBytes { input in
            output.withUnsafeMutableBytes { inflater.inflate(input, into: $0) }
        }
        #expect(step.isMemberEnd)
        #expect(step.corruption == nil)
        #expect(String(decoding: output.prefix(step.produced), as: UTF8.self) == "hello")
    }
}
