import BoardModel
import XCTest

/// SoC mechanisms recognised in the tree are part of the board model: `inspect` reports the AST2600 boot pen and
/// watchdog reset as what the generated platform does, not as blockers.
final class MechanismTests: XCTestCase {
    func ast2600(enableMethod: Bool = true) -> String {
        """
        #address-cells = <1>; #size-cells = <1>; compatible = "aspeed,ast2600-evb", "aspeed,ast2600"; interrupt-parent = <&gic>;
        aliases { serial4 = &uart5; };
        cpus { #address-cells = <1>; #size-cells = <0>; \(enableMethod ? "enable-method = \"aspeed,ast2600-smp\";" : "")
               cpu@f00 { device_type = "cpu"; compatible = "arm,cortex-a7"; reg = <0xf00>; };
               cpu@f01 { device_type = "cpu"; compatible = "arm,cortex-a7"; reg = <0xf01>; }; };
        gic: interrupt-controller@40461000 { compatible = "arm,cortex-a7-gic"; interrupt-controller; #interrupt-cells = <3>;
          reg = <0x40461000 0x1000>, <0x40462000 0x1000>, <0x40464000 0x2000>, <0x40466000 0x2000>; };
        memory@80000000 { device_type = "memory"; reg = <0x80000000 0x40000000>; };
        apb { compatible = "simple-bus"; #address-cells = <1>; #size-cells = <1>; ranges;
          syscon@1e6e2000 { compatible = "aspeed,ast2600-scu", "syscon", "simple-mfd"; reg = <0x1e6e2000 0x1000>;
            ranges = <0 0x1e6e2000 0x1000>; #address-cells = <1>; #size-cells = <1>;
            smp-memram@180 { compatible = "aspeed,ast2600-smpmem"; reg = <0x180 0x40>; }; };
          uart5: serial@1e784000 { compatible = "ns16550a"; reg = <0x1e784000 0x1000>; reg-shift = <2>; interrupts = <0 8 4>; };
          watchdog@1e785000 { compatible = "aspeed,ast2600-wdt"; reg = <0x1e785000 0x40>; };
        };
        """
    }

    func testAST2600BootPenAndWatchdogAreReportedTyped() throws {
        let m = try model(ast2600(), arch: .arm32)
        XCTAssertEqual(m.cpus.first?.method, .bootCPU)
        guard case .generated(.bootPen(let entry, let signal, _, _))? = m.cpus.last?.method else {
            return XCTFail("the secondary CPU is started by the generated boot pen: \(m.cpus.map(\.method))")
        }
        XCTAssertEqual([entry, signal], [0x1e6e_2180, 0x1e6e_2184])
        XCTAssertFalse(m.hasBlocker(.cpuNoBringup))
        XCTAssertTrue(m.findings.contains { $0.code == .cpuGeneratedBringup })
        XCTAssertEqual(m.mechanisms.smp?.nodePath, "/apb/syscon@1e6e2000/smp-memram@180")
        XCTAssertTrue(m.mechanisms.smp?.source.contains("platsmp.c") == true)
        XCTAssertEqual(m.mechanisms.reset?.name, "AST2600 watchdog 1")
        XCTAssertEqual(m.mechanisms.reset?.value.first?.address, 0x1e78_500c)
        XCTAssertEqual(m.mechanisms.powerOff?.writes.isEmpty, true, "the AST2600 has no power-off mechanism")
        XCTAssertTrue(m.platformFile.needed, "the generated cpu_up is a platform file")
        XCTAssertTrue(m.platformFile.reasons.contains { if case .generatedSecondaryStart(1, _) = $0 { return true } else { return false } },
                      "\(m.platformFile.reasons)")
        XCTAssertTrue(m.platformFile.reasons.contains { if case .generatedReset = $0 { return true } else { return false } },
                      "\(m.platformFile.reasons)")
        // The report's encoding names the mechanism.
        let text = BoardReport(m).text
        XCTAssertTrue(text.contains("generated boot pen: AST2600 boot-ROM pen"), text)
    }

    func testWithoutTheEnableMethodThePenIsNotAssumed() throws {
        let m = try model(ast2600(enableMethod: false), arch: .arm32)
        guard case .none? = m.cpus.last?.method else { return XCTFail("\(m.cpus.map(\.method))") }
        XCTAssertTrue(m.hasBlocker(.cpuNoBringup))
        XCTAssertNil(m.mechanisms.smp)
        XCTAssertNotNil(m.mechanisms.reset, "the watchdog is recognised on its own")
    }
}
