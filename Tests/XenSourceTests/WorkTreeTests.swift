import Foundation
import Infrastructure
import XCTest
@testable import XenSource

/// The kept work tree's bookkeeping, on small fake trees (no Xen source needed): generated files undone when a
/// later build no longer writes them, the consistency stamp, the compile identity and the bound on kept trees.
final class WorkTreeTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("xs-worktree-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("xen/arch/arm/platforms"), withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func write(_ text: String, _ path: String) throws {
        try text.write(to: dir.appendingPathComponent(path), atomically: true, encoding: .utf8)
    }

    func read(_ path: String) -> String? { try? String(contentsOf: dir.appendingPathComponent(path), encoding: .utf8) }

    func mtime(_ path: String) throws -> Date {
        try XCTUnwrap(try FileManager.default.attributesOfItem(atPath: dir.appendingPathComponent(path).path)[.modificationDate] as? Date)
    }

    /// A generated file and an edited tree file, then a build that writes neither: the generated file (and its
    /// object) is gone, the edited file holds the tree's own text again, with a new mtime so make rebuilds.
    func testFilesNoLongerGeneratedAreUndone() throws {
        let makefile = "xen/arch/arm/platforms/Makefile", generated = "xen/arch/arm/platforms/xb-gen.c"
        try write("obj-y += vexpress.o\n", makefile)
        let first = try TreeFiles.sync([GeneratedFile(path: makefile, text: "obj-y += vexpress.o\nobj-y += xb-gen.o\n"),
                                        GeneratedFile(path: generated, text: "int gen;\n")], into: dir)
        XCTAssertEqual(first.written, [makefile, generated])
        try write("ELF", "xen/arch/arm/platforms/xb-gen.o")
        try write("cmd", "xen/arch/arm/platforms/.xb-gen.o.cmd")
        let editedTime = try mtime(makefile)
        // Same content again: nothing written, mtime kept (make rebuilds nothing for it).
        Thread.sleep(forTimeInterval: 0.05)
        let again = try TreeFiles.sync([GeneratedFile(path: makefile, text: "obj-y += vexpress.o\nobj-y += xb-gen.o\n")], into: dir)
        XCTAssertEqual(again, TreeFiles.Outcome(written: [], restored: [], removed: [generated]))
        XCTAssertEqual(try mtime(makefile), editedTime)
        XCTAssertNil(read(generated), "a file no longer generated is removed")
        XCTAssertNil(read("xen/arch/arm/platforms/xb-gen.o"), "with the object built from it")
        XCTAssertNil(read("xen/arch/arm/platforms/.xb-gen.o.cmd"))
        let last = try TreeFiles.sync([], into: dir)
        XCTAssertEqual(last.restored, [makefile])
        XCTAssertEqual(read(makefile), "obj-y += vexpress.o\n", "the tree's own Makefile is back")
        XCTAssertGreaterThan(try mtime(makefile), editedTime, "restored with a new mtime")
        XCTAssertEqual(read(TreeFiles.manifestName), "")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent(TreeFiles.originalsName).path + "/xen/arch/arm/platforms"), [])
    }

    /// An interrupted sync (the record written, the file not yet) still undoes the path next time.
    func testRecordCoversPathsBeforeTheyAreWritten() throws {
        try write("xen/arch/arm/platforms/xb-gen.c\n", TreeFiles.manifestName)
        try write("half-written", "xen/arch/arm/platforms/xb-gen.c")
        XCTAssertEqual(try TreeFiles.sync([], into: dir).removed, ["xen/arch/arm/platforms/xb-gen.c"])
        XCTAssertNil(read("xen/arch/arm/platforms/xb-gen.c"))
    }

    /// The stamp survives a compiler error (make stopped by itself) but not a timeout or a file-system failure.
    func testConsistencyStampOnlyAfterASoundEnd() throws {
        try WorkTreeStamp.markConsistent(dir)
        XCTAssertEqual(try WorkTreeStamp.changing(dir) { () throws(XenSourceError) -> Int in
            XCTAssertFalse(WorkTreeStamp.isConsistent(dir), "absent while the tree changes")
            return 1
        }, 1)
        XCTAssertTrue(WorkTreeStamp.isConsistent(dir))
        let compileError = XenSourceError.commandFailed(command: "make", status: 2, excerpt: [], log: nil)
        XCTAssertThrowsError(try WorkTreeStamp.changing(dir) { () throws(XenSourceError) in throw compileError })
        XCTAssertTrue(WorkTreeStamp.isConsistent(dir))
        let timeout = XenSourceError.commandFailed(command: "make", status: -1, excerpt: ["(timed out after 3600 s)"], log: nil)
        XCTAssertThrowsError(try WorkTreeStamp.changing(dir) { () throws(XenSourceError) in throw timeout })
        XCTAssertFalse(WorkTreeStamp.isConsistent(dir))
    }

    /// A kept tree is reused only when complete and consistent; otherwise copied afresh from the pristine tree.
    func testKeptTreeReusedOnlyWhenConsistent() throws {
        let source = XenSourceTree(debianVersion: "4.17.0-test", directory: dir.appendingPathComponent("xen-src/4.17.0-test"))
        let pristineFile = source.pristine.appendingPathComponent("xen/arch/arm/platforms/vexpress.c")
        try FileManager.default.createDirectory(at: pristineFile.deletingLastPathComponent(), withIntermediateDirectories: true)
        try "pristine\n".write(to: pristineFile, atomically: true, encoding: .utf8)
        let tree = try source.workTree(name: "board-arm32", reuse: true)
        let object = tree.appendingPathComponent("xen/arch/arm/platforms/vexpress.o")
        try "object".write(to: object, atomically: true, encoding: .utf8)
        XCTAssertEqual(try source.workTree(name: "board-arm32", reuse: true), tree)
        XCTAssertTrue(FileManager.default.fileExists(atPath: object.path), "reused: objects kept")
        try FileManager.default.removeItem(at: tree.appendingPathComponent(WorkTreeStamp.name)) // as a killed build leaves it
        var lines: [String] = []
        _ = try source.workTree(name: "board-arm32", reuse: true) { lines.append($0) }
        XCTAssertFalse(FileManager.default.fileExists(atPath: object.path), "an interrupted tree is not reused")
        XCTAssertTrue(lines.contains { $0.contains("interrupted") }, "\(lines)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: source.pristine.appendingPathComponent(WorkTreeStamp.name).path))
        XCTAssertThrowsError(try source.workTree(name: "x.lock"))
        XCTAssertThrowsError(try source.workTree(name: "../x"))
    }

    /// Beyond the bound, the least recently used unlocked trees go; a tree another build holds stays.
    func testEvictionKeepsTheNewestAndLockedTrees() throws {
        let work = dir.appendingPathComponent("xen-src/4.17.0-test/work")
        let names = ["a", "b", "c", "d"]
        for (i, n) in names.enumerated() {
            try FileManager.default.createDirectory(at: work.appendingPathComponent("\(n)/source"), withIntermediateDirectories: true)
            let lock = work.appendingPathComponent("\(n).lock")
            try "".write(to: lock, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1_000_000 + Double(i) * 100)], ofItemAtPath: lock.path)
        }
        guard case let .success(held) = FileLock.acquire(work.appendingPathComponent("a.lock")) else { return XCTFail("lock") }
        var lines: [String] = []
        WorkTreeEviction.evict(cacheSources: dir.appendingPathComponent("xen-src"), keep: 2) { lines.append($0) }
        held.release()
        let left = try FileManager.default.contentsOfDirectory(atPath: work.path).filter { !$0.hasSuffix(".lock") }.sorted()
        XCTAssertEqual(left, ["a", "c", "d"], "b (old, unlocked) removed; a (old, locked) kept: \(lines)")
        XCTAssertEqual(lines.count, 1)
    }

    /// compile.h's date and time come from SOURCE_DATE_EPOCH in `date -u` format; nothing of the build machine.
    func testBuildIdentityFromSourceDateEpoch() {
        XCTAssertEqual(BuildIdentity(epoch: 0).makeVariables, ["XEN_BUILD_DATE=Thu Jan  1 00:00:00 UTC 1970", "XEN_BUILD_TIME=00:00:00",
                                                               "XEN_WHOAMI=xen-board", "XEN_DOMAIN=xen-board", "XEN_BUILD_HOST=xen-board"])
        XCTAssertEqual(BuildIdentity(epoch: 1_700_000_000).makeVariables.prefix(2), ["XEN_BUILD_DATE=Tue Nov 14 22:13:20 UTC 2023", "XEN_BUILD_TIME=22:13:20"])
        XCTAssertEqual(BuildIdentity(epoch: UInt64.max).makeVariables.first, "XEN_BUILD_DATE=Fri Dec 31 23:59:59 UTC 9999")
    }
}

