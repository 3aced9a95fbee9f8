import Foundation
import ImageComposer
import Infrastructure
import TestSupport
import XCTest

/// `[dom0] rootfs = "toolstack"` booted under QEMU: Dom0 runs Debian's xenstored and xenconsoled, and `xl list`
/// (through xenstored and privcmd) lists Domain-0 with its memory, `xl info` the hypervisor's version.
final class ToolstackBootTests: XCTestCase {
    static let arm64 = ["/usr/bin/qemu-system-aarch64", "/usr/bin/mkimage", "/usr/lib/u-boot/qemu_arm64/u-boot.bin"]

    func testQEMUVirtArm64ToolstackDom0() throws {
        try requireFiles(Self.arm64)
        try requireTool("depmod")
        let work = try BoardBoot.workFolder("xb-toolstack")
        defer { try? FileManager.default.removeItem(at: work) }
        let board = "qemu-virt-arm64-toolstack"
        guard let run = try BoardBoot.run(board, in: work, timeout: 300) else { return }
        let tail = run.tail()
        guard let report = BootReport.parse(run.console) else { return XCTFail("no Dom0 report\n--- console tail ---\n\(tail)") }
        XCTAssertEqual(report.xenstoredRunning, true, tail)
        XCTAssertEqual(report.xenconsoledRunning, true, tail)
        XCTAssertEqual(report.xlDomains.first, BootReport.XLDomain(name: "Domain-0", id: 0, memoryMiB: 512), "xl list: \(report.xlDomains)\n\(tail)")
        XCTAssertTrue(report.xlXenVersion?.hasPrefix("4.17.") == true, "xl info xen_version: \(report.xlXenVersion ?? "none")")
        XCTAssertEqual(report.xlXenVersion, report.xenVersion, "xl and sysfs agree on the version")
        run.printTime(board)
    }

    /// The arm32 variant (`boards/qemu-virt-arm32-toolstack.toml`): Debian 12's armhf xen-utils-4.17 and the
    /// armmp-lpae kernel's modules; `xl list` shows Domain-0 with its 384 MiB and `xl info` the hypervisor's version.
    func testQEMUVirtArm32ToolstackDom0() throws {
        try requireFiles(["/usr/bin/qemu-system-arm", "/usr/bin/mkimage", "/usr/lib/u-boot/qemu_arm/u-boot.bin"])
        try requireTool("depmod")
        let work = try BoardBoot.workFolder("xb-toolstack32")
        defer { try? FileManager.default.removeItem(at: work) }
        let board = "qemu-virt-arm32-toolstack"
        guard let run = try BoardBoot.run(board, in: work, timeout: 400) else { return }
        let tail = run.tail()
        guard let report = BootReport.parse(run.console) else { return XCTFail("no Dom0 report\n--- console tail ---\n\(tail)") }
        XCTAssertEqual(report.xenstoredRunning, true, tail)
        XCTAssertEqual(report.xenconsoledRunning, true, tail)
        XCTAssertEqual(report.xlDomains.first, BootReport.XLDomain(name: "Domain-0", id: 0, memoryMiB: 384), "xl list: \(report.xlDomains)\n\(tail)")
        XCTAssertTrue(report.xlXenVersion?.hasPrefix("4.17.") == true, "xl info xen_version: \(report.xlXenVersion ?? "none")")
        XCTAssertTrue(report.kernel?.hasSuffix("-armmp-lpae") == true, "the armhf kernel: \(report.kernel ?? "none")")
        run.printTime(board)
    }

    /// The toolstack board plus a dom0less DomU with `enhanced = "enabled"`: Dom0's `init-dom0less` connects it to
    /// xenstore, so `xl list` shows it (id 1, its 128 MiB, the name init-dom0less gives it: `dom0less-1`; without
    /// init-dom0less the domain has no xenstore entries), and the DomU's own report arrives.
    func testInitDom0lessConnectsAnEnhancedDomU() throws {
        try requireFiles(Self.arm64)
        try requireTool("depmod")
        let work = try BoardBoot.workFolder("xb-toolstack-domu")
        defer { try? FileManager.default.removeItem(at: work) }
        let text = try BoardBoot.board("qemu-virt-arm64-toolstack", adding: "[[domu]]\nname = \"guest\"\nmemory = \"128M\"\nenhanced = \"enabled\"\n")
        guard let run = try BoardBoot.run("toolstack-domu", text: text, in: work, timeout: 300) else { return }
        let tail = run.tail()
        // Xen 4.17 prints the DomU's console as "(XEN) DOM1: " lines: leave them out to read Dom0's report alone.
        let dom0 = BootReport.parse(run.console.split(whereSeparator: \.isNewline).filter { !$0.hasPrefix("(XEN) DOM1: ") }.joined(separator: "\n"))
        XCTAssertEqual(dom0?.xlDomains.map(\.id), [0, 1], "xl list: \(dom0?.xlDomains ?? [])\n\(tail)")
        XCTAssertEqual(dom0?.xlDomains.last, BootReport.XLDomain(name: "dom0less-1", id: 1, memoryMiB: 128))
        run.printTime("toolstack + enhanced DomU")
    }

    /// The toolstack board plus a `[[guest]]`: `build` puts its xl configuration, the DomU kernel and the report
    /// initramfs into Dom0's root filesystem, Dom0's init runs `xl create`, xenconsoled logs the guest's hvc0 and Dom0
    /// relays the log (`(xl NAME) ` lines): the guest's own report arrives, with the `extra` command line, and Dom0's
    /// `xl list` shows it with its memory.
    func testXLCreateStartsAGuest() throws {
        try requireFiles(Self.arm64)
        try requireTool("depmod")
        let work = try BoardBoot.workFolder("xb-toolstack-guest")
        defer { try? FileManager.default.removeItem(at: work) }
        let text = try BoardBoot.board("qemu-virt-arm64-toolstack",
                                       adding: "[[guest]]\nname = \"xl1\"\nmemory = \"96M\"\nextra = \"xen_board.guest=xl1\"\n")
        guard let run = try BoardBoot.run("toolstack-guest", text: text, in: work, timeout: 600) else { return }
        let tail = run.tail(80)
        let relayed = XLGuestConsole.split(run.console)["xl1"] ?? ""
        let guest = BootReport.parse(relayed)
        XCTAssertEqual(guest?.role, .domu, "the guest's own report, relayed from xenconsoled's log\n\(tail)")
        XCTAssertEqual(guest?.hypervisor, "xen")
        XCTAssertEqual(guest?.cpus, 1)
        XCTAssertTrue(relayed.contains("Kernel command line: console=hvc0 xen_board.guest=xl1"), "extra reaches the guest")
        let dom0 = BootReport.parse(run.console)
        XCTAssertEqual(dom0?.role, .dom0)
        XCTAssertEqual(dom0?.xlDomains.first { $0.name == "xl1" }?.memoryMiB, 96, "xl list: \(dom0?.xlDomains ?? [])\n\(tail)")
        run.printTime("toolstack + [[guest]]")
    }
}
