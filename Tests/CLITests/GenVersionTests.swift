import Foundation
import Infrastructure
import TestSupport
import XCTest

/// `gen --xen-version`: the port is written for that version's tree (the generated driver's DT address call and
/// interrupt API, the README's version), and the board file's version (4.17) applies without the option.
final class GenVersionTests: XCTestCase {
    var work: URL!
    var binary: URL { Bundle.main.bundleURL.appendingPathComponent("xen-board") }
    var repo: URL { URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent() }

    override func setUpWithError() throws {
        work = FileManager.default.temporaryDirectory.appendingPathComponent("xb-gen-version-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        let dts = """
        /dts-v1/;
        / {
            #address-cells = <2>; #size-cells = <2>; compatible = "linux,dummy-virt"; interrupt-parent = <&gic>;
            chosen { stdout-path = "/pl011@9000000"; };
            cpus { #address-cells = <1>; #size-cells = <0>;
                cpu@0 { device_type = "cpu"; compatible = "arm,cortex-a57"; reg = <0>; enable-method = "psci"; }; };
            psci { compatible = "arm,psci-1.0"; method = "hvc"; };
            memory@40000000 { device_type = "memory"; reg = <0 0x40000000 0 0x40000000>; };
            gic: intc@8000000 { compatible = "arm,gic-v3"; #interrupt-cells = <3>; interrupt-controller;
                reg = <0 0x8000000 0 0x10000>, <0 0x80a0000 0 0xf60000>; interrupts = <1 9 4>; };
            timer { compatible = "arm,armv8-timer"; interrupts = <1 13 4>, <1 14 4>, <1 11 4>, <1 10 4>; };
            pl011@9000000 { compatible = "arm,pl011", "arm,primecell"; reg = <0 0x9000000 0 0x1000>; interrupts = <0 1 4>; };
        };
        """
        let r = try ProcessRunner.run("dtc", ["-q", "-I", "dts", "-O", "dtb", "-o", work.appendingPathComponent("virt.dtb").path],
                                      stdin: Array(dts.utf8), timeout: 60)
        XCTAssertEqual(r.status, 0, r.stderr)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: work) }

    func gen(_ extra: [String], into name: String) throws -> URL {
        let out = work.appendingPathComponent(name)
        let r = try ProcessRunner.run(binary.path, ["gen", repo.appendingPathComponent("boards/qemu-virt-arm64-gen-pl011.toml").path,
                                                    "--dtb", work.appendingPathComponent("virt.dtb").path, "--out", out.path] + extra, timeout: 600)
        // xen-board.patch diffs the edited Kconfig/Makefile against the version's Debian source (PortPatch).
        if r.status != 0, r.stderr.contains("apt-get source --download-only xen=") { try missing("Debian's xen source for \(extra): \(r.stderr.suffix(300))") }
        XCTAssertEqual(r.status, 0, r.stderr)
        return out
    }

    func testGeneratedDriverFollowsTheVersion() throws {
        let old = try gen([], into: "old"), new = try gen(["--xen-version", "4.20"], into: "new")
        func text(_ dir: URL, _ path: String) throws -> String { try String(contentsOf: dir.appendingPathComponent(path), encoding: .utf8) }
        let driver = "xen/drivers/char/xb-pl011.c"
        XCTAssertTrue(try text(old, driver).contains("dt_device_get_address(dev, 0, &addr, &size)"))
        XCTAssertTrue(try text(old, driver).contains("struct cpu_user_regs *regs"))
        XCTAssertTrue(try text(new, driver).contains("dt_device_get_paddr(dev, 0, &addr, &size)"))
        XCTAssertFalse(try text(new, driver).contains("cpu_user_regs"), "4.20's IRQ handlers take no regs")
        XCTAssertTrue(try text(old, "README.md").contains("# Xen 4.17 port of board"))
        XCTAssertTrue(try text(new, "README.md").contains("# Xen 4.20 port of board"))
    }
}
