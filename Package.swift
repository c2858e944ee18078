// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "CaseLedger",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "ledger", targets: ["ledger"]),
        .library(name: "Ledger", targets: ["Ledger"]),
        .library(name: "CaseDomain", targets: ["CaseDomain"]),
        .library(name: "LedgerProofs", targets: ["LedgerProofs"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        // The hall's HTTP server (Sources/HallServer) and its tests.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/hummingbird-project/swift-websocket", from: "1.6.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CLMDB",
            pkgConfig: "lmdb",
            providers: [.apt(["liblmdb-dev"])]
        ),
        .target(name: "LMDB", dependencies: ["CLMDB"]),
        // Proofs, checkpoints and bundles: everything an auditor needs, without LMDB or a store.
        .target(name: "LedgerProofs", dependencies: [.product(name: "Crypto", package: "swift-crypto")]),
        .target(
            name: "Ledger",
            dependencies: ["LMDB", "LedgerProofs"]
        ),
        .target(name: "CaseDomain", dependencies: ["Ledger", "LedgerProofs"]),
        .target(name: "Simulator", dependencies: ["CaseDomain", "Ledger"]),
        .target(name: "ContactsVault", dependencies: ["CaseDomain", "Ledger", "LMDB", .product(name: "Crypto", package: "swift-crypto")]),
        .target(name: "ProjectionKit", dependencies: ["Ledger", "LMDB"]),
        // Projections/: one target per read model, and the pieces they share.
        .target(name: "CaseStatistics", dependencies: ["ProjectionKit", "CaseDomain", "Ledger", "LMDB"],
                path: "Projections/Statistics"),
        .target(name: "CaseStateProjection", dependencies: ["CaseStatistics", "ProjectionKit", "CaseDomain", "Ledger", "LMDB"], path: "Projections/CaseState"),
        .target(name: "ProcessingTimeProjection", dependencies: ["CaseStatistics", "ProjectionKit", "CaseDomain", "Ledger", "LMDB"], path: "Projections/ProcessingTime"),
        .target(name: "EvaluationsProjection", dependencies: ["CaseStatistics", "ProjectionKit", "CaseDomain", "Ledger", "LMDB"], path: "Projections/Evaluations"),
        .target(name: "GoldWindowProjection", dependencies: ["CaseStatistics", "ProjectionKit", "CaseDomain", "Ledger", "LMDB"], path: "Projections/GoldWindow"),
        // The four read models of a hall, built in one place for every program that opens them.
        .target(name: "HallViews", dependencies: ["CaseStateProjection", "ProcessingTimeProjection", "EvaluationsProjection",
                                                  "GoldWindowProjection", "ProjectionKit", "CaseDomain"], path: "Projections/HallViews"),
        // The hall's HTTP server: API, roles, pages; `ledger serve` runs it.
        .target(
            name: "HallServer",
            dependencies: [
                "Ledger", "LMDB", "CaseDomain", "ContactsVault", "ProjectionKit", "CaseStatistics", "HallViews",
                "CaseStateProjection", "ProcessingTimeProjection", "EvaluationsProjection", "GoldWindowProjection",
                "Feed",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The exactly-once feed of a ledger into PostgreSQL, for city-wide analysts.
        .target(
            name: "Feed",
            dependencies: [
                "Ledger", "CaseDomain", "ProjectionKit", "CaseStatistics", "HallViews",
                "CaseStateProjection", "ProcessingTimeProjection", "EvaluationsProjection", "GoldWindowProjection",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),
        .executableTarget(
            name: "ledger",
            dependencies: [
                "HallServer",
                "Feed", "Ledger", "LedgerProofs", "CaseDomain", "Simulator", "ContactsVault", "ProjectionKit", "CaseStatistics", "HallViews",
                "CaseStateProjection", "ProcessingTimeProjection", "EvaluationsProjection", "GoldWindowProjection",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Benchmarks/: the side-by-side benchmark runner (`swift run -c release ledger-bench`).
        .systemLibrary(name: "CSQLite", path: "Benchmarks/CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .executableTarget(
            name: "ledger-bench",
            dependencies: ["Ledger", "LedgerProofs", "LMDB", "CSQLite", "CaseDomain", "Simulator", "ProjectionKit", "CaseStatistics", "HallViews",
                           "CaseStateProjection", "ProcessingTimeProjection", "EvaluationsProjection", "GoldWindowProjection"],
            path: "Benchmarks/Sources/ledger-bench"
        ),
        // `swift run -c release feed-bench`: the feed's throughput into PostgreSQL beside a plain COPY.
        .executableTarget(
            name: "feed-bench",
            dependencies: ["Feed", "Ledger", "CaseDomain", "Simulator", "CaseStatistics",
                           .product(name: "PostgresNIO", package: "postgres-nio"),
                           .product(name: "Logging", package: "swift-log")],
            path: "Benchmarks/Sources/feed-bench"
        ),
        // Child process for the crash-safety test: appends in a loop and prints what was acknowledged.
        .executableTarget(name: "ledger-crash-writer", dependencies: ["Ledger"], path: "Tests/CrashWriter"),
        .target(name: "TestSupport", dependencies: ["Ledger", "LMDB"], path: "Tests/TestSupport"),
        .target(name: "DomainTestSupport", dependencies: ["TestSupport", "CaseDomain", "Ledger", "ProjectionKit", "CaseStatistics"],
                path: "Tests/DomainTestSupport"),
        .testTarget(name: "LMDBTests", dependencies: ["LMDB", "TestSupport"]),
        .testTarget(
            name: "LedgerTests",
            dependencies: ["Ledger", "LMDB", "TestSupport", "ledger-crash-writer"]
        ),
        .testTarget(name: "LedgerProofsTests", dependencies: ["LedgerProofs", "Ledger", "CaseDomain", "LMDB", "TestSupport", "ledger"]),
        .testTarget(name: "CaseDomainTests", dependencies: ["CaseDomain", "Ledger", "TestSupport"]),
        .testTarget(name: "ProjectionKitTests", dependencies: ["ProjectionKit", "Ledger", "LMDB", "TestSupport"]),
        .testTarget(name: "CaseStateTests", dependencies: ["CaseStateProjection", "CaseStatistics", "ProjectionKit", "CaseDomain", "Ledger", "LMDB", "TestSupport", "DomainTestSupport"]),
        .testTarget(name: "ProcessingTimeTests", dependencies: ["ProcessingTimeProjection", "CaseStatistics", "ProjectionKit", "CaseDomain", "Ledger", "LMDB", "TestSupport", "DomainTestSupport"]),
        .testTarget(name: "EvaluationsTests", dependencies: ["EvaluationsProjection", "CaseStatistics", "ProjectionKit", "CaseDomain", "Ledger", "LMDB", "TestSupport", "DomainTestSupport"]),
        .testTarget(name: "GoldWindowTests", dependencies: ["GoldWindowProjection", "CaseStatistics", "ProjectionKit", "CaseDomain", "Ledger", "LMDB", "TestSupport", "DomainTestSupport", "Simulator", "EvaluationsProjection"]),
        .testTarget(name: "ContactsVaultTests", dependencies: ["ContactsVault", "CaseDomain", "Ledger", "TestSupport", "DomainTestSupport", "ledger"]),
        .testTarget(
            name: "HallServerTests",
            dependencies: [
                "HallServer", "CaseDomain", "ContactsVault", "Ledger", "TestSupport", "DomainTestSupport", "ProjectionKit", "CaseStatistics",
                "CaseStateProjection", "ProcessingTimeProjection", "EvaluationsProjection", "GoldWindowProjection", "HallViews",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "WSClient", package: "swift-websocket"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        .testTarget(name: "FeedTests", dependencies: [
            "Feed", "Simulator", "CaseDomain", "Ledger", "TestSupport", "ledger",
            "ProjectionKit", "CaseStatistics", "ProcessingTimeProjection", "EvaluationsProjection", "GoldWindowProjection",
            .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "SimulatorTests", dependencies: ["Simulator", "CaseDomain", "Ledger", "TestSupport"]),
        // Runs the built `ledger` binary as a child process, every subcommand (the dependency builds it first).
        .testTarget(name: "CLITests", dependencies: ["ledger", "TestSupport"]),
        // Seeded fuzzers of the record decoder, the JSON Lines parser and the proof and checkpoint
        // parsers: short runs in FuzzTests, long ones with `ledger-fuzz` (Docs/DAMAGE.md).
        .target(name: "Fuzzing", dependencies: ["CaseDomain", "Ledger", "LedgerProofs"], path: "Tests/Fuzzing"),
        .executableTarget(name: "ledger-fuzz", dependencies: ["Fuzzing"], path: "Tests/FuzzRunner"),
        .testTarget(name: "FuzzTests", dependencies: ["Fuzzing"]),
        // Runs the built `ledger` on damaged copies of a store (build with --build-tests first).
        .testTarget(name: "DamageTests", dependencies: ["ledger", "TestSupport", "LMDB"]),
    ],
    swiftLanguageModes: [.v6]
)
