import BoardBuild
import Foundation
import Infrastructure
import TestSupport
import XCTest

/// `[[domu]] kernel = PATH`: the DomU boots its own kernel, written as `kernel-NAME`, planned with its own size and
/// named by its DomU node, the boot script and the manifest; a DomU without the key shares Dom0's `kernel`. A path
/// that is no kernel of the board's architecture fails the build naming the board file's line, nothing written.
final class DomUKernelTests: XCTestCase {
    var work: URL!

    override func setUpWithError() throws {
        work = FileManager.default.temporaryDirectory.appendingPathComponent("xb-domu-kernel-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work.appendingPathComponent("boards"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: work.appendingPathComponent("kernels"), withIntermediateDirectories: true)
        try requireFiles(["/usr/bin/qemu-system-aarch64", "/usr/bin/mkimage", "/usr/lib/u-boot/qemu_arm64/u-boot.bin"])
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: work) }

    var env: [String: String] { ["XEN_BOARD_BOARDS": work.appendingPathComponent("boards").path] }

    /// qemu-virt-arm64 plus `domus` (board-file text) before [qemu]; returns the board file's path and text.
    func board(_ name: String, _ domus: String) throws -> (String, String) {
        var text = try String(contentsOf: XenBoardCLI.repository.appendingPathComponent("boards/qemu-virt-arm64.toml"), encoding: .utf8)
        text = text.replacingOccurrences(of: "\n[qemu]", with: "\n" + domus + "\n[qemu]")
        let file = work.appendingPathComponent("boards/\(name).toml")
        try text.write(to: file, atomically: true, encoding: .utf8)
        return (file.path, text)
    }

