import Foundation
import Infrastructure
import TestSupport
import XCTest
@testable import BootInputs

/// A package source that serves `.deb` files built by the test, counting downloads.
final class FakeSource: PackageSource, @unchecked Sendable {
    private let lock = NSLock()
    private var recordList: [AptRecord]
    private var files: [String: URL]
    private var downloadCount = 0
    let delay: TimeInterval

    init(records: [AptRecord], files: [String: URL], delay: TimeInterval = 0) {
        recordList = records
        self.files = files
        self.delay = delay
    }

    private var queryCount = 0

    var downloads: Int { lock.withLock { downloadCount } }
    var queries: Int { lock.withLock { queryCount } }

    func records(for specs: [PackageSpec]) throws(PackageError) -> [AptRecord] {
        lock.withLock {
            queryCount += 1
            return recordList.filter { r in specs.contains { r.answers($0) } }
        }
    }

    func download(_ package: ResolvedPackage, into directory: URL) throws(PackageError) {
        let file: URL? = lock.withLock {
            downloadCount += 1
            return files[package.aptSpec]
        }
        if delay > 0 { Thread.sleep(forTimeInterval: delay) }
        guard let file else { throw .unknownPackage(package: package.description) }
        do {
            try FileManager.default.copyItem(at: file, to: directory.appendingPathComponent("\(package.name)_x_\(package.arch).deb"))
        } catch {
            throw .downloadFailed(package: package.description, detail: "\(error)")
        }
    }
}

final class PackageCacheTests: XCTestCase {
    var work: URL!
    var deb: URL!
    var debSize: UInt64 = 0
    var debSHA = ""

    override func setUpWithError() throws {
        try requireTool("dpkg-deb")
        work = try makeTemporaryDirectory(self, "bootinputs-cache")
        deb = try Self.buildDeb(in: work, name: "fake-kernel", version: "1:2.0-1")
        debSize = try XCTUnwrap(CacheFiles.fileSize(deb))
        debSHA = try SHA256.hex(ofFile: deb)
    }

    /// Builds a small `.deb` with `dpkg-deb --build`: an arm64 Image, a Xen-like image and an ELF "busybox".
    static func buildDeb(in dir: URL, name: String, version: String) throws -> URL {
        let tree = dir.appendingPathComponent("tree-\(name)")
        let fm = FileManager.default
        for sub in ["DEBIAN", "boot", "bin", "usr/share/doc/\(name)"] {
            try fm.createDirectory(at: tree.appendingPathComponent(sub), withIntermediateDirectories: true)
        }
        try """
            Package: \(name)
            Version: \(version)
            Architecture: arm64
            Maintainer: xen-board tests <tests@example.invalid>
            Description: test package

            """.write(to: tree.appendingPathComponent("DEBIAN/control"), atomically: true, encoding: .utf8)
        try Data(Synth.arm64Image(imageSize: 1 << 20, padding: 4000)).write(to: tree.appendingPathComponent("boot/vmlinuz-2.0-test"))
        try Data("config".utf8).write(to: tree.appendingPathComponent("boot/config-2.0-test"))
        try Data(Synth.elf(is64: true, machine: 183)).write(to: tree.appendingPathComponent("bin/busybox"))
        try Data("doc".utf8).write(to: tree.appendingPathComponent("usr/share/doc/\(name)/README"))
        let out = dir.appendingPathComponent("\(name).deb")
        let r = try ProcessRunner.run("dpkg-deb", ["--root-owner-group", "--build", tree.path, out.path], timeout: 300)
        XCTAssertEqual(r.status, 0, "dpkg-deb --build: \(r.diagnostic)")
        return out
    }

    func record(name: String = "fake-kernel", version: String = "1:2.0-1", size: UInt64? = nil, sha: String? = nil,
                depends: String? = nil) -> AptRecord
    {
        var fields = ["Package": name, "Version": version, "Architecture": "arm64",
                      "Size": String(size ?? debSize), "SHA256": sha ?? debSHA]
        fields["Depends"] = depends
        return AptRecord(fields: fields)
    }

    func cache(_ source: FakeSource) -> PackageCache {
        PackageCache(root: work.appendingPathComponent("cache"), source: source)
    }

    func leftovers(_ cache: PackageCache) -> [String] {
        let fm = FileManager.default
        let debs = (try? fm.contentsOfDirectory(atPath: cache.debsDirectory.path)) ?? []
        let trees = (try? fm.contentsOfDirectory(atPath: cache.unpackedDirectory.path)) ?? []
        return (debs + trees).filter { $0.hasPrefix(".") }.sorted()
    }

