import BoardBuild
import BoardModel
import DeviceTree
import Foundation
import Passthrough
import TestSupport
import XCTest

extension Passthrough {
    /// `extract` with the host facts taken from the host's board model, as `build` hands them over.
    static func extract(host: DeviceTree, devices: [String], guestAddress: GuestAddressPolicy = .auto,
                        allowShared: Bool = false) throws -> PassthroughResult {
        try extract(host: host, facts: HostFacts(BoardModel(tree: host)), devices: devices, guestAddress: guestAddress,
                    allowShared: allowShared)
    }
}

/// A DTB from the Debian kernel corpus (`xen-board fetch --corpus`; TestInputs.corpusFile).
func corpusTree(_ name: String) throws -> DeviceTree {
    let path = try TestInputs.corpusFile(name)
    return try DTBDecoder.decode([UInt8](Data(contentsOf: URL(fileURLWithPath: path))))
}

/// QEMU virt arm64's DTB (GICv3, virtualization=on), dumped once per test run.
func qemuVirtTree() throws -> DeviceTree {
    let path = NSTemporaryDirectory() + "xb-pt-virt-\(getpid()).dtb"
    if !FileManager.default.fileExists(atPath: path) {
        let bios = "/usr/lib/u-boot/qemu_arm64/u-boot.bin"
        guard FileManager.default.fileExists(atPath: bios) else { try missing(bios) }
        do {
            _ = try runTool("qemu-system-aarch64", ["-machine", "virt,gic-version=3,virtualization=on,dumpdtb=\(path)",
                                                    "-cpu", "cortex-a57", "-smp", "2", "-m", "2048", "-nographic", "-nic", "none",
                                                    "-bios", bios])
        } catch { try missing("qemu-system-aarch64 (\(error))") }
    }
    return try DTBDecoder.decode([UInt8](Data(contentsOf: URL(fileURLWithPath: path))))
}

/// Compiles a DTS body (inside `/ { ... };`) with dtc.
func fixture(_ body: String) throws -> DeviceTree {
    let dts = "/dts-v1/;\n/ {\n\(body)\n};\n"
    return try DTBDecoder.decode(runTool("dtc", ["-q", "-I", "dts", "-O", "dtb"], stdin: Array(dts.utf8)))
}

/// A small arm64 board: GICv3, PL011 console (SPI 1), and devices added by the test.
func board(_ extra: String, console: String = "/serial@9000000") -> String {
    """
    compatible = "vendor,board"; #address-cells = <2>; #size-cells = <2>; interrupt-parent = <&gic>;
    chosen { stdout-path = "\(console)"; };
    aliases { serial0 = "/serial@9000000"; };
    cpus { #address-cells = <1>; #size-cells = <0>;
        cpu@0 { device_type = "cpu"; compatible = "arm,cortex-a57"; reg = <0>; enable-method = "psci"; }; };
    psci { compatible = "arm,psci-1.0"; method = "smc"; };
    gic: interrupt-controller@8000000 { compatible = "arm,gic-v3"; interrupt-controller; #interrupt-cells = <3>;
        reg = <0 0x8000000 0 0x10000>, <0 0x80a0000 0 0xf60000>; interrupts = <1 9 4>; };
    timer { compatible = "arm,armv8-timer"; interrupts = <1 13 4>, <1 14 4>, <1 11 4>, <1 10 4>; };
    memory@40000000 { device_type = "memory"; reg = <0 0x40000000 0 0x80000000>; };
    clk: apb-pclk { compatible = "fixed-clock"; #clock-cells = <0>; clock-frequency = <24000000>; };
    serial@9000000 { compatible = "arm,pl011", "arm,primecell"; reg = <0 0x9000000 0 0x1000>; interrupts = <0 1 4>;
        clocks = <&clk>, <&clk>; clock-names = "uartclk", "apb_pclk"; };
    \(extra)
    """
}

/// Checks a result the way every test wants: validator clean (with the host), dtc round trip, and returns the DTS.
@discardableResult
func checkResult(_ r: PassthroughResult, host: DeviceTree, file: StaticString = #filePath, line: UInt = #line) throws -> String {
    XCTAssertEqual(PartialValidator.validate(blob: r.partialBlob, host: host), [], file: file, line: line)
    XCTAssertEqual(PartialValidator.validate(r.partial, host: r.host), [], file: file, line: line)
    // dtc: blob -> DTS -> blob gives the same tree.
    let dts = try runTool("dtc", ["-q", "-I", "dtb", "-O", "dts"], stdin: r.partialBlob)
    let back = try runTool("dtc", ["-q", "-I", "dts", "-O", "dtb"], stdin: dts)
    XCTAssertEqual(back, try DTBEncoder.encode(DTBDecoder.decode(r.partialBlob)), "dtc round trip", file: file, line: line)
    XCTAssertLessThanOrEqual(r.partialBlob.count, Passthrough.guestDTBudget, file: file, line: line)
    // Host output: each passed node marked.
    for d in r.devices {
        XCTAssertEqual(r.host.node(at: d.hostPath)?.property("xen,passthrough")?.isEmpty, true, file: file, line: line)
    }
    return DTSPrinter.dts(r.partial)
}

/// Compares against Tests/PassthroughTests/Golden/NAME exactly; `UPDATE_GOLDEN=1` rewrites it.
func assertGolden(_ text: String, _ name: String, file: StaticString = #filePath, line: UInt = #line) throws {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/\(name)")
    if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] != nil {
        try Data(text.utf8).write(to: url)
        return
    }
    guard let data = FileManager.default.contents(atPath: url.path) else {
        XCTFail("missing golden \(url.path) (run with UPDATE_GOLDEN=1)", file: file, line: line)
        return
    }
    XCTAssertEqual(text, String(decoding: data, as: UTF8.self), "differs from Golden/\(name)", file: file, line: line)
}
