// swift-tools-version: 6.1
import PackageDescription

let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "trailhound",
    products: [
        .executable(name: "trailhound", targets: ["trailhound"])
    ],
    targets: [
        // MARK: - System libraries
        .systemLibrary(name: "CZlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CSQLite", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CCrypto", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CDeflate", providers: [.apt(["libdeflate-dev"])]),
        .systemLibrary(name: "CMaxMindDB", pkgConfig: "libmaxminddb", providers: [.apt(["libmaxminddb-dev"])]),

        // MARK: - Libraries
        .target(name: "TrailCore", swiftSettings: strictSettings),
        .target(
            name: "TrailIngest",
            dependencies: ["TrailCore", "CZlib", "CCrypto", "CDeflate"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "TrailStore",
            dependencies: ["TrailCore", "TrailIngest", "CSQLite", "CDeflate"],
            swiftSettings: strictSettings
        ),
        .target(name: "TrailGeo", dependencies: ["CMaxMindDB"], swiftSettings: strictSettings),
        .target(
            name: "TrailAnalysis",
            dependencies: ["TrailCore", "TrailIngest", "TrailStore", "TrailGeo"],
            resources: [.copy("Resources/techniques.tsv")],
            swiftSettings: strictSettings
        ),
        .target(
            name: "TrailReport",
            dependencies: ["TrailCore", "TrailIngest", "TrailStore", "TrailAnalysis"],
            swiftSettings: strictSettings
        ),

        // MARK: - Executable
        .executableTarget(
            name: "trailhound",
            dependencies: ["TrailCore", "TrailIngest", "TrailStore", "TrailGeo", "TrailAnalysis", "TrailReport"],
            swiftSettings: strictSettings
        ),

        // MARK: - Tests
        .target(
            name: "TestSupport",
            dependencies: ["TrailCore", "TrailIngest", "CZlib"],
            path: "Tests/TestSupport",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "TrailCoreTests",
            dependencies: ["TrailCore"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "TrailIngestTests",
            dependencies: ["TrailIngest", "TestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "TrailStoreTests",
            dependencies: ["TrailStore", "TrailIngest", "TestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "TrailAnalysisTests",
            dependencies: ["TrailAnalysis", "TrailCore", "TrailStore", "TrailGeo", "TestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "TrailReportTests",
            dependencies: ["TrailReport", "TrailAnalysis", "TrailCore", "TestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["trailhound", "TestSupport"],
            swiftSettings: strictSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)

// MARK: - Fuzzing
// The libFuzzer targets exist only for scripts/fuzz, which sets TRAILHOUND_FUZZ=1 and builds
// them with `--sanitize=fuzzer --sanitize=address -Xswiftc -parse-as-library`: libFuzzer brings
// their `main`, so an ordinary build could not link them.
if Context.environment["TRAILHOUND_FUZZ"] == "1" {
    package.targets.append(
        .target(
            name: "FuzzSupport",
            dependencies: ["TrailCore", "TrailIngest"],
            path: "Sources/Fuzz/Support",
            swiftSettings: strictSettings
        )
    )
    for name in ["Gzip", "JSON", "LookupEvents", "EventBridge", "CloudWatchLogs"] {
        package.targets.append(
            .executableTarget(
                name: "Fuzz\(name)",
                dependencies: ["FuzzSupport"],
                path: "Sources/Fuzz/\(name)",
                swiftSettings: strictSettings
            )
        )
    }
}