/// The remembered Xen source choice holds only under the apt state it was made in, for an unpacked tree, and never
/// for a tree taken from the cache because apt could not answer.
final class SourceChoiceMemoTests: XCTestCase {
    func testChoiceHoldsOnlyForTheSameAptState() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("xs-memo-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        var tree = XenSourceTree(debianVersion: "4.17.5-1", directory: root.appendingPathComponent("xen-src/4.17.5-1"))
        try FileManager.default.createDirectory(at: tree.pristine.appendingPathComponent("xen/arch/arm"), withIntermediateDirectories: true)
        tree.origin = "Debian 12 (bookworm) bookworm"
        SourceChoiceMemo(cacheRoot: root, version: .v4_17, key: "state-1").remember(tree)
        let hit = SourceChoiceMemo(cacheRoot: root, version: .v4_17, key: "state-1").lookup()
        XCTAssertEqual(hit?.debianVersion, "4.17.5-1")
        XCTAssertEqual(hit?.origin, "Debian 12 (bookworm) bookworm")
        XCTAssertNil(SourceChoiceMemo(cacheRoot: root, version: .v4_17, key: "state-2").lookup(), "apt's index changed: ask again")
        XCTAssertNil(SourceChoiceMemo(cacheRoot: root, version: .v4_17, key: .some(nil)).lookup(), "no apt state: ask")
        XCTAssertNil(SourceChoiceMemo(cacheRoot: root, version: .v4_20, key: "state-1").lookup(), "per Xen version")
        try FileManager.default.removeItem(at: tree.pristine)
        XCTAssertNil(SourceChoiceMemo(cacheRoot: root, version: .v4_17, key: "state-1").lookup(), "pristine tree gone")
        tree.origin = "the cache (Debian 12 (bookworm) could not be asked)"
        try FileManager.default.createDirectory(at: tree.pristine.appendingPathComponent("xen/arch/arm"), withIntermediateDirectories: true)
        SourceChoiceMemo(cacheRoot: root, version: .v4_17, key: "state-3").remember(tree)
        XCTAssertNil(SourceChoiceMemo(cacheRoot: root, version: .v4_17, key: "state-3").lookup(), "an offline fallback is not remembered")
    }
}