    /// An arm64 Image header (little-endian, 4K pages) announcing `imageSize` bytes, padded to 4 KiB with a pattern.
    func arm64Image(imageSize: UInt64) -> [UInt8] {
        var b = (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) }
        for i in 0..<64 { b[i] = 0 }
        for i in 0..<8 { b[0x10 + i] = UInt8(truncatingIfNeeded: imageSize >> (8 * UInt64(i))) }
        b[0x18] = 0x2
        b.replaceSubrange(0x38..<0x3C, with: Array("ARM\u{64}".utf8))
        return b
    }

    func manifest(_ out: URL) throws -> Manifest {
        try JSONDecoder().decode(Manifest.self, from: Data(contentsOf: out.appendingPathComponent("manifest.json")))
    }

    func testDomUWithItsOwnKernelGetsThatFile() throws {
        let mine = arm64Image(imageSize: 0x300_0000)
        try Data(mine).write(to: work.appendingPathComponent("kernels/Image"))
        _ = try board("own", """
        [[domu]]
        name = "own"
        memory = "128M"
        kernel = "../kernels/./Image"

        [[domu]]
        name = "shared"
        memory = "128M"

        """)
        let out = work.appendingPathComponent("out-own")
        let r = try XenBoardCLI.run(["build", "own", "--out", out.path], in: work, environment: env)
        XCTAssertEqual(r.status, 0, r.stderr)
        guard r.status == 0 else { return }
        XCTAssertEqual(FileManager.default.contents(atPath: out.appendingPathComponent("kernel-own").path).map { [UInt8]($0) }, mine,
                       "the DomU's kernel byte for byte")
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.appendingPathComponent("kernel-shared").path), "no copy of Dom0's kernel")
        let m = try manifest(out)
        XCTAssertTrue(m.files.contains("kernel-own"), "\(m.files)")
        XCTAssertTrue(m.inputs.contains { $0.role == "domu own kernel" && $0.source == work.path + "/kernels/Image" }, "normalised path: \(m.inputs)")
        let own = try XCTUnwrap(m.modules.first { $0.name == "kernel-own" })
        let shared = try XCTUnwrap(m.modules.first { $0.name == "kernel-shared" })
        let dom0 = try XCTUnwrap(m.modules.first { $0.file == "kernel" && $0.name != "kernel-shared" })
        XCTAssertEqual(own.file, "kernel-own")
        XCTAssertEqual(own.size, 0x300_0000, "planned with the image_size its header announces")
        XCTAssertEqual(own.sha256, try SHA256.hex(mine))
        XCTAssertEqual(shared.file, "kernel")
        XCTAssertEqual(shared.size, dom0.size, "the sharing DomU is planned with Dom0's kernel")
        XCTAssertNotEqual(own.size, dom0.size)
        XCTAssertTrue(own.end <= shared.loadAddress || shared.end <= own.loadAddress, "separate ranges")
        let script = try String(contentsOf: out.appendingPathComponent("boot.cmd"), encoding: .utf8)
        let hex = String(own.loadAddress, radix: 16)
        XCTAssertTrue(script.split(whereSeparator: \.isNewline).contains { $0.contains("kernel-own") && $0.lowercased().contains(hex) }, script)
        let node = "/chosen/domU-own/module@\(hex)"
        let compat = try XenBoardCLI.run(["dt", "get", out.appendingPathComponent("board.dtb").path, node, "compatible", "-t", "strings"], in: work)
        XCTAssertTrue(compat.stdout.contains("multiboot,kernel"), "\(compat.stdout) \(compat.stderr)")
        let reg = try XenBoardCLI.run(["dt", "get", out.appendingPathComponent("board.dtb").path, node, "reg", "-t", "u32"], in: work)
        XCTAssertTrue(reg.stdout.trimmingCharacters(in: .whitespacesAndNewlines).hasSuffix("0x0 0x\(String(mine.count, radix: 16))"),
                      "the DomU node's kernel module covers its file: \(reg.stdout) \(reg.stderr)")
    }

    /// QEMU's direct loader (`boot = "direct"`, no boot script) loads the DomU's own file at its planned address.
    func testDirectLoaderLoadsTheDomUsOwnKernel() throws {
        try Data(arm64Image(imageSize: 0x200_0000)).write(to: work.appendingPathComponent("kernels/Image"))
        let (path, text) = try board("direct", "[[domu]]\nname = \"own\"\nmemory = \"128M\"\nkernel = \"../kernels/Image\"\n")
        try text.replacingOccurrences(of: "boot = \"u-boot\"", with: "boot = \"direct\"").write(toFile: path, atomically: true, encoding: .utf8)
        let out = work.appendingPathComponent("out-direct")
        let r = try XenBoardCLI.run(["build", "direct", "--out", out.path], in: work, environment: env)
        XCTAssertEqual(r.status, 0, r.stderr)
        guard r.status == 0 else { return }
        let own = try XCTUnwrap(try manifest(out).modules.first { $0.name == "kernel-own" })
        XCTAssertEqual(own.loadedBy, "qemu loader")
        let run = try String(contentsOf: out.appendingPathComponent("run-qemu.sh"), encoding: .utf8)
        XCTAssertTrue(run.contains("loader,file=kernel-own,addr=0x\(String(own.loadAddress, radix: 16))"), run)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.appendingPathComponent("boot.cmd").path), "no boot script")
    }

    /// An ext4 rootfs's generated initramfs carries modules of Debian's kernel: with the DomU's own kernel (and no
    /// initrd of its own) that is refused, naming the kernel's line, before anything is built.
    func testOwnKernelWithGeneratedExt4RootInitramfsIsRefused() throws {
        let mke2fs = try requireTool("mke2fs")
        let image = work.appendingPathComponent("root.ext4")
        XCTAssertEqual(try ProcessRunner.run(mke2fs, ["-q", "-F", "-t", "ext4", image.path, "4M"]).status, 0)
        try Data(arm64Image(imageSize: 0x200_0000)).write(to: work.appendingPathComponent("kernels/Image"))
        var text = try String(contentsOf: XenBoardCLI.repository.appendingPathComponent("boards/qemu-virt-arm64-toolstack.toml"), encoding: .utf8)
        text = text.replacingOccurrences(of: "\n[qemu]", with: "\n[[domu]]\nname = \"disk\"\nmemory = \"128M\"\nenhanced = \"enabled\"\nrootfs = \"../root.ext4\"\nkernel = \"../kernels/Image\"\n\n[qemu]")
        let file = work.appendingPathComponent("boards/ext4own.toml")
        try text.write(to: file, atomically: true, encoding: .utf8)
        let line = try XCTUnwrap(text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.hasPrefix("kernel =") }) + 1
        let out = work.appendingPathComponent("out-ext4own")
        let r = try XenBoardCLI.run(["build", "ext4own", "--out", out.path], in: work, environment: env)
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("\(file.path):\(line): domu 'disk' runs its own kernel \(work.path)/kernels/Image"), r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.path), "nothing written")
    }

    /// Missing, wrong architecture, not a kernel: each names file:line of `kernel` and the (normalised) path.
    func testBadDomUKernelNamesTheBoardFilesLine() throws {
        var zImage = [UInt8](repeating: 0, count: 0x1000)
        zImage.replaceSubrange(0x24..<0x30, with: [0x18, 0x28, 0x6f, 0x01, 0, 0, 0, 0, 0, 0x10, 0, 0])
        try Data(zImage).write(to: work.appendingPathComponent("kernels/zImage"))
        try Data(("#!/bin/sh\n" + String(repeating: "echo not a kernel\n", count: 10)).utf8).write(to: work.appendingPathComponent("kernels/script.sh"))
        for (name, file, expect) in [("missing", "nothing", "no such file"), ("arm32", "zImage", "arm32"), ("script", "script.sh", "not a bootable kernel image")] {
            let (path, text) = try board(name, "[[domu]]\nname = \"own\"\nmemory = \"128M\"\nkernel = \"../kernels/\(file)\"\n")
            let line = try XCTUnwrap(text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.hasPrefix("kernel =") }) + 1
            let out = work.appendingPathComponent("out-" + name)
            let r = try XenBoardCLI.run(["build", name, "--out", out.path], in: work, environment: env)
            XCTAssertNotEqual(r.status, 0, name)
            XCTAssertTrue(r.stderr.contains("\(path):\(line): domu 'own' kernel "), "\(name): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains(" \(work.path)/kernels/\(file)"), "\(name): names the file, normalised: \(r.stderr)")
            XCTAssertTrue(r.stderr.contains(expect), "\(name): \(r.stderr)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: out.path), "\(name): nothing written")
        }
    }

    /// A real boot: Dom0 runs Debian 12's Linux 6.1, the DomU Debian 13's Linux 6.12 (the `kernel` of a Xen 4.20
    /// build of the same board, fetched through the private apt configuration); each report shows its own uname -r.
    func testDomUBootsADifferentKernelThanDom0() throws {
        let newer = work.appendingPathComponent("out-420")
        let b420 = try XenBoardCLI.run(["build", "qemu-virt-arm64", "--out", newer.path, "--xen-version", "4.20"], in: work)
        XCTAssertEqual(b420.status, 0, b420.stderr.suffix(3000).description)
        guard b420.status == 0 else { return }
        _ = try board("k612", "[[domu]]\nname = \"k612\"\nmemory = \"256M\"\nkernel = \"\(newer.path)/kernel\"\n")
        let out = work.appendingPathComponent("out-k612").path
        let build = try XenBoardCLI.run(["build", "k612", "--out", out], in: work, environment: env)
        XCTAssertEqual(build.status, 0, build.stderr.suffix(3000).description)
        guard build.status == 0 else { return }
        let boot = try XenBoardCLI.run(["boot", "k612", "--out", out, "--timeout", "300", "--json"], in: work, environment: env)
        let console = (try? String(contentsOfFile: out + "/console.log", encoding: .utf8)) ?? ""
        let tail = console.split(whereSeparator: \.isNewline).suffix(40).joined(separator: "\n")
        XCTAssertEqual(boot.status, 0, "\(boot.stderr)\n--- console tail ---\n\(tail)")
        let j = (try? JSONSerialization.jsonObject(with: Data(boot.stdout.utf8))) as? [String: Any] ?? [:]
        let domains = (j["domains"] as? [[String: Any]]) ?? []
        func kernel(_ name: String) -> String? {
            let d = domains.first { $0["domain"] as? String == name }
            return ((d?["report"] as? [[String: String]]) ?? []).first { $0["key"] == "kernel" }?["value"]
        }
        XCTAssertTrue(kernel("dom0")?.hasPrefix("6.1.") == true, "Dom0: \(kernel("dom0") ?? "no report")\n--- console tail ---\n\(tail)")
        XCTAssertTrue(kernel("k612")?.hasPrefix("6.12.") == true, "DomU: \(kernel("k612") ?? "no report")\n--- console tail ---\n\(tail)")
        let seconds = (j["seconds"] as? Double).map { String(format: "%.1f s", $0) } ?? "?"
        print("k612: Dom0 runs \(kernel("dom0") ?? "?"), the DomU \(kernel("k612") ?? "?"); QEMU start to report in \(seconds)")
    }
}
