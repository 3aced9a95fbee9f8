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
        let tail = console.split(separator: "\n").suffix(60).joined(separator: "\n")
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
}
