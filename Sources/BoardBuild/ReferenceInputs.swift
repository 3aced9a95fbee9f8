import BootInputs
import Foundation
import Infrastructure
import XenArm

/// The inputs the tests and benchmarks check xen-board against, fetched through the package cache (`xen-board fetch
/// --corpus / --xen-images / --toml-test`) and published as stable directories of links into the unpacked packages:
/// - `<cache>/dtbs/corpus`: one entry per kernel package (arm64, armmp-lpae), each its `usr/lib/linux-image-*`
///   tree of DTBs (arm64's in vendor directories, armhf's flat), as `$XEN_BOARD_CORPUS`;
/// - `<cache>/xen/images`: `xen-arm64` and `xen-armhf`, Debian 12's Xen 4.17 hypervisors, as `$XEN_BOARD_XEN`;
/// - `<cache>/toml-test`: toml-test's `valid/` and `invalid/` cases, as `$XEN_BOARD_TOML_TEST`.
public enum ReferenceInputs {
    public enum Set: String, CaseIterable, Sendable {
        case corpus, xenImages = "xen-images", tomlTest = "toml-test"

        /// The environment variable the tests read the directory from.
        public var environmentVariable: String {
            switch self {
            case .corpus: "XEN_BOARD_CORPUS"
            case .xenImages: "XEN_BOARD_XEN"
            case .tomlTest: "XEN_BOARD_TOML_TEST"
            }
        }
    }

    /// A fetched set: the immutable directory to use, what it holds, and the packages it came from.
    public struct Fetched: Sendable {
        public let set: Set
        public let directory: URL
        /// Files it holds (DTBs, images, TOML cases).
        public let files: Int
        public let packages: [ResolvedPackage]
    }

    /// The kernel meta packages whose DTBs form the corpus.
    static let kernels = [("linux-image-arm64", "arm64"), ("linux-image-armmp-lpae", "armhf")]
    /// The Xen of the truth boots: the one Debian 12 ships for both architectures.
    static let truthXen = XenVersion.v4_17
    static let tomlPackage = "golang-github-burntsushi-toml-dev"

    public static func fetch(_ set: Set, cache: URL? = nil, progress: @escaping (String) -> Void) throws -> Fetched {
        let packages = try BoardInputs.packageCache(for: truthXen, root: cache)
        switch set {
        case .corpus: return try corpus(packages, progress: progress)
        case .xenImages: return try xenImages(packages, progress: progress)
        case .tomlTest: return try tomlTest(packages, progress: progress)
        }
    }

    static func corpus(_ packages: PackageCache, progress: @escaping (String) -> Void) throws -> Fetched {
        var entries: [(name: String, target: URL)] = [], resolved: [ResolvedPackage] = []
        for (meta, arch) in kernels {
            let package = try packages.resolveMeta(meta, arch: arch)
            let fetched = try packages.fetch(package, progress: progress)
            entries.append((package.unpackedDirectoryName, try fetched.file(matching: "usr/lib/linux-image-*")))
            resolved.append(package)
        }
        let directory = try LinkFarm.publish("dtbs/corpus", in: packages.root, entries: entries)
        let count = countFiles(under: directory) { $0.hasSuffix(".dtb") }
        guard count > 0 else { throw Builder.BuildError("the kernel packages \(resolved.map(\.description)) hold no DTB under usr/lib/linux-image-*") }
        progress("corpus: \(count) DTBs in \(directory.path)")
        return Fetched(set: .corpus, directory: directory, files: count, packages: resolved)
    }

    static func xenImages(_ packages: PackageCache, progress: @escaping (String) -> Void) throws -> Fetched {
        var entries: [(name: String, target: URL)] = [], resolved: [ResolvedPackage] = []
        for arch in truthXen.prebuiltArchitectures {
            let fetched = try packages.fetch(truthXen.hypervisorPackage(arch), arch: arch.debianArchitecture, progress: progress)
            entries.append(("xen-\(arch.debianArchitecture)", try fetched.file(matching: truthXen.hypervisorFile(arch))))
            resolved.append(fetched.package)
        }
        let directory = try LinkFarm.publish("xen/images", in: packages.root, entries: entries)
        progress("xen-images: \(entries.map(\.name).joined(separator: ", ")) (Xen \(truthXen)) in \(directory.path)")
        return Fetched(set: .xenImages, directory: directory, files: entries.count, packages: resolved)
    }

    /// toml-test's cases, which Debian ships as the BurntSushi/toml parser's own compliance data
    /// (`.../internal/toml-test/tests/{valid,invalid}`).
    static func tomlTest(_ packages: PackageCache, progress: @escaping (String) -> Void) throws -> Fetched {
        let fetched = try packages.fetch(tomlPackage, arch: "all", progress: progress)
        let pattern = "usr/share/gocode/src/github.com/*/toml/internal/toml-test/tests"
        let suite = try fetched.file(matching: pattern)
        let fm = FileManager.default
        guard fm.fileExists(atPath: suite.appendingPathComponent("valid").path), fm.fileExists(atPath: suite.appendingPathComponent("invalid").path) else {
            throw Builder.BuildError("\(fetched.package): \(suite.path) has no valid/ and invalid/ directories")
        }
        try LinkFarm.pointLink(packages.root.appendingPathComponent("toml-test"), at: suite.path)
        let count = countFiles(under: suite) { $0.hasSuffix(".toml") }
        progress("toml-test: \(count) cases in \(suite.path)")
        return Fetched(set: .tomlTest, directory: suite, files: count, packages: [fetched.package])
    }

    /// Files under `directory` whose name passes `keep`, following its top-level symbolic links (a link farm).
    static func countFiles(under directory: URL, _ keep: (String) -> Bool) -> Int {
        let fm = FileManager.default
        var count = 0
        for name in (try? fm.contentsOfDirectory(atPath: directory.path)) ?? [] {
            let entry = directory.appendingPathComponent(name).resolvingSymlinksInPath()
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: entry.path, isDirectory: &isDirectory) else { continue }
            if isDirectory.boolValue {
                count += fm.enumerator(atPath: entry.path)?.compactMap { $0 as? String }.filter(keep).count ?? 0
            } else if keep(name) {
                count += 1
            }
        }
        return count
    }
}
