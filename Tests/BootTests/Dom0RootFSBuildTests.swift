import Foundation
import ImageComposer
import Infrastructure
import TestSupport
import XCTest

/// `[dom0] rootfs = PATH` through `xen-board build`: a cpio(.gz) initramfs becomes Dom0's ramdisk byte for byte;
/// anything else fails the build naming the board file's line and the path, with nothing written.
final class Dom0RootFSBuildTests: XCTestCase {
    var work: URL!

    override func setUpWithError() throws {
        work = FileManager.default.temporaryDirectory.appendingPathComponent("xb-rootfs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        let dts = """
        /dts-v1/; / { #address-cells = <2>; #size-cells = <2>; compatible = "test,board";
          aliases { serial0 = "/uart@9000000"; };
          cpus { #address-cells = <1>; #size-cells = <0>;
            cpu@0 { device_type = "cpu"; reg = <0>; compatible = "arm,cortex-a57"; enable-method = "psci"; }; };
          psci { compatible = "arm,psci-1.0"; method = "hvc"; };
          memory@40000000 { device_type = "memory"; reg = <0x0 0x40000000 0x0 0x40000000>; };
          uart@9000000 { compatible = "arm,pl011", "arm,primecell"; reg = <0x0 0x9000000 0x0 0x1000>; };
          chosen { stdout-path = "serial0"; };
        };
        """
        try Data(compileDTS(dts)).write(to: work.appendingPathComponent("board.dtb"))
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: work) }

    func board(_ name: String, rootfs: String) throws -> URL {
        let text = "description = \"t\"\narch = \"arm64\"\nstatus = \"build-only\"\n[dtb]\npath = \"board.dtb\"\n[xen]\nversion = \"4.17\"\n"
            + "[dom0]\nrootfs = \"\(rootfs)\"\n"
        let file = work.appendingPathComponent(name + ".toml")
        try Data(text.utf8).write(to: file)
        return file
    }

    func testUserCPIOIsDom0sRamdisk() throws {
        _ = try requireTool("mkimage")
        var a = CPIOArchive()
        try a.addFile("init", contents: Array("#!/bin/sh\necho mine\n".utf8), permissions: 0o755)
        let gz = try a.gzipped()
        try Data(gz).write(to: work.appendingPathComponent("mine.cpio.gz"))
        let out = work.appendingPathComponent("out")
        let r = try XenBoardCLI.run(["build", try board("user", rootfs: "mine.cpio.gz").path, "--out", out.path], in: work)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(FileManager.default.contents(atPath: out.appendingPathComponent("initrd").path).map { [UInt8]($0) }, gz)
    }

    /// `[[domu]] rootfs = PATH`: that guest's initramfs is the user's file; a non-cpio names its line.
    func testDomUsOwnCPIO() throws {
        _ = try requireTool("mkimage")
        var a = CPIOArchive()
        try a.addFile("init", contents: Array("#!/bin/sh\necho guest\n".utf8), permissions: 0o755)
        let cpio = a.encoded()
        try Data(cpio).write(to: work.appendingPathComponent("guest.cpio"))
        try Data("junk".utf8).write(to: work.appendingPathComponent("junk.bin"))
        func boardFile(_ name: String, _ rootfs: String) throws -> URL {
            let text = "description = \"t\"\narch = \"arm64\"\nstatus = \"build-only\"\n[dtb]\npath = \"board.dtb\"\n[xen]\nversion = \"4.17\"\n"
                + "[[domu]]\nname = \"g\"\nmemory = \"64M\"\nrootfs = \"\(rootfs)\"\n"
            let file = work.appendingPathComponent(name + ".toml")
            try Data(text.utf8).write(to: file)
            return file
        }
        let out = work.appendingPathComponent("out-domu")
        let ok = try XenBoardCLI.run(["build", try boardFile("domu", "guest.cpio").path, "--out", out.path], in: work)
        XCTAssertEqual(ok.status, 0, ok.stderr)
        XCTAssertEqual(FileManager.default.contents(atPath: out.appendingPathComponent("initrd-g").path).map { [UInt8]($0) }, cpio)
        let bad = try boardFile("domu-bad", "junk.bin")
        let r = try XenBoardCLI.run(["build", bad.path, "--out", work.appendingPathComponent("out-bad").path], in: work)
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("\(bad.path):11: rootfs \(work.appendingPathComponent("junk.bin").path) is neither"), r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: work.appendingPathComponent("out-bad").path))
    }

    /// `[[domu]] initrd = PATH`: alone, that guest's initramfs; with a cpio rootfs too, an error naming the initrd's
    /// line; an ext4 rootfs for a DomU (a disk blkback would serve) is refused naming its line.
    func testDomUInitrd() throws {
        _ = try requireTool("mkimage")
        var a = CPIOArchive()
        try a.addFile("init", contents: Array("#!/bin/sh\necho initrd\n".utf8), permissions: 0o755)
        let cpio = a.encoded()
        try Data(cpio).write(to: work.appendingPathComponent("initrd.cpio"))
        var ext4 = [UInt8](repeating: 0, count: 4096)
        ext4[1080] = 0x53
        ext4[1081] = 0xEF
        try Data(ext4).write(to: work.appendingPathComponent("root.ext4"))
        func build(_ name: String, _ keys: String) throws -> (ProcessResult, URL, URL) {
            let text = "description = \"t\"\narch = \"arm64\"\nstatus = \"build-only\"\n[dtb]\npath = \"board.dtb\"\n[xen]\nversion = \"4.17\"\n"
                + "[[domu]]\nname = \"g\"\nmemory = \"64M\"\n\(keys)\n"
            let file = work.appendingPathComponent(name + ".toml")
            try Data(text.utf8).write(to: file)
            let out = work.appendingPathComponent("out-" + name)
            return (try XenBoardCLI.run(["build", file.path, "--out", out.path], in: work), file, out)
        }
        let (ok, _, out) = try build("initrd", "initrd = \"initrd.cpio\"")
        XCTAssertEqual(ok.status, 0, ok.stderr)
        XCTAssertEqual(FileManager.default.contents(atPath: out.appendingPathComponent("initrd-g").path).map { [UInt8]($0) }, cpio)
        let (both, bothFile, bothOut) = try build("both", "rootfs = \"initrd.cpio\"\ninitrd = \"initrd.cpio\"")
        XCTAssertNotEqual(both.status, 0)
        XCTAssertTrue(both.stderr.contains("\(bothFile.path):12: initrd \(work.appendingPathComponent("initrd.cpio").path) is the initramfs for an ext4 rootfs"), both.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: bothOut.path))
        let (disk, diskFile, _) = try build("ext4", "rootfs = \"root.ext4\"\ninitrd = \"initrd.cpio\"")
        XCTAssertNotEqual(disk.status, 0)
        XCTAssertTrue(disk.stderr.contains("\(diskFile.path):11: rootfs \(work.appendingPathComponent("root.ext4").path) is an ext4 image; serving it to domu 'g'"), disk.stderr)
    }

    func testOtherFilesFailTheBuildNamingLineAndPath() throws {
        _ = try requireTool("mkimage")
        try Data("#!/bin/sh\n".utf8).write(to: work.appendingPathComponent("script.sh"))
        var ext4 = [UInt8](repeating: 0, count: 4096)
        ext4[1080] = 0x53
        ext4[1081] = 0xEF
        try Data(ext4).write(to: work.appendingPathComponent("root.ext4"))
        // An ext4 image is served as a disk, found by its UUID: one without a UUID is refused.
        for (name, file, fragment) in [("junk", "script.sh", " is neither a cpio initramfs"), ("ext4", "root.ext4", ": the ext4 superblock has no UUID"),
                                       ("gone", "missing.cpio", " cannot be read")] {
            let boardFile = try board(name, rootfs: file)
            let out = work.appendingPathComponent("out-" + name)
            let r = try XenBoardCLI.run(["build", boardFile.path, "--out", out.path], in: work)
            XCTAssertNotEqual(r.status, 0, name)
            XCTAssertTrue(r.stderr.contains("\(boardFile.path):9: rootfs \(work.appendingPathComponent(file).path)\(fragment)"), "\(name): \(r.stderr)")
            if name == "junk" { XCTAssertTrue(r.stderr.contains("found a script (#!)"), r.stderr) }
            XCTAssertFalse(FileManager.default.fileExists(atPath: out.path), "\(name): output left behind")
        }
    }
}
