import Foundation
import Infrastructure
import TestSupport
import XCTest

/// `xen-board build` + `xen-board boot` as a user runs them: the emulated boards boot Xen and Dom0 to the Dom0
/// report under QEMU; every other board builds; builds are reproducible; bad input fails cleanly.
final class BoardBootTests: XCTestCase {
    static let repo = XenBoardCLI.repository
    var work: URL!

    override func setUpWithError() throws {
        work = FileManager.default.temporaryDirectory.appendingPathComponent("xb-boot-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: work) }

    func xb(_ args: [String], env: [String: String] = [:]) throws -> ProcessResult { try XenBoardCLI.run(args, in: work, environment: env) }

    /// Skips locally when the tools or the network are missing; in CI (CI=true) that is a failure.
    func requireTools() throws {
        try requireFiles(["/usr/bin/qemu-system-aarch64", "/usr/bin/qemu-system-arm", "/usr/bin/mkimage", "/usr/lib/u-boot/qemu_arm64/u-boot.bin"])
    }

    /// `checkInput`: also type CTRL-a x3 + `h` and require Xen's debug-key help (`boot --check-input`).
    func buildAndBoot(_ board: String, checkInput: Bool = false, xenVersion: String = "4.17") throws {
        try requireTools()
        let out = work.appendingPathComponent(board).path
        let build = try xb(["build", board, "--out", out, "--xen-version", xenVersion])
        XCTAssertEqual(build.status, 0, "build \(board): \(build.stderr)")
        guard build.status == 0 else { return }
        let boot = try xb(["boot", board, "--out", out, "--timeout", "240", "--json"] + (checkInput ? ["--check-input"] : []))
        let console = (try? String(contentsOfFile: out + "/console.log", encoding: .utf8)) ?? ""
        let tail = console.split(whereSeparator: \.isNewline).suffix(40).joined(separator: "\n")
        XCTAssertEqual(boot.status, 0, "boot \(board): \(boot.stderr)\n--- console tail ---\n\(tail)")
        let j = (try? JSONSerialization.jsonObject(with: Data(boot.stdout.utf8))) as? [String: Any] ?? [:]
        XCTAssertEqual(j["ok"] as? Bool, true, "\(board): \(boot.stdout)\n--- console tail ---\n\(tail)")
        XCTAssertEqual(j["hypervisor"] as? String, "xen")
        XCTAssertEqual(j["xenCPUs"] as? Int, 2, "Xen brought up both CPUs")
        XCTAssertEqual(j["dom0CPUs"] as? Int, 2)
        let milestones = (j["milestones"] as? [[String: Any]])?.compactMap { $0["name"] as? String } ?? []
        XCTAssertEqual(milestones, ["Xen banner", "secondary CPUs", "Dom0 construction", "Dom0 kernel banner", "Dom0 report"], tail)
        let report = (j["report"] as? [[String: String]]) ?? []
        XCTAssertTrue(report.contains { $0["key"] == "xen_version" && $0["value"]?.hasPrefix(xenVersion + ".") == true }, "\(report)")
        if checkInput {
            XCTAssertNotNil(j["inputHelpSeconds"] as? Double, "Xen's debug-key help after CTRL-a x3 + h:\n\(tail)")
            XCTAssertTrue(console.contains("*** Serial input to Xen"), "Xen switched its input:\n\(tail)")
        }
        if let seconds = j["seconds"] as? Double { print("\(board): QEMU start to Dom0 report in \(String(format: "%.1f", seconds)) s") }
    }

    func testVexpressBootsXenAndDom0() throws { try buildAndBoot("vexpress") }
    /// Also proves `boot --check-input` with Xen's own PL011 driver (RX interrupt path).
    func testQEMUVirtArm64BootsThroughUBoot() throws { try buildAndBoot("qemu-virt-arm64", checkInput: true) }
    func testQEMUVirtArm32BootsThroughUBoot() throws { try buildAndBoot("qemu-virt-arm32") }
    /// Debian 13's prebuilt Xen 4.20 and Linux 6.12 (through the private apt configuration).
    func testQEMUVirtArm64BootsDebian13Xen420() throws { try buildAndBoot("qemu-virt-arm64", xenVersion: "4.20") }

    /// Dom0 plus a dom0less DomU that owns the PL031 RTC: the DomU's kernel binds it, Dom0 does not get it, and the
    /// DomU's output appears on Xen's console.
    func testRTCPassedThroughToADomU() throws {
        try requireTools()
        let board = "qemu-virt-arm64-rtc-domu"
        let out = work.appendingPathComponent(board).path
        let build = try xb(["build", board, "--out", out, "--json"])
        XCTAssertEqual(build.status, 0, build.stderr)
        guard build.status == 0 else { return }
        XCTAssertEqual(try xb(["dt", "check", "--partial", out + "/rtc.dtb", "--host", out + "/board.dtb"]).status, 0)
        XCTAssertEqual(try xb(["dt", "get", out + "/board.dtb", "/pl031@9010000", "xen,passthrough"]).status, 0, "host node marked")
        let boot = try xb(["boot", board, "--out", out, "--timeout", "300", "--json"])
        let console = (try? String(contentsOfFile: out + "/console.log", encoding: .utf8)) ?? ""
        let tail = console.split(whereSeparator: \.isNewline).suffix(40).joined(separator: "\n")
        XCTAssertEqual(boot.status, 0, "\(boot.stderr)\n--- console tail ---\n\(tail)")
        let j = (try? JSONSerialization.jsonObject(with: Data(boot.stdout.utf8))) as? [String: Any] ?? [:]
        let domains = (j["domains"] as? [[String: Any]]) ?? []
        func report(_ name: String) -> [String: [String]] {
            var r: [String: [String]] = [:]
            for d in domains where d["domain"] as? String == name {
                for f in (d["report"] as? [[String: String]]) ?? [] { r[f["key"] ?? "", default: []].append(f["value"] ?? "") }
            }
            return r
        }
        let dom0 = report("dom0"), domu = report("rtc")
        XCTAssertEqual(domu["kernel"]?.isEmpty, false, "DomU report: \(domu)\n\(tail)")
        XCTAssertEqual(domu["cpus"], ["1"], "the DomU has its one vCPU")
        XCTAssertEqual(domu["role"], ["domu"])
        XCTAssertTrue(domu["rtc"]?.first?.contains("pl031") == true, "the DomU's kernel bound the RTC: \(domu["rtc"] ?? [])")
        XCTAssertEqual(dom0["role"], ["dom0"])
        XCTAssertEqual(dom0["rtc"], ["none"], "Dom0 has no RTC: \(dom0["rtc"] ?? [])")
        XCTAssertFalse(dom0["device"]?.contains("/pl031@9010000") ?? true, "Dom0 did not get the device")
        XCTAssertTrue(console.contains("(XEN) DOM1: XEN-BOARD-REPORT-BEGIN"), "Xen's console shows the DomU's output")
        XCTAssertTrue(console.contains("rtc-pl031 9010000.pl031: registered as rtc0"), "the DomU kernel's own message")
    }

    /// True dom0less: no Dom0 at all; Xen starts the DomU (with its RTC) directly.
    func testTrueDom0less() throws {
        try requireTools()
        let boards = work.appendingPathComponent("boards")
        try FileManager.default.createDirectory(at: boards, withIntermediateDirectories: true)
        var text = try String(contentsOf: Self.repo.appendingPathComponent("boards/qemu-virt-arm64-rtc-domu.toml"), encoding: .utf8)
        text = text.replacingOccurrences(of: "[dom0]\nmemory = \"512M\"", with: "[dom0]\nenabled = false")
        try text.write(to: boards.appendingPathComponent("dom0less.toml"), atomically: true, encoding: .utf8)
        let out = work.appendingPathComponent("dom0less").path
        let env = ["XEN_BOARD_BOARDS": boards.path]
        let build = try xb(["build", "dom0less", "--out", out, "--json"], env: env)
        XCTAssertEqual(build.status, 0, build.stderr)
        guard build.status == 0 else { return }
        XCTAssertNotEqual(try xb(["dt", "get", out + "/board.dtb", "/chosen", "xen,dom0-bootargs"]).status, 0, "no Dom0 bootargs")
        let boot = try xb(["boot", "dom0less", "--out", out, "--timeout", "240", "--json"], env: env)
        let console = (try? String(contentsOfFile: out + "/console.log", encoding: .utf8)) ?? ""
        XCTAssertEqual(boot.status, 0, "\(boot.stderr)\n\(console.split(whereSeparator: \.isNewline).suffix(40).joined(separator: "\n"))")
        XCTAssertFalse(console.contains("LOADING DOMAIN 0"), "Xen ran without Dom0")
        XCTAssertTrue(console.contains("Xen version"), "Xen booted")
        XCTAssertTrue(console.contains("(XEN) DOM1: rtc=rtc-pl031"), "the DomU bound the RTC")
    }

    /// Every build-only and blocked board builds; its DTB is valid and holds the modules where the manifest says.
    func testEveryOtherBoardBuilds() throws {
        try requireTools()
        for board in ["rpi4", "zcu102", "juno-r2", "hihope-rzg2m", "pine64-plus", "rock-pi-4", "imx8mq-evk", "jetson-nano"] {
            let out = work.appendingPathComponent(board).path
            let r = try xb(["build", board, "--out", out, "--json"])
            XCTAssertEqual(r.status, 0, "\(board): \(r.stderr)")
            guard r.status == 0, let m = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any] else { continue }
            XCTAssertEqual(try xb(["dt", "check", out + "/board.dtb"]).status, 0, board)
            let modules = (m["modules"] as? [[String: Any]]) ?? []
            XCTAssertEqual(modules.compactMap { $0["name"] as? String }, ["xen", "dtb", "kernel", "initrd"], board)
            for mod in modules where mod["name"] as? String == "kernel" {
                let addr = mod["loadAddress"] as? Int ?? -1
                let reg = try xb(["dt", "get", out + "/board.dtb", "/chosen/module@\(String(addr, radix: 16))", "compatible", "-t", "strings"])
                XCTAssertEqual(reg.stdout, "multiboot,kernel\nmultiboot,module\n", "\(board): \(reg.stderr)")
                XCTAssertEqual(addr % 0x20_0000, 0, "\(board): kernel 2 MiB aligned")
            }
            if board == "jetson-nano" {
                let warnings = (m["warnings"] as? [String]) ?? []
                XCTAssertTrue(warnings.contains { $0.hasPrefix("inspect: console") && $0.contains("compatible-added") && $0.contains("--xen source") }, "\(board): Debian's Xen has no console on the Tegra UART: \(warnings)")
            }
            for f in ["boot.scr", "disk.img", "memory-map.svg", "memory-map.txt", "manifest.json"] {
                XCTAssertTrue(FileManager.default.fileExists(atPath: out + "/" + f), "\(board): \(f)")
            }
        }
    }

    func testBuildsAreReproducible() throws {
        try requireTools()
        let a = work.appendingPathComponent("a").path, b = work.appendingPathComponent("b").path
        XCTAssertEqual(try xb(["build", "qemu-virt-arm64", "--out", a]).status, 0)
        XCTAssertEqual(try xb(["build", "qemu-virt-arm64", "--out", b]).status, 0)
        let files = try FileManager.default.contentsOfDirectory(atPath: a).sorted()
        XCTAssertEqual(files, try FileManager.default.contentsOfDirectory(atPath: b).sorted())
        for f in files {
            XCTAssertEqual(FileManager.default.contents(atPath: a + "/" + f), FileManager.default.contents(atPath: b + "/" + f), "\(f) differs")
        }
        // A different SOURCE_DATE_EPOCH changes the timestamps (so the setting is really used).
        let c = work.appendingPathComponent("c").path
        XCTAssertEqual(try xb(["build", "qemu-virt-arm64", "--out", c], env: ["SOURCE_DATE_EPOCH": "1700000000"]).status, 0)
        XCTAssertNotEqual(FileManager.default.contents(atPath: a + "/boot.scr"), FileManager.default.contents(atPath: c + "/boot.scr"))
    }

    /// `--fit`: mkimage -f accepts the generated ITS; every module of the plan (a DomU's kernel, initramfs and
    /// partial tree included) sits at its planned address, and the FIT names the board's Xen version.
    func testFITImage() throws {
        try requireTools()
        for board in ["qemu-virt-arm64", "qemu-virt-arm64-rtc-domu"] {
            let out = work.appendingPathComponent("fit-\(board)").path
            let r = try xb(["build", board, "--out", out, "--fit", "--json"])
            XCTAssertEqual(r.status, 0, r.stderr)
            let m = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
            let listing = String(decoding: try runTool("dumpimage", ["-l", out + "/xen.itb"]), as: UTF8.self)
            let modules = (m["modules"] as? [[String: Any]]) ?? []
            XCTAssertGreaterThanOrEqual(modules.count, board.hasSuffix("domu") ? 7 : 4, "\(board): the manifest's modules")
            for mod in modules {
                let addr = String(mod["loadAddress"] as? Int ?? -1, radix: 16)
                XCTAssertTrue(listing.contains("Load Address: 0x" + String(repeating: "0", count: max(0, 8 - addr.count)) + addr),
                              "\(board): \(mod["name"] ?? "") at 0x\(addr):\n\(listing)")
            }
            XCTAssertTrue(listing.contains("Architecture: AArch64"), listing)
            let its = try String(contentsOfFile: out + "/xen.its", encoding: .utf8)
            XCTAssertTrue(its.contains("description = \"Xen 4.17\";"), "\(board): the board's Xen version\n\(its)")
        }
    }

    /// Each bad input: non-zero exit, a message naming the problem, and nothing left in the output directory.
    func testBadInputFailsCleanly() throws {
        try requireTools()
        let boards = work.appendingPathComponent("boards")
        try FileManager.default.createDirectory(at: boards, withIntermediateDirectories: true)
        func board(_ name: String, _ text: String) throws { try text.write(to: boards.appendingPathComponent(name + ".toml"), atomically: true, encoding: .utf8) }
        let base = "description = \"t\"\narch = \"arm64\"\nstatus = \"build-only\"\n"
        try board("missing-dtb", base + "[dtb]\npath = \"nope.dtb\"\n")
        try board("wrong-arch", base + "[dtb]\nkernel-dtb = \"arm/juno-r2.dtb\"\n[dom0]\nkernel = \"zimage\"\n")
        try board("no-memory", base + "[dtb]\nkernel-dtb = \"rockchip/rk3399-rock-pi-4b.dtb\"\n")
        // Dom0's memory fits (the board file check passes), the modules do not.
        try board("tiny-ram", base + "[dtb]\nkernel-dtb = \"arm/juno-r2.dtb\"\n[memory]\nbase = 0x80000000\nsize = 0x1000000\n[dom0]\nmemory = \"4M\"\n")
        try board("reserved", base + "[dtb]\npath = \"reserved.dtb\"\n")
        try board("typo", base + "[dtb]\nkernel-dtb = \"arm/juno-r2.dtb\"\n[xen]\nbootarg = \"x\"\n")
        // An armhf zImage passed as an arm64 Dom0 kernel.
        let zimage = [UInt8](repeating: 0, count: 0x24) + [0x18, 0x28, 0x6f, 0x01] + [0, 0, 0, 0] + [0, 0x10, 0, 0] + [UInt8](repeating: 0, count: 0x1000)
        try Data(zimage).write(to: boards.appendingPathComponent("zimage"))
        // RAM that is all reserved.
        let dts = "/dts-v1/; /memreserve/ 0x40000000 0x40000000; / { #address-cells = <2>; #size-cells = <2>; compatible = \"x\"; chosen { stdout-path = \"/uart@9000000\"; }; memory@40000000 { device_type = \"memory\"; reg = <0 0x40000000 0 0x40000000>; }; uart@9000000 { compatible = \"arm,pl011\"; reg = <0 0x9000000 0 0x1000>; }; };"
        try Data(try compileDTS(dts)).write(to: boards.appendingPathComponent("reserved.dtb"))

        let cases: [(String, String)] = [
            ("missing-dtb", "nope.dtb"),
            ("wrong-arch", "arm64"),
            ("no-memory", "no RAM"),
            ("tiny-ram", "does not fit"),
            ("reserved", "does not fit"),
            ("typo", "unknown key 'bootarg'"),
            ("no-such-board", "unknown board"),
        ]
        for (name, fragment) in cases {
            let out = work.appendingPathComponent("out-" + name).path
            let r = try xb(["build", name, "--out", out], env: ["XEN_BOARD_BOARDS": boards.path])
            XCTAssertNotEqual(r.status, 0, name)
            XCTAssertTrue(r.stderr.contains(fragment), "\(name): expected '\(fragment)' in: \(r.stderr)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: out), "\(name): output left behind")
            let leftovers = (try? FileManager.default.contentsOfDirectory(atPath: work.path))?.filter { $0.hasPrefix(".out-") } ?? []
            XCTAssertEqual(leftovers, [], "\(name): staging directory left behind")
        }
        let boot = try xb(["boot", "zcu102", "--out", work.appendingPathComponent("never-built").path])
        XCTAssertEqual(boot.status, 1)
        XCTAssertTrue(boot.stderr.contains("run `xen-board build zcu102` first"), boot.stderr)
    }
}
