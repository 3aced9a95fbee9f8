import Foundation
import Infrastructure
import TestSupport
import XCTest
@testable import BootInputs

/// `PackageCache.linkable`: a cache file hard-linked into an output and then edited in place through the output is
/// noticed on the next use and restored from the verified `.deb`; the edited output keeps its bytes.
final class LinkedFilesTests: XCTestCase {
    var work: URL!
    var cache: PackageCache!
    var fetched: FetchedPackage!

    override func setUpWithError() throws {
        try requireTool("dpkg-deb")
        work = try makeTemporaryDirectory(self, "bootinputs-linked")
        let deb = try PackageCacheTests.buildDeb(in: work, name: "fake-kernel", version: "2.0-1")
        let size = try XCTUnwrap(CacheFiles.fileSize(deb))
        let record = AptRecord(fields: ["Package": "fake-kernel", "Version": "2.0-1", "Architecture": "arm64",
                                        "Size": String(size), "SHA256": try SHA256.hex(ofFile: deb)])
        cache = PackageCache(root: work.appendingPathComponent("cache"), source: FakeSource(records: [record], files: ["fake-kernel:arm64=2.0-1": deb]))
        fetched = try cache.fetch("fake-kernel", arch: "arm64")
    }

    func inode(_ url: URL) -> UInt64 {
        var st = stat()
        return stat(url.path, &st) == 0 ? UInt64(st.st_ino) : 0
    }

    func mode(_ url: URL) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: url.path))?[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    /// Appends through the output's link, as `cat extra >> out/kernel` would (root ignores the 0444 mode).
    func editInPlace(_ url: URL) throws {
        let handle = try FileHandle(forWritingTo: url)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("edited".utf8))
        try handle.close()
    }

    func testEditThroughALinkedOutputIsRestoredFromTheDeb() throws {
        let file = try fetched.file(matching: "boot/vmlinuz-*")
        let original = try SHA256.hex(ofFile: file)
        let linked = try cache.linkable(file, of: fetched)
        XCTAssertEqual(mode(linked), 0o444, "handed out read-only")
        let out = work.appendingPathComponent("out-kernel")
        XCTAssertEqual(link(linked.path, out.path), 0)

        var lines: [String] = []
        _ = try cache.linkable(file, of: fetched) { lines.append($0) }
        XCTAssertEqual(lines, [], "unchanged: nothing to say, nothing restored")
        XCTAssertEqual(inode(file), inode(out))

        try editInPlace(out)
        XCTAssertNotEqual(try SHA256.hex(ofFile: file), original, "the link shares the inode: the cache file changed too")
        let restored = try cache.linkable(file, of: fetched) { lines.append($0) }
        XCTAssertEqual(try SHA256.hex(ofFile: restored), original, "restored from the .deb")
        XCTAssertNotEqual(inode(restored), inode(out), "a new file: the output keeps the user's edit")
        XCTAssertTrue(try Data(contentsOf: out).suffix(6) == Data("edited".utf8))
        XCTAssertEqual(mode(restored), 0o444)
        XCTAssertTrue(lines.contains { $0.contains("changed in place") }, "\(lines)")
    }

    /// A file an older xen-board linked out before digests were recorded is checked against the package.
    func testUnrecordedLinkedFileIsCheckedAgainstThePackage() throws {
        let file = try fetched.file(matching: "boot/vmlinuz-*")
        let original = try SHA256.hex(ofFile: file)
        let out = work.appendingPathComponent("old-out-kernel")
        XCTAssertEqual(link(file.path, out.path), 0)
        try editInPlace(out)
        var lines: [String] = []
        let checked = try cache.linkable(file, of: fetched) { lines.append($0) }
        XCTAssertEqual(try SHA256.hex(ofFile: checked), original)
        XCTAssertTrue(lines.contains { $0.contains("differs from the .deb's") }, "\(lines)")
    }

    /// A touch (new times, same bytes) is hashed once and accepted without restoring.
    func testTouchedButUnchangedFileIsKept() throws {
        let file = try fetched.file(matching: "boot/vmlinuz-*")
        _ = try cache.linkable(file, of: fetched)
        let before = inode(file)
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1_000_000)], ofItemAtPath: file.path)
        var lines: [String] = []
        let again = try cache.linkable(file, of: fetched) { lines.append($0) }
        XCTAssertEqual(inode(again), before)
        XCTAssertEqual(lines, [])
    }
}

/// `LinkFarm`: the published directory of links behind `xen-board fetch --corpus / --xen-images`.
final class LinkFarmTests: XCTestCase {
    func testPublishIsKeyedByItsEntriesAndSwapsTheStableLink() throws {
        let root = try makeTemporaryDirectory(self, "bootinputs-farm")
        let a = root.appendingPathComponent("a"), b = root.appendingPathComponent("b")
        try FileManager.default.createDirectory(at: a, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: b, withIntermediateDirectories: true)
        try Data("x".utf8).write(to: a.appendingPathComponent("one.dtb"))
        // What the former fetch script left: a real directory at the stable name.
        try FileManager.default.createDirectory(at: root.appendingPathComponent("dtbs/corpus/old"), withIntermediateDirectories: true)

        let first = try LinkFarm.publish("dtbs/corpus", in: root, entries: [("pkg-a", a)])
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: first.path + "/pkg-a"), a.path)
        XCTAssertTrue(FileManager.default.fileExists(atPath: root.path + "/dtbs/corpus/pkg-a/one.dtb"), "the stable link leads to the entries")
        XCTAssertEqual(try LinkFarm.publish("dtbs/corpus", in: root, entries: [("pkg-a", a)]), first, "same entries, same directory")

        let second = try LinkFarm.publish("dtbs/corpus", in: root, entries: [("pkg-a", a), ("pkg-b", b)])
        XCTAssertNotEqual(second, first)
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: root.path + "/dtbs/corpus"), second.lastPathComponent)
        XCTAssertTrue(FileManager.default.fileExists(atPath: first.path + "/.complete"), "older published directories stay intact for running readers")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: root.path + "/dtbs").filter { $0.hasPrefix(".") }
        XCTAssertEqual(leftovers, [])
    }
}

extension LinkedFilesTests {
    /// The recorded digest is handed to the manifest only while the file is unchanged.
    func testLinkedDigestOnlyWhileUnchanged() throws {
        let file = try fetched.file(matching: "boot/vmlinuz-*")
        XCTAssertNil(PackageCache.linkedDigest(of: file), "no record before linkable")
        _ = try cache.linkable(file, of: fetched)
        XCTAssertEqual(PackageCache.linkedDigest(of: file), try SHA256.hex(ofFile: file))
        try editInPlace(file)
        XCTAssertNil(PackageCache.linkedDigest(of: file), "a changed file has no trusted digest")
    }
}
