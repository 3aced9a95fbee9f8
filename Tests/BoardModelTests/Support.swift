import BoardModel
import XenArm
import DeviceTree
import Foundation
import TestSupport
import XCTest


/// Compiles a DTS body (the part inside `/ { ... };`) with the real dtc and models it (typed values, for the logic).
func model(_ body: String, arch: Architecture? = nil, memreserve: String = "") throws -> BoardModel {
    let dts = "/dts-v1/;\n\(memreserve)\n/ {\n\(body)\n};\n"
    let tree = try DTBDecoder.decode(runTool("dtc", ["-q", "-I", "dts", "-O", "dtb"], stdin: Array(dts.utf8)))
    return BoardModel(tree: tree, file: "fixture.dtb", arch: arch)
}

/// The same, encoded as `inspect` reports it (for tests of the encoding).
func report(_ body: String, arch: Architecture? = nil, memreserve: String = "") throws -> BoardReport {
    BoardReport(try model(body, arch: arch, memreserve: memreserve))
}

/// A minimal arm64 board Xen accepts: PL011 console, PSCI CPUs, GICv3, timer, memory. Parts can be replaced.
struct Board {
    var root = "compatible = \"vendor,board\"; #address-cells = <2>; #size-cells = <2>; interrupt-parent = <&gic>;"
    var chosen = "stdout-path = \"serial0:115200n8\";"
    var aliases = "serial0 = &uart0;"
    var uart = """
    uart0: serial@9000000 { compatible = "arm,pl011", "arm,primecell"; reg = <0 0x9000000 0 0x1000>; interrupts = <0 1 4>; };
    """
    var cpus = """
    cpus { #address-cells = <1>; #size-cells = <0>;
        cpu@0 { device_type = "cpu"; compatible = "arm,cortex-a57"; reg = <0>; enable-method = "psci"; };
        cpu@1 { device_type = "cpu"; compatible = "arm,cortex-a57"; reg = <1>; enable-method = "psci"; };
    };
    """
    var psci = "psci { compatible = \"arm,psci-1.0\", \"arm,psci-0.2\"; method = \"smc\"; };"
    var gic = """
    gic: interrupt-controller@8000000 { compatible = "arm,gic-v3"; interrupt-controller; #interrupt-cells = <3>;
        reg = <0 0x8000000 0 0x10000>, <0 0x80a0000 0 0xf60000>; interrupts = <1 9 4>; };
    """
    var timer = "timer { compatible = \"arm,armv8-timer\"; interrupts = <1 13 4>, <1 14 4>, <1 11 4>, <1 10 4>; };"
    var memory = "memory@40000000 { device_type = \"memory\"; reg = <0 0x40000000 0 0x80000000>; };"
    var extra = ""

    var body: String {
        "\(root)\nchosen { \(chosen) };\naliases { \(aliases) };\n\(uart)\n\(cpus)\n\(psci)\n\(gic)\n\(timer)\n\(memory)\n\(extra)"
    }

    func report(arch: Architecture? = nil, memreserve: String = "") throws -> BoardReport {
        try BoardModelTests.report(body, arch: arch, memreserve: memreserve)
    }

    func model(arch: Architecture? = nil, memreserve: String = "") throws -> BoardModel {
        try BoardModelTests.model(body, arch: arch, memreserve: memreserve)
    }
}

extension BoardModel {
    func hasBlocker(_ code: FindingCode) -> Bool { findings.contains { $0.severity == .blocker && $0.code == code } }
    func hasWarning(_ code: FindingCode) -> Bool { findings.contains { $0.severity == .warning && $0.code == code } }
}

extension BoardReport {
    func hasBlocker(_ code: FindingCode) -> Bool { findings.contains { $0.severity == .blocker && $0.code == code } }
    func hasWarning(_ code: FindingCode) -> Bool { findings.contains { $0.severity == .warning && $0.code == code } }
    var codes: [FindingCode] { findings.map(\.code) }
}