    // MARK: Tests

    func testFetchIntoEmptyCacheThenReuse() throws {
        let source = FakeSource(records: [record()], files: ["fake-kernel:arm64=1:2.0-1": deb])
        let cache = cache(source)
        XCTAssertFalse(FileManager.default.fileExists(atPath: cache.root.path))
        var lines: [String] = []
        let first = try cache.fetch("fake-kernel", arch: "arm64") { lines.append($0) }
        XCTAssertTrue(first.downloaded)
        XCTAssertTrue(first.unpacked)
        XCTAssertEqual(first.name, "fake-kernel")
        XCTAssertEqual(first.version, "1:2.0-1")
        XCTAssertEqual(first.arch, "arm64")
        XCTAssertEqual(first.sha256, debSHA)
        XCTAssertEqual(first.debPath.path, cache.root.path + "/debs/fake-kernel_1%3a2.0-1_arm64.deb")
        XCTAssertEqual(first.root.path, cache.root.path + "/unpacked/fake-kernel_1%3a2.0-1_arm64_\(debSHA.prefix(12))")
        XCTAssertTrue(FileManager.default.fileExists(atPath: first.root.appendingPathComponent(".complete").path))
        XCTAssertEqual(try SHA256.hex(ofFile: first.debPath), debSHA)
        XCTAssertTrue(lines.contains { $0.contains("downloading") }, "\(lines)")
        XCTAssertTrue(lines.contains { $0.contains("unpacking") }, "\(lines)")

        XCTAssertEqual(first.files(matching: "boot/vmlinuz-*").map(\.lastPathComponent), ["vmlinuz-2.0-test"])
        XCTAssertEqual(first.files(matching: "boot/*").map(\.lastPathComponent), ["config-2.0-test", "vmlinuz-2.0-test"])
        XCTAssertEqual(first.files(matching: "bin/busybox").count, 1)
        XCTAssertEqual(first.files(matching: "*").map(\.lastPathComponent), ["bin", "boot", "usr"], "no .complete")
        XCTAssertEqual(first.files(matching: "usr/share/doc/*/README").count, 1)
        XCTAssertEqual(first.files(matching: "boot/xen-*"), [])
        XCTAssertEqual(try KernelImage.detect(contentsOf: first.file(matching: "boot/vmlinuz-*")).arch, .arm64)
        XCTAssertThrowsError(try first.file(matching: "boot/xen-*")) {
            XCTAssertEqual($0 as? PackageError, .fileNotFound(package: "fake-kernel:arm64=1:2.0-1", pattern: "boot/xen-*",
                                                              root: first.root.path))
        }
        XCTAssertThrowsError(try first.file(matching: "boot/*")) { error in
            guard case .ambiguousFile(_, "boot/*", let matches) = error as? PackageError else { return XCTFail("\(error)") }
            XCTAssertEqual(matches.count, 2)
        }

        let second = try cache.fetch("fake-kernel", arch: "arm64")
        XCTAssertFalse(second.downloaded)
        XCTAssertFalse(second.unpacked)
        XCTAssertEqual(second.root, first.root)
        XCTAssertEqual(source.downloads, 1)
        XCTAssertEqual(leftovers(cache), [])
    }

