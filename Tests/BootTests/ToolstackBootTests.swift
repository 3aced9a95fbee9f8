import Foundation
import ImageComposer
import Infrastructure
import TestSupport
import XCTest

/// `[dom0] rootfs = "toolstack"` booted under QEMU: Dom0 runs Debian's xenstored and xenconsoled, and `xl list`
/// (through xenstored and privcmd) lists Domain-0 with its memory, `xl info` the hypervisor's version.
final class ToolstackBootTests: XCTestCase {
    func testQEMUVirtArm64ToolstackDom0() throws {
        try requireFiles(["/usr/bin/qemu-system-aarch64", "/usr/bin/mkimage", "/usr/lib/u-boot/qemu_arm64/u-boot.bin"])
        try requireTool("depmod")
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("xb-toolstack-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let board = "qemu-virt-arm64-toolstack"
        let out = work.appendingPathComponent(board).path
        let build = try XenBoardCLI.run(["build", board, "--out", out], in: work)
        XCTAssertEqual(build.status, 0, "build: \(build.stderr)")
        guard build.status == 0 else { return }
        let boot = try XenBoardCLI.run(["boot", board, "--out", out, "--timeout", "300", "--json"], in: work)
        let console = (try? String(contentsOfFile: out + "/console.log", encoding: .utf8)) ?? ""
        let tail = console.split(whereSeparator: \.isNewline).suffix(60).joined(separator: "\n")
        XCTAssertEqual(boot.status, 0, "boot: \(boot.stderr)\n--- console tail ---\n\(tail)")
        guard let report = BootReport.parse(console) else { return XCTFail("no Dom0 report\n--- console tail ---\n\(tail)") }
        XCTAssertEqual(report.xenstoredRunning, true, tail)
        XCTAssertEqual(report.xenconsoledRunning, true, tail)
        XCTAssertEqual(report.xlDomains.first, BootReport.XLDomain(name: "Domain-0", id: 0, memoryMiB: 512), "xl list: \(report.xlDomains)\n\(tail)")
        XCTAssertTrue(report.xlXenVersion?.hasPrefix("4.17.") == true, "xl info xen_version: \(report.xlXenVersion ?? "none")")
        XCTAssertEqual(report.xlXenVersion, report.xenVersion, "xl and sysfs agree on the version")
        let j = (try? JSONSerialization.jsonObject(with: Data(boot.stdout.utf8))) as? [String: Any] ?? [:]
        if let seconds = j["seconds"] as? Double { print("\(board): QEMU start to Dom0 report in \(String(format: "%.1f", seconds)) s") }
    }

    /// The arm32 variant (`boards/qemu-virt-arm32-toolstack.toml`): Debian 12's armhf xen-utils-4.17 and the
    /// armmp-lpae kernel's modules; `xl list` shows Domain-0 with its 384 MiB and `xl info` the hypervisor's version.
    func testQEMUVirtArm32ToolstackDom0() throws {
        try requireFiles(["/usr/bin/qemu-system-arm", "/usr/bin/mkimage", "/usr/lib/u-boot/qemu_arm/u-boot.bin"])
        try requireTool("depmod")
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("xb-toolstack32-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let board = "qemu-virt-arm32-toolstack"
        let out = work.appendingPathComponent(board).path
        let build = try XenBoardCLI.run(["build", board, "--out", out], in: work)
        XCTAssertEqual(build.status, 0, "build: \(build.stderr)")
        guard build.status == 0 else { return }
        let boot = try XenBoardCLI.run(["boot", board, "--out", out, "--timeout", "400", "--json"], in: work)
        let console = (try? String(contentsOfFile: out + "/console.log", encoding: .utf8)) ?? ""
        let tail = console.split(whereSeparator: \.isNewline).suffix(60).joined(separator: "\n")
        XCTAssertEqual(boot.status, 0, "boot: \(boot.stderr)\n--- console tail ---\n\(tail)")
        guard let report = BootReport.parse(console) else { return XCTFail("no Dom0 report\n--- console tail ---\n\(tail)") }
        XCTAssertEqual(report.xenstoredRunning, true, tail)
        XCTAssertEqual(report.xenconsoledRunning, true, tail)
        XCTAssertEqual(report.xlDomains.first, BootReport.XLDomain(name: "Domain-0", id: 0, memoryMiB: 384), "xl list: \(report.xlDomains)\n\(tail)")
        XCTAssertTrue(report.xlXenVersion?.hasPrefix("4.17.") == true, "xl info xen_version: \(report.xlXenVersion ?? "none")")
        XCTAssertTrue(report.kernel?.hasSuffix("-armmp-lpae") == true, "the armhf kernel: \(report.kernel ?? "none")")
        let j = (try? JSONSerialization.jsonObject(with: Data(boot.stdout.utf8))) as? [String: Any] ?? [:]
        if let seconds = j["seconds"] as? Double { print("\(board): QEMU start to Dom0 report in \(String(format: "%.1f", seconds)) s") }
    }

    /// The toolstack board plus a dom0less DomU with `enhanced = "enabled"`: Dom0's `init-dom0less` connects it to
    /// xenstore, so `xl list` shows it (id 1, its 128 MiB, the name init-dom0less gives it: `dom0less-1`; without
    /// init-dom0less the domain has no xenstore entries), and the DomU's own report arrives.
    func testInitDom0lessConnectsAnEnhancedDomU() throws {
        try requireFiles(["/usr/bin/qemu-system-aarch64", "/usr/bin/mkimage", "/usr/lib/u-boot/qemu_arm64/u-boot.bin"])
        try requireTool("depmod")
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("xb-toolstack-domu-\(UUID().uuidString)")
        let boards = work.appendingPathComponent("boards")
        try FileManager.default.createDirectory(at: boards, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        var text = try String(contentsOf: XenBoardCLI.repository.appendingPathComponent("boards/qemu-virt-arm64-toolstack.toml"), encoding: .utf8)
        text = text.replacingOccurrences(of: "\n[qemu]", with: "\n[[domu]]\nname = \"guest\"\nmemory = \"128M\"\nenhanced = \"enabled\"\n\n[qemu]")
        try text.write(to: boards.appendingPathComponent("toolstack-domu.toml"), atomically: true, encoding: .utf8)
        let env = ["XEN_BOARD_BOARDS": boards.path]
        let out = work.appendingPathComponent("out").path
        let build = try XenBoardCLI.run(["build", "toolstack-domu", "--out", out], in: work, environment: env)
        XCTAssertEqual(build.status, 0, "build: \(build.stderr)")
        guard build.status == 0 else { return }
        let boot = try XenBoardCLI.run(["boot", "toolstack-domu", "--out", out, "--timeout", "300", "--json"], in: work, environment: env)
        let console = (try? String(contentsOfFile: out + "/console.log", encoding: .utf8)) ?? ""
        let tail = console.split(whereSeparator: \.isNewline).suffix(60).joined(separator: "\n")
        XCTAssertEqual(boot.status, 0, "boot (Dom0's and the DomU's reports): \(boot.stderr)\n--- console tail ---\n\(tail)")
        let dom0 = BootReport.parse(console.split(whereSeparator: \.isNewline).filter { !$0.hasPrefix("(XEN) DOM1: ") }.joined(separator: "\n"))
        XCTAssertEqual(dom0?.xlDomains.map(\.id), [0, 1], "xl list: \(dom0?.xlDomains ?? [])\n\(tail)")
        XCTAssertEqual(dom0?.xlDomains.last, BootReport.XLDomain(name: "dom0less-1", id: 1, memoryMiB: 128))
        let j = (try? JSONSerialization.jsonObject(with: Data(boot.stdout.utf8))) as? [String: Any] ?? [:]
        if let seconds = j["seconds"] as? Double { print("toolstack + enhanced DomU: QEMU start to every report in \(String(format: "%.1f", seconds)) s") }
    }

    /// The toolstack board plus a `[[guest]]`: `build` puts its xl configuration, the DomU kernel and the report
    /// initramfs into Dom0's root filesystem, Dom0's init runs `xl create`, xenconsoled logs the guest's hvc0 and Dom0
    /// relays the log (`(xl NAME) ` lines): the guest's own report arrives, with the `extra` command line, and Dom0's
    /// `xl list` shows it with its memory.
    func testXLCreateStartsAGuest() throws {
        try requireFiles(["/usr/bin/qemu-system-aarch64", "/usr/bin/mkimage", "/usr/lib/u-boot/qemu_arm64/u-boot.bin"])
        try requireTool("depmod")
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("xb-toolstack-guest-\(UUID().uuidString)")
        let boards = work.appendingPathComponent("boards")
        try FileManager.default.createDirectory(at: boards, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        var text = try String(contentsOf: XenBoardCLI.repository.appendingPathComponent("boards/qemu-virt-arm64-toolstack.toml"), encoding: .utf8)
        text = text.replacingOccurrences(of: "\n[qemu]", with: "\n[[guest]]\nname = \"xl1\"\nmemory = \"96M\"\nextra = \"xen_board.guest=xl1\"\n\n[qemu]")
        try text.write(to: boards.appendingPathComponent("toolstack-guest.toml"), atomically: true, encoding: .utf8)
        let env = ["XEN_BOARD_BOARDS": boards.path]
        let out = work.appendingPathComponent("out").path
        let build = try XenBoardCLI.run(["build", "toolstack-guest", "--out", out], in: work, environment: env)
        XCTAssertEqual(build.status, 0, "build: \(build.stderr)")
        guard build.status == 0 else { return }
        let boot = try XenBoardCLI.run(["boot", "toolstack-guest", "--out", out, "--timeout", "600", "--json"], in: work, environment: env)
        let console = (try? String(contentsOfFile: out + "/console.log", encoding: .utf8)) ?? ""
        let tail = console.split(whereSeparator: \.isNewline).suffix(80).joined(separator: "\n")
        XCTAssertEqual(boot.status, 0, "boot (Dom0's and the guest's reports): \(boot.stderr)\n--- console tail ---\n\(tail)")
        let relayed = XLGuestConsole.split(console)["xl1"] ?? ""
        let guest = BootReport.parse(relayed)
        XCTAssertEqual(guest?.role, .domu, "the guest's own report, relayed from xenconsoled's log\n\(tail)")
        XCTAssertEqual(guest?.hypervisor, "xen")
        XCTAssertEqual(guest?.cpus, 1)
        XCTAssertTrue(relayed.contains("Kernel command line: console=hvc0 xen_board.guest=xl1"), "extra reaches the guest")
        let dom0 = BootReport.parse(console)
        XCTAssertEqual(dom0?.role, .dom0)
        XCTAssertEqual(dom0?.xlDomains.first { $0.name == "xl1" }?.memoryMiB, 96, "xl list: \(dom0?.xlDomains ?? [])\n\(tail)")
        let j = (try? JSONSerialization.jsonObject(with: Data(boot.stdout.utf8))) as? [String: Any] ?? [:]
        if let seconds = j["seconds"] as? Double { print("toolstack + [[guest]]: QEMU start to every report in \(String(format: "%.1f", seconds)) s") }
    }
}
