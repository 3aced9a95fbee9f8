import Foundation
import ImageComposer
import XCTest

final class CPIOArchiveTests: XCTestCase {
    static let epoch = SourceDateEpoch(seconds: 1_700_000_000)   // 2023-11-14 22:13:20 UTC

    func sample() throws -> CPIOArchive {
        var a = CPIOArchive(epoch: Self.epoch)
        try a.addDirectory("bin")
        try a.addDirectory("/dev")
        try a.addDirectory("tmp", permissions: 0o1777)
        try a.addFile("bin/busybox", contents: pseudoRandomBytes(10_001, seed: 7), permissions: 0o755)
        try a.addSymlink("bin/sh", target: "busybox")
        try a.addCharacterDevice("dev/console", major: 5, minor: 1)
        try a.addCharacterDevice("dev/null", major: 1, minor: 3, permissions: 0o666)
        try a.addFile("./init", contents: Array("#!/bin/sh\necho hi\n".utf8), permissions: 0o755)
        try a.addFile("empty", contents: [])
        return a
    }

    func testSwiftReaderSeesEveryField() throws {
        let bytes = try sample().encoded()
        let members = try CPIOReader.read(bytes)
        XCTAssertEqual(members.map(\.name), ["bin", "dev", "tmp", "bin/busybox", "bin/sh", "dev/console", "dev/null", "init", "empty", "TRAILER!!!"])
        XCTAssertEqual(members.dropLast().map(\.inode), Array(1...9), "inodes are sequential in entry order")
        for m in members.dropLast() {
            XCTAssertEqual(m.mtime, 1_700_000_000, m.name)
            XCTAssertEqual(m.uid, 0); XCTAssertEqual(m.gid, 0); XCTAssertEqual(m.check, 0)
            XCTAssertEqual(m.headerOffset % 4, 0, "header of \(m.name) is 4-byte aligned")
        }
        let byName = Dictionary(uniqueKeysWithValues: members.map { ($0.name, $0) })
        XCTAssertEqual(byName["bin"]?.mode, 0o040755)
        XCTAssertEqual(byName["bin"]?.nlink, 2)
        XCTAssertEqual(byName["tmp"]?.mode, 0o041777)
        XCTAssertEqual(byName["bin/busybox"]?.mode, 0o100755)
        XCTAssertEqual(byName["bin/busybox"]?.data, pseudoRandomBytes(10_001, seed: 7))
        XCTAssertEqual(byName["bin/sh"]?.mode, 0o120777)
        XCTAssertEqual(byName["bin/sh"]?.data, Array("busybox".utf8))
        XCTAssertEqual(byName["dev/console"]?.mode, 0o020600)
        XCTAssertEqual(byName["dev/console"].map { [$0.rdevMajor, $0.rdevMinor] }, [5, 1])
        XCTAssertEqual(byName["dev/null"].map { [$0.rdevMajor, $0.rdevMinor] }, [1, 3])
        XCTAssertEqual(byName["empty"]?.data, [])
        let trailer = try XCTUnwrap(members.last)
        XCTAssertEqual([trailer.inode, trailer.mode, trailer.nlink, trailer.mtime], [0, 0, 1, 0])
        XCTAssertEqual(bytes.count % 4, 0)
        XCTAssertEqual(Array(bytes.prefix(6)), Array("070701".utf8))
    }

    func testRealCpioListsAndExtracts() throws {
        try Host.require(["cpio"])
        let dir = try TemporaryDirectory()
        let archive = dir.file("initramfs.cpio")
        try Data(try sample().encoded()).write(to: archive)

        let list = try Host.run("cpio", ["-itv"], input: archive)
        XCTAssertEqual(list.status, 0, list.stderr)
        let lines = list.text.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 9, list.text)
        func line(_ name: String) -> String { lines.first { $0.hasSuffix(" \(name)") || $0.contains(" \(name) -> ") } ?? "<no \(name)>" }
        XCTAssertTrue(line("bin").hasPrefix("drwxr-xr-x"), line("bin"))
        XCTAssertTrue(line("tmp").hasPrefix("drwxrwxrwt"), line("tmp"))
        XCTAssertTrue(line("bin/busybox").hasPrefix("-rwxr-xr-x"), line("bin/busybox"))
        XCTAssertTrue(line("bin/busybox").contains(" 10001 "), line("bin/busybox"))
        XCTAssertTrue(line("bin/sh").hasPrefix("lrwxrwxrwx") && line("bin/sh").hasSuffix("bin/sh -> busybox"), line("bin/sh"))
        XCTAssertTrue(line("dev/console").hasPrefix("crw-------"), line("dev/console"))
        XCTAssertTrue(line("dev/console").contains("5,"), line("dev/console"))
        XCTAssertTrue(line("dev/null").hasPrefix("crw-rw-rw-"), line("dev/null"))
        XCTAssertTrue(line("bin").contains("root"), "owner root: \(line("bin"))")
        XCTAssertTrue(line("bin").contains("Nov 14  2023"), "mtime from the epoch: \(line("bin"))")