    func testChecksumMismatchLeavesNothingBehind() throws {
        let wrong = String(repeating: "0", count: 64)
        let source = FakeSource(records: [record(sha: wrong)], files: ["fake-kernel:arm64=1:2.0-1": deb])
        let cache = cache(source)
        XCTAssertThrowsError(try cache.fetch("fake-kernel", arch: "arm64")) { error in
            XCTAssertEqual(error as? PackageError, .checksumMismatch(package: "fake-kernel:arm64=1:2.0-1",
                                                                     file: "fake-kernel_x_arm64.deb", expected: wrong, got: debSHA))
            XCTAssertTrue("\(error)".contains("expected \(wrong), got \(debSHA)"), "\(error)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: cache.debsDirectory.appendingPathComponent("fake-kernel_1%3a2.0-1_arm64.deb").path))
        XCTAssertEqual(leftovers(cache), [])
        XCTAssertEqual((try? FileManager.default.contentsOfDirectory(atPath: cache.unpackedDirectory.path)) ?? [], [])
    }

    func testSizeMismatch() throws {
        let source = FakeSource(records: [record(size: 12)], files: ["fake-kernel:arm64=1:2.0-1": deb])
        XCTAssertThrowsError(try cache(source).fetch("fake-kernel", arch: "arm64")) {
            XCTAssertEqual($0 as? PackageError, .sizeMismatch(package: "fake-kernel:arm64=1:2.0-1", file: "fake-kernel_x_arm64.deb",
                                                              expected: 12, got: debSize))
        }
    }

    func testCorruptCachedDebIsDownloadedAgain() throws {
        let source = FakeSource(records: [record()], files: ["fake-kernel:arm64=1:2.0-1": deb])
        let cache = cache(source)
        let first = try cache.fetch("fake-kernel", arch: "arm64")
        // Same size, different bytes: only the checksum can tell.
        var bytes = try Data(contentsOf: first.debPath)
        bytes[bytes.count - 1] ^= 0xFF
        try bytes.write(to: first.debPath)
        var lines: [String] = []
        let second = try cache.fetch("fake-kernel", arch: "arm64") { lines.append($0) }
        XCTAssertTrue(second.downloaded)
        XCTAssertFalse(second.unpacked, "the tree is keyed by the expected sha256 and was complete")
        XCTAssertTrue(lines.contains { $0.contains("does not match") }, "\(lines)")
        XCTAssertEqual(try SHA256.hex(ofFile: second.debPath), debSHA)
        XCTAssertEqual(source.downloads, 2)
    }

    /// A cached `.deb` verified once is trusted while unchanged (no second hash); a rewrite is hashed again.
    func testVerifiedDebIsNotHashedAgainUntilItChanges() throws {
        let source = FakeSource(records: [record()], files: ["fake-kernel:arm64=1:2.0-1": deb])
        let cache = cache(source)
        let first = try cache.fetch("fake-kernel", arch: "arm64")
        XCTAssertTrue(FileManager.default.fileExists(atPath: first.debPath.path + ".verified"))
        var lines: [String] = []
        _ = try cache.fetch("fake-kernel", arch: "arm64") { lines.append($0) }
        XCTAssertTrue(lines.contains { $0.contains("verified before, unchanged since") }, "\(lines)")
        let bytes = try Data(contentsOf: first.debPath)
        try bytes.write(to: first.debPath)   // same bytes, new modification time: hashed again, still valid
        lines = []
        _ = try cache.fetch("fake-kernel", arch: "arm64") { lines.append($0) }
        XCTAssertFalse(lines.contains { $0.contains("verified before") }, "\(lines)")
        XCTAssertTrue(lines.contains { $0.contains("using cached") }, "\(lines)")
        XCTAssertEqual(source.downloads, 1)
    }

    func testUnknownPackage() throws {
        let cache = cache(FakeSource(records: [], files: [:]))
        XCTAssertThrowsError(try cache.fetch("busybox-static", arch: "mips64el")) { error in
            XCTAssertEqual(error as? PackageError, .unknownPackage(package: "busybox-static:mips64el"))
            XCTAssertTrue("\(error)".contains("run scripts/setup.sh"), "\(error)")
            XCTAssertTrue("\(error)".contains("dpkg --add-architecture"), "\(error)")
        }
        XCTAssertThrowsError(try cache.resolve("--config-file=/x", arch: "arm64")) { error in
            guard case .invalidSpec = error as? PackageError else { return XCTFail("\(error)") }
        }
    }

    func testUnpackFailure() throws {
        let notADeb = work.appendingPathComponent("bogus.deb")
        try Data("this is not an ar archive".utf8).write(to: notADeb)
        let sha = try SHA256.hex(ofFile: notADeb)
        let source = FakeSource(records: [record(name: "bogus", version: "1.0", size: 25, sha: sha)],
                                files: ["bogus:arm64=1.0": notADeb])
        let cache = cache(source)
        XCTAssertThrowsError(try cache.fetch("bogus", arch: "arm64")) { error in
            guard case let .unpackFailed(package, debPath, detail) = error as? PackageError else { return XCTFail("\(error)") }
            XCTAssertEqual(package, "bogus:arm64=1.0")
            XCTAssertEqual(debPath, cache.debsDirectory.appendingPathComponent("bogus_1.0_arm64.deb").path)
            XCTAssertTrue(detail.contains("exit status"), detail)
        }
        XCTAssertEqual((try? FileManager.default.contentsOfDirectory(atPath: cache.unpackedDirectory.path)) ?? [], [])
    }

    /// Eight fetches of the same package at once into an empty cache: all succeed with the same tree, one tree
    /// exists, and no temporary directory is left.
    func testConcurrentFetchesIntoEmptyCache() throws {
        let source = FakeSource(records: [record()], files: ["fake-kernel:arm64=1:2.0-1": deb], delay: 0.05)
        let cache = cache(source)
        let results = ResultBox()
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            do {
                results.add(.success(try cache.fetch("fake-kernel", arch: "arm64")))
            } catch {
                results.add(.failure(error))
            }
        }
        let all = results.all
        XCTAssertEqual(all.count, 8)
        let roots = Set(all.compactMap { try? $0.get().root })
        XCTAssertEqual(roots.count, 1)
        for case let .failure(error) in all { XCTFail("\(error)") }
        XCTAssertEqual(leftovers(cache), [])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: cache.unpackedDirectory.path).count, 1)
        XCTAssertEqual(try SHA256.hex(ofFile: cache.debsDirectory.appendingPathComponent("fake-kernel_1%3a2.0-1_arm64.deb")), debSHA)
        let root = try XCTUnwrap(roots.first)
        XCTAssertTrue(FileManager.default.fileExists(atPath: root.appendingPathComponent("bin/busybox").path))
    }

    func testIncompleteTreeInTheWayIsReplaced() throws {
        let source = FakeSource(records: [record()], files: ["fake-kernel:arm64=1:2.0-1": deb])
        let cache = cache(source)
        let resolved = try cache.resolve("fake-kernel", arch: "arm64")
        let tree = cache.unpackedPath(for: resolved)
        try FileManager.default.createDirectory(at: tree.appendingPathComponent("half"), withIntermediateDirectories: true)
        let fetched = try cache.fetch(resolved)
        XCTAssertTrue(fetched.unpacked)
        XCTAssertFalse(FileManager.default.fileExists(atPath: tree.appendingPathComponent("half").path))
        XCTAssertTrue(FileManager.default.fileExists(atPath: tree.appendingPathComponent(".complete").path))
        XCTAssertEqual(leftovers(cache), [])
    }

    func testStaleTemporariesAreSweptFreshOnesKept() throws {
        let source = FakeSource(records: [record()], files: ["fake-kernel:arm64=1:2.0-1": deb])
        let cache = cache(source)
        let stale = cache.debsDirectory.appendingPathComponent(".dl.deadbeef")
        let fresh = cache.unpackedDirectory.appendingPathComponent(".x.inprogress")
        try FileManager.default.createDirectory(at: stale, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: fresh, withIntermediateDirectories: true)
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-2 * 86400)], ofItemAtPath: stale.path)
        _ = try cache.fetch("fake-kernel", arch: "arm64")
        XCTAssertFalse(FileManager.default.fileExists(atPath: stale.path))
        XCTAssertTrue(FileManager.default.fileExists(atPath: fresh.path))
    }

    func testResolveMetaAndBatch() throws {
        let meta = AptRecord(fields: ["Package": "linux-image-arm64", "Version": "6.1.176-1", "Architecture": "arm64",
                                      "Depends": "linux-image-6.1.0-50-arm64 (= 6.1.176-1)", "Size": "1444",
                                      "SHA256": String(repeating: "c", count: 64)])
        let concrete = record(name: "linux-image-6.1.0-50-arm64", version: "6.1.176-1")
        let cache = cache(FakeSource(records: [meta, concrete, record()], files: [:]))
        let resolved = try cache.resolveMeta("linux-image-arm64", arch: "arm64")
        XCTAssertEqual(resolved.name, "linux-image-6.1.0-50-arm64")
        XCTAssertEqual(resolved.version, "6.1.176-1")
        XCTAssertEqual(resolved.sha256, debSHA)
        let batch = try cache.resolve([PackageSpec("fake-kernel", arch: "arm64"), PackageSpec("linux-image-arm64", arch: "arm64")])
        XCTAssertEqual(batch.map(\.name), ["fake-kernel", "linux-image-arm64"])
        XCTAssertThrowsError(try cache.resolveMeta("fake-kernel", arch: "arm64")) {
            XCTAssertEqual($0 as? PackageError, .noConcretePackage(meta: "fake-kernel:arm64", depends: []))
        }
        XCTAssertThrowsError(try cache.resolve([PackageSpec("fake-kernel", arch: "arm64"), PackageSpec("nope", arch: "armhf")])) {
            XCTAssertEqual($0 as? PackageError, .unknownPackage(package: "nope:armhf"))
        }
    }

    func testAptAnswersAreRememberedWhileAptStateIsUnchanged() throws {
        let source = FakeSource(records: [record()], files: ["fake-kernel:arm64=1:2.0-1": deb])
        let state = StateBox("state-1")
        let memoFile = work.appendingPathComponent("cache/apt-answers.json")
        let cache = PackageCache(root: work.appendingPathComponent("cache"),
                                 source: MemoizedSource(base: source, file: memoFile, stateKey: { state.value }))
        let first = try cache.resolve("fake-kernel", arch: "arm64")
        XCTAssertEqual(source.queries, 1)
        XCTAssertTrue(FileManager.default.fileExists(atPath: memoFile.path))
        XCTAssertEqual(try cache.resolve("fake-kernel", arch: "arm64"), first)
        XCTAssertEqual(source.queries, 1, "answered from the memo")
        // A pinned version is another question.
        _ = try cache.resolve("fake-kernel", arch: "arm64", version: "1:2.0-1")
        XCTAssertEqual(source.queries, 2)
        // Unknown packages are asked again every time.
        XCTAssertThrowsError(try cache.resolve("nope", arch: "arm64"))
        XCTAssertThrowsError(try cache.resolve("nope", arch: "arm64"))
        XCTAssertEqual(source.queries, 4)
        // apt's state changed (apt-get update, pin, architecture): ask again.
        state.value = "state-2"
        XCTAssertEqual(try cache.resolve("fake-kernel", arch: "arm64"), first)
        XCTAssertEqual(source.queries, 5)
        // A damaged memo is ignored and rewritten.
        try Data("{not json".utf8).write(to: memoFile)
        XCTAssertEqual(try cache.resolve("fake-kernel", arch: "arm64"), first)
        XCTAssertEqual(source.queries, 6)
        XCTAssertEqual(try cache.resolve("fake-kernel", arch: "arm64"), first)
        XCTAssertEqual(source.queries, 6)
        // Without a readable apt state nothing is remembered.
        state.value = nil
        _ = try cache.resolve("fake-kernel", arch: "arm64")
        _ = try cache.resolve("fake-kernel", arch: "arm64")
        XCTAssertEqual(source.queries, 8)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: memoFile.deletingLastPathComponent().path)
            .filter { $0.hasPrefix(".") }, [], "no temporary memo files left")
    }

    func testAptStateKeyIsStable() throws {
        guard FileManager.default.fileExists(atPath: "/var/lib/apt/lists") else { try missing("apt's index (/var/lib/apt/lists)") }
        let key = try XCTUnwrap(MemoizedSource.aptStateKey())
        XCTAssertEqual(key.count, 16)
        XCTAssertEqual(MemoizedSource.aptStateKey(), key)
        XCTAssertEqual(MemoizedSource.fnv1a64(""), "cbf29ce484222325")
        XCTAssertEqual(MemoizedSource.fnv1a64("a"), "af63dc4c8601ec8c")
    }

    func testDefaultRoot() throws {
        let saved = ProcessInfo.processInfo.environment["XEN_BOARD_CACHE"]
        defer {
            if let saved { setenv("XEN_BOARD_CACHE", saved, 1) } else { unsetenv("XEN_BOARD_CACHE") }
        }
        setenv("XEN_BOARD_CACHE", "/tmp/xb-cache-test", 1)
        XCTAssertEqual(PackageCache().root.path, "/tmp/xb-cache-test")
        XCTAssertEqual(PackageCache().debsDirectory.path, "/tmp/xb-cache-test/debs")
        unsetenv("XEN_BOARD_CACHE")
        XCTAssertEqual(PackageCache().root.path, FileManager.default.homeDirectoryForCurrentUser.path + "/.cache/xen-board")
        XCTAssertEqual(PackageCache(root: URL(fileURLWithPath: "/srv/c")).unpackedDirectory.path, "/srv/c/unpacked")
    }
}

/// Thread-safe collector for the concurrency test.
final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [Result<FetchedPackage, Error>] = []
    func add(_ r: Result<FetchedPackage, Error>) { lock.withLock { results.append(r) } }
    var all: [Result<FetchedPackage, Error>] { lock.withLock { results } }
}

/// A mutable apt-state fingerprint for the memo test.
final class StateBox: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: String?
    init(_ value: String?) { stored = value }
    var value: String? {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}
