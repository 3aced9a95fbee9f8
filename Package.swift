// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "xen-board",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "xen-board", targets: ["xen-board"]),
        .library(name: "DeviceTree", targets: ["DeviceTree"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // libfdt from Debian's libfdt-dev (headers + libfdt.a); used to validate every blob read or written.
        .systemLibrary(name: "CLibFDT", path: "Sources/CLibFDT"),
        // Device tree syntax and generic semantics; knows nothing of Xen.
        .target(name: "DeviceTree", dependencies: ["CLibFDT"]),
        // What Xen on Arm means, layered on DeviceTree: shared vocabulary, then one module per concern.
        .target(name: "XenArm", dependencies: ["DeviceTree", "Infrastructure"]),
        // UART console analysis, and the driver generator with its data (descriptions, per-Xen-version layouts).
        .target(name: "UARTDrivers", dependencies: ["DeviceTree", "XenArm", "Infrastructure"], resources: [.copy("Data")]),
        // SoC mechanisms (secondary-CPU start, reset, power-off) recognised from the tree: catalog data + matching.
        .target(name: "SoCMechanisms", dependencies: ["DeviceTree"]),
        .target(name: "SMPBringup", dependencies: ["DeviceTree", "XenArm", "SoCMechanisms"]),
        .target(name: "PlatformQuirks", dependencies: ["DeviceTree", "XenArm", "SMPBringup"]),
        // The typed board model (what `inspect` reports, what gen/passthrough/build decide from), built from the modules above.
        .target(name: "BoardModel", dependencies: ["DeviceTree", "XenArm", "UARTDrivers", "SoCMechanisms", "SMPBringup", "PlatformQuirks"]),
        // Image composition (`xen-board build` / `boot`), layered: board files and inputs, pure writers, then the
        // orchestration that plans memory, rewrites the DTB and writes out/BOARD.
        // Shared infrastructure (processes, numbers, SHA-256, architectures, output placement); depends on nothing.
        // OpenSSL's libcrypto from Debian's libssl-dev, for in-process SHA-256 (docs/dependencies.md says why).
        .systemLibrary(name: "CCrypto", path: "Sources/CCrypto"),
        .target(name: "Infrastructure", dependencies: ["CCrypto"]),
        // A private apt configuration per Debian release under the cache (Debian 13 packages, newest Debian 12 source)
        // whose URIs come from the machine's own apt sources.
        .target(name: "PrivateApt", dependencies: ["Infrastructure"]),
        .target(name: "BoardFile", dependencies: ["XenArm", "Infrastructure"]),
        // Generated Xen platform code, Kconfig/Makefile/defconfig fragments (pure functions, golden-tested).
        .target(name: "PlatformGen", dependencies: ["DeviceTree", "XenArm", "UARTDrivers", "SoCMechanisms", "BoardModel", "BoardFile", "Infrastructure"]),
        // Xen's source (Debian's xen source package), patched with generated files, cross-built.
        .target(name: "XenSource", dependencies: ["XenArm", "Infrastructure", "PrivateApt"]),
        // Partial device trees for device passthrough (dom0less DomUs and xl), and their offline validation.
        .target(name: "Passthrough", dependencies: ["DeviceTree", "XenArm"]),
        .target(name: "BootInputs", dependencies: ["Infrastructure", "PrivateApt"]),
        .target(name: "ImageComposer", dependencies: ["Infrastructure"]),
        // Root filesystems for Dom0: the toolstack one assembled from Debian's packages, and the user's own images.
        .target(name: "RootFilesystem", dependencies: ["BootInputs", "ImageComposer", "Infrastructure"]),
        .target(name: "BoardBuild", dependencies: ["DeviceTree", "XenArm", "BoardModel", "BoardFile", "BootInputs", "PrivateApt", "ImageComposer", "Passthrough", "RootFilesystem",
                                                 "PlatformGen", "XenSource", "Infrastructure", "UARTDrivers"]),
        // `xen-board new`: a board file from a DTB (the bring-up workflow's first step), above image composition.
        .target(name: "BoardBringUp", dependencies: ["DeviceTree", "XenArm", "UARTDrivers", "SoCMechanisms", "SMPBringup", "PlatformQuirks",
                                                    "BoardModel", "BoardFile", "BoardBuild", "PlatformGen", "Infrastructure"]),
        .executableTarget(
            name: "xen-board",
            dependencies: [
                "DeviceTree", "BoardModel", "BoardBringUp", "BoardFile", "BoardBuild", "Passthrough", "PlatformGen", "XenSource", "Infrastructure",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Corpus benchmark: decode + encode of many DTBs in one process (see benchmarks/run.sh).
        .executableTarget(name: "xb-bench", dependencies: ["DeviceTree"], path: "benchmarks/xb-bench"),
        // libFuzzer targets (docs/fuzzing.md): the per-input functions, and one executable per target so that no
        // `main` clashes with the CLI's. scripts/fuzz.sh builds them with -sanitize=fuzzer in .build-fuzz; a
        // normal build makes them replay tools (`fuzz-dtb FILE...`).
        .target(name: "FuzzTargets", dependencies: ["DeviceTree", "BoardFile", "BoardModel", "BoardBuild", "Passthrough"], path: "Fuzz/FuzzTargets"),
        .executableTarget(name: "fuzz-dtb", dependencies: ["FuzzTargets"], path: "Fuzz/fuzz-dtb"),
        .executableTarget(name: "fuzz-boardfile", dependencies: ["FuzzTargets"], path: "Fuzz/fuzz-boardfile"),
        .executableTarget(name: "fuzz-passthrough", dependencies: ["FuzzTargets"], path: "Fuzz/fuzz-passthrough"),
        // Helpers shared by the test targets: running tools and the built CLI, compiling DTS fixtures.
        .target(name: "TestSupport", dependencies: ["DeviceTree", "Infrastructure"], path: "Tests/TestSupport"),
        .testTarget(name: "InfrastructureTests", dependencies: ["Infrastructure"]),
        .testTarget(name: "DeviceTreeTests", dependencies: ["DeviceTree", "TestSupport", "XenArm"]),
        .testTarget(name: "BoardModelTests", dependencies: ["TestSupport", "BoardModel", "DeviceTree", "XenArm", "SoCMechanisms"]),
        .testTarget(name: "BootInputsTests", dependencies: ["TestSupport", "BootInputs", "Infrastructure"]),
        .testTarget(name: "PrivateAptTests", dependencies: ["PrivateApt"]),
        .testTarget(name: "PlatformGenTests", dependencies: ["TestSupport", "PlatformGen", "BoardModel", "BoardFile", "DeviceTree", "XenArm", "SoCMechanisms"],
                    exclude: ["Golden"]),
        .testTarget(name: "XenSourceTests", dependencies: ["TestSupport", "XenSource", "XenArm"]),
        .testTarget(name: "UARTDriversTests", dependencies: ["TestSupport", "UARTDrivers", "XenArm", "XenSource", "PlatformQuirks"], exclude: ["Golden"]),
        .testTarget(name: "PassthroughTests", dependencies: ["TestSupport", "Passthrough", "BoardModel", "BoardBuild", "DeviceTree", "XenArm"],
                    exclude: ["Golden"]),
        .testTarget(name: "ImageComposerTests", dependencies: ["TestSupport", "ImageComposer", "Infrastructure"]),
        .testTarget(name: "RootFilesystemTests", dependencies: ["TestSupport", "RootFilesystem", "BootInputs", "ImageComposer", "Infrastructure"]),
        .testTarget(name: "BoardBuildTests", dependencies: ["TestSupport", "BoardBuild", "BoardFile", "BoardModel", "DeviceTree", "ImageComposer", "XenArm"]),
        .testTarget(name: "BoardBringUpTests", dependencies: ["TestSupport", "BoardBringUp", "BoardBuild", "BoardFile", "BoardModel", "DeviceTree"]),
        .testTarget(name: "CLITests", dependencies: ["TestSupport", "xen-board", "Infrastructure"]),
        // Boots Debian's Xen under QEMU and checks `inspect` against Xen's own log.
        .testTarget(name: "BootTests", dependencies: ["TestSupport", "xen-board", "BoardBuild", "BoardFile", "ImageComposer", "Infrastructure"]),
    ]
)