        // Extract everything but the device nodes (creating them needs CAP_MKNOD), keeping mtimes.
        let root = dir.file("root")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let extract = try Host.run("cpio", ["-idm", "--no-absolute-filenames", "-f", "dev/*"], input: archive, directory: root)
        XCTAssertEqual(extract.status, 0, extract.stderr)
        XCTAssertEqual(try Data(contentsOf: root.appendingPathComponent("bin/busybox")), Data(pseudoRandomBytes(10_001, seed: 7)))
        XCTAssertEqual(try String(contentsOf: root.appendingPathComponent("init"), encoding: .utf8), "#!/bin/sh\necho hi\n")
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: root.appendingPathComponent("bin/sh").path), "busybox")
        let attributes = try FileManager.default.attributesOfItem(atPath: root.appendingPathComponent("init").path)
        XCTAssertEqual((attributes[.posixPermissions] as? NSNumber)?.intValue, 0o755)
        XCTAssertEqual((attributes[.modificationDate] as? Date)?.timeIntervalSince1970, 1_700_000_000)
        XCTAssertEqual(try Data(contentsOf: root.appendingPathComponent("empty")).count, 0)
    }

    func testDeterministicAndGzipRoundTrip() throws {
        try Host.require(["gzip"])
        let a = try sample(), b = try sample()
        XCTAssertEqual(a.encoded(), b.encoded())
        let z1 = try a.gzipped(), z2 = try b.gzipped()
        XCTAssertEqual(z1, z2, "gzip -n output is byte-identical")
        XCTAssertTrue(Gzip.isCompressed(z1))
        XCTAssertEqual(Array(z1[4..<8]), [0, 0, 0, 0], "no timestamp in the gzip header")
        let dir = try TemporaryDirectory()
        try Data(z1).write(to: dir.file("a.cpio.gz"))
        let plain = try Host.run("gzip", ["-dc", dir.file("a.cpio.gz").path])
        XCTAssertEqual(plain.status, 0, plain.stderr)
        XCTAssertEqual([UInt8](plain.stdout), a.encoded())
        // Another epoch changes only the mtime fields.
        var c = CPIOArchive(epoch: .zero)
        try c.addDirectory("bin")
        XCTAssertEqual(try CPIOReader.read(c.encoded()).first?.mtime, 0)
    }

    func testRejectsBadEntries() throws {
        var a = CPIOArchive()
        XCTAssertThrowsError(try a.addFile("bin/sh", contents: [])) { error in
            XCTAssertEqual(error as? CPIOError, .missingParentDirectory(path: "bin/sh", parent: "bin"))
            XCTAssertTrue("\(error)".contains("expected its parent directory bin"), "\(error)")
        }
        try a.addDirectory("bin")
        XCTAssertThrowsError(try a.addDirectory("/bin")) { XCTAssertEqual($0 as? CPIOError, .duplicatePath("bin")) }
        for bad in ["", "/", "a//b", "bin/../etc", "./", "bin/."] {
            XCTAssertThrowsError(try a.addDirectory(bad), bad) { XCTAssertEqual($0 as? CPIOError, .invalidPath(bad)) }
        }
        XCTAssertThrowsError(try a.addFile("bin/x", contents: [], permissions: 0o10000)) {
            XCTAssertEqual($0 as? CPIOError, .invalidPermissions(path: "bin/x", permissions: 0o10000))
        }
        XCTAssertThrowsError(try a.addSymlink("bin/sh", target: "")) {
            XCTAssertEqual($0 as? CPIOError, .invalidSymlinkTarget(path: "bin/sh", target: ""))
        }
        XCTAssertEqual(a.entries.count, 1, "failed additions leave the archive as it was")
    }
}
