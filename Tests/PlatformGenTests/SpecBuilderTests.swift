import BoardFile
import BoardModel
import DeviceTree
import Foundation
import PlatformGen
import TestSupport
import XCTest

final class SpecBuilderTests: XCTestCase {
    func tree(_ dts: String) throws -> DeviceTree { try decodeDTS(dts) }

    func board(_ platform: String = "", arch: String = "arm32") throws -> Board {
        try BoardFileParser.parse("description = \"t\"\narch = \"\(arch)\"\nstatus = \"build-only\"\n[dtb]\npath = \"x.dtb\"\n" + platform,
                                  name: "t", file: "/b/t.toml", directory: "/b")
    }

    let arm32NoPSCI = """
    /dts-v1/; / { #address-cells = <1>; #size-cells = <1>; compatible = "vendor,board"; interrupt-parent = <&gic>;
      chosen { stdout-path = "/uart@1000"; };
      cpus { #address-cells = <1>; #size-cells = <0>; cpu@0 { device_type = "cpu"; compatible = "arm,cortex-a15"; reg = <0>; };
             cpu@1 { device_type = "cpu"; compatible = "arm,cortex-a15"; reg = <1>; }; };
      gic: interrupt-controller@2c001000 { compatible = "arm,cortex-a15-gic"; interrupt-controller; #interrupt-cells = <3>;
        reg = <0x2c001000 0x1000>, <0x2c002000 0x2000>, <0x2c004000 0x2000>, <0x2c006000 0x2000>; interrupts = <1 9 0xf04>; };
      uart@1000 { compatible = "arm,pl011"; reg = <0x1000 0x1000>; interrupts = <0 5 4>; };
      %@
    };
    """

    func spec(_ extraDTS: String, _ platform: String = "", arch: String = "arm32") throws -> PlatformSpec {
        let t = try tree(arm32NoPSCI.replacingOccurrences(of: "%@", with: extraDTS))
        let b = try board(platform, arch: arch)
        return try PlatformSpecBuilder.spec(board: b, tree: t, model: BoardModel(tree: t, arch: b.arch))
    }

    func testRecognisedVexpressSysregAndSP810() throws {
        let s = try spec("sysreg@1c010000 { compatible = \"arm,vexpress-sysreg\"; reg = <0x1c010000 0x1000>; }; sysctl@1c020000 { compatible = \"arm,sp810\", \"arm,primecell\"; reg = <0x1c020000 0x1000>; };")
        XCTAssertEqual(s.smp, .mailbox(set: 0x1c01_0030, clear: 0x1c01_0034, wake: .sgi))
        XCTAssertEqual(s.reset, [.init(address: 0x1c02_0000, value: 3), .init(address: 0x1c02_0004, value: 1)])
        XCTAssertEqual(s.uartKconfig, "HAS_PL011")
        XCTAssertEqual(s.nrCPUs, 2)
        XCTAssertTrue(s.needsPlatformFile)
    }

    func testMissingBringUpInformationNamesTheKey() throws {
        XCTAssertThrowsError(try spec("")) { e in
            XCTAssertTrue("\(e)".contains("add smp = \"mailbox\" with smp-mailbox = ADDRESS") && "\(e)".contains("/b/t.toml"), "\(e)")
        }
        XCTAssertThrowsError(try spec("", "[platform]\nsmp = \"mailbox\"\n")) { e in
            XCTAssertTrue("\(e)".contains("/b/t.toml:7") && "\(e)".contains("needs smp-mailbox"), "\(e)")
        }
        XCTAssertThrowsError(try spec("", "[platform]\nsmp = \"mailbox\"\nsmp-mailbox = 0x1000\nreset = [\"0x10\"]\n")) { e in
            XCTAssertTrue("\(e)".contains("must be ADDR=VALUE"), "\(e)")
        }
        let s = try spec("", "[platform]\nsmp = \"mailbox\"\nsmp-mailbox = 0xe63c0ffc\nsmp-wake = \"sev\"\ndma-bitsize = 32\n")
        XCTAssertEqual(s.smp, .mailbox(set: 0xe63c_0ffc, clear: nil, wake: .sev))
        XCTAssertEqual(s.dmaBitsize, 32)
    }

    func testPSCIBoardsNeedNoPlatformFile() throws {
        let s = try spec("psci { compatible = \"arm,psci-1.0\", \"arm,psci-0.2\"; method = \"smc\"; };")
        XCTAssertEqual(s.smp, .none)
        XCTAssertFalse(s.needsPlatformFile)
    }
}
