import Foundation
import ImageComposer
import Infrastructure
import TestSupport
import XCTest

/// `[[guest]]` through `xen-board build` (no boot): the guest's own ramdisk and its xl configuration land in Dom0's
/// root filesystem; a ramdisk that is no cpio or a kernel that is no kernel fails the build naming the guest's line,
/// with nothing written.
final class GuestBuildTests: XCTestCase {
    var work: URL!

    override func setUpWithError() throws {
        work = FileManager.default.temporaryDirectory.appendingPathComponent("xb-guest-build-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work.appendingPathComponent("boards"), withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: work) }

    /// The toolstack board with one `[[guest]]` of `keys`; returns the build's outcome, its board file and output.
    func build(_ name: String, _ keys: [String]) throws -> (ProcessResult, String, URL) {
        var text = try String(contentsOf: XenBoardCLI.repository.appendingPathComponent("boards/qemu-virt-arm64-toolstack.toml"), encoding: .utf8)
        text = text.replacingOccurrences(of: "\n[qemu]", with: "\n[[guest]]\nname = \"web\"\nmemory = \"64M\"\n" + keys.joined(separator: "\n") + "\n\n[qemu]")
        let file = work.appendingPathComponent("boards/\(name).toml")
        try text.write(to: file, atomically: true, encoding: .utf8)
        let out = work.appendingPathComponent("out-" + name)
        let r = try XenBoardCLI.run(["build", name, "--out", out.path], in: work, environment: ["XEN_BOARD_BOARDS": work.appendingPathComponent("boards").path])
        let line = text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.hasPrefix("ramdisk") || $0.hasPrefix("kernel") }.map { $0 + 1 } ?? 0
        return (r, "\(file.path):\(line)", out)
    }

    func testGuestsOwnRamdiskAndConfigurationAreInDom0sRootFilesystem() throws {
        _ = try requireTool("mkimage")
        _ = try requireTool("depmod")
        var a = CPIOArchive()
        try a.addFile("init", contents: Array("#!/bin/sh\necho web guest\n".utf8), permissions: 0o755)
        let mine = a.encoded()
        try Data(mine).write(to: work.appendingPathComponent("web.cpio"))
        let (r, _, out) = try build("own", ["ramdisk = \"../web.cpio\"", "extra = \"loglevel=4\""])
        XCTAssertEqual(r.status, 0, r.stderr)
        let initrd = try XCTUnwrap(FileManager.default.contents(atPath: out.appendingPathComponent("initrd").path))
        let config = XLGuest(name: "web", memoryMiB: 64, vcpus: 1, kernel: "/var/lib/xen/images/debian-kernel",
                             ramdisk: "/var/lib/xen/images/web/ramdisk", cmdline: "console=hvc0 loglevel=4").config
        XCTAssertNotNil(initrd.range(of: Data(config.utf8)), "etc/xen/web.cfg as XLGuest writes it")
        XCTAssertNotNil(initrd.range(of: Data("var/lib/xen/images/web/ramdisk".utf8)))
        XCTAssertNotNil(initrd.range(of: Data(mine)), "the user's ramdisk byte for byte")
        let manifest = try String(contentsOf: out.appendingPathComponent("manifest.json"), encoding: .utf8)
        XCTAssertTrue(manifest.contains("\"guests\" : [\n    \"web\"\n  ]"), manifest)
        XCTAssertTrue(manifest.contains("guest web ramdisk"), "recorded as an input")
    }

    func testBadRamdiskOrKernelNamesTheGuestsLine() throws {
        _ = try requireTool("mkimage")
        _ = try requireTool("depmod")
        try Data("#!/bin/sh\n".utf8).write(to: work.appendingPathComponent("junk.sh"))
        let (r, at, out) = try build("junk", ["ramdisk = \"../junk.sh\""])
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("\(at): ramdisk \(work.path)/junk.sh is neither a cpio initramfs"), r.stderr)
        XCTAssertTrue(r.stderr.contains("found a script (#!)"), r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.path), "nothing written")
        let (k, kat, kout) = try build("kernel", ["kernel = \"../junk.sh\""])
        XCTAssertNotEqual(k.status, 0)
        XCTAssertTrue(k.stderr.contains("\(kat): guest 'web' kernel \(work.path)/junk.sh is truncated"), k.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: kout.path), "nothing written")
    }

    /// A dom0less DomU with a PV disk and its own `initrd` (the initramfs that mounts that disk): Dom0 still attaches
    /// the disk, but `boot` expects no disk checksum from the guest's report (the user's init prints what it likes).
    func testDomUOwnInitrdWithADiskIsNotCheckedLikeTheReportSystem() throws {
        _ = try requireTool("mkimage")
        _ = try requireTool("depmod")
        var a = CPIOArchive()
        try a.addFile("init", contents: Array("#!/bin/sh\nmount /dev/xvda /mnt\n".utf8), permissions: 0o755)
        try Data(a.encoded()).write(to: work.appendingPathComponent("mine.cpio"))
        try Data(repeating: 7, count: 4096).write(to: work.appendingPathComponent("data.img"))
        var text = try String(contentsOf: XenBoardCLI.repository.appendingPathComponent("boards/qemu-virt-arm64-toolstack.toml"), encoding: .utf8)
        text = text.replacingOccurrences(of: "\n[qemu]", with: """

        [[domu]]
        name = "own"
        memory = "128M"
        enhanced = "enabled"
        initrd = "../mine.cpio"
        disk = ["format=raw,vdev=xvda,access=ro,target=../data.img"]

        [qemu]
        """)
        try text.write(to: work.appendingPathComponent("boards/pvown.toml"), atomically: true, encoding: .utf8)
        let out = work.appendingPathComponent("out-pvown")
        let r = try XenBoardCLI.run(["build", "pvown", "--out", out.path], in: work, environment: ["XEN_BOARD_BOARDS": work.appendingPathComponent("boards").path])
        XCTAssertEqual(r.status, 0, r.stderr)
        let json = try XCTUnwrap(FileManager.default.contents(atPath: out.appendingPathComponent("manifest.json").path))
        let manifest = try XCTUnwrap(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        let pv = try XCTUnwrap((manifest["pv"] as? [[String: Any]])?.first, "\(manifest)")
        XCTAssertEqual(pv["domain"] as? String, "own")
        XCTAssertEqual(pv["attachments"] as? Int, 1, "Dom0 attaches the disk")
        XCTAssertEqual((pv["disks"] as? [Any])?.count, 0, "no checksum expected from the user's init")
        XCTAssertEqual(FileManager.default.contents(atPath: out.appendingPathComponent("initrd-own").path), Data(a.encoded()))
    }
}
