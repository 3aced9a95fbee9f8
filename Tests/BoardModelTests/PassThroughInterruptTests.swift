import BoardModel
import DeviceTree
import TestSupport
import XCTest
import XenArm

/// Interrupt controllers that pass GIC specifiers through (the i.MX GPC): resolved in the analysis, bypassed by the
/// host-tree edit `build` applies.
final class PassThroughInterruptTests: XCTestCase {
    /// The baseline board with a GPC in front of the GIC, as on i.MX7D: the root and a bus take the GPC as parent.
    func gpcBoard(compatible: String = "fsl,imx7d-gpc", gicAddressCells: String = "") -> Board {
        var b = Board()
        b.root = "compatible = \"vendor,board\"; #address-cells = <2>; #size-cells = <2>; interrupt-parent = <&gpc>;"
        b.gic = """
        gic: interrupt-controller@8000000 { compatible = "arm,gic-v3"; interrupt-controller; #interrupt-cells = <3>; \(gicAddressCells)
            reg = <0 0x8000000 0 0x10000>, <0 0x80a0000 0 0xf60000>; interrupts = <1 9 4>; interrupt-parent = <&gic>; };
        """
        b.timer = "timer { compatible = \"arm,armv8-timer\"; interrupt-parent = <&gic>; interrupts = <1 13 4>, <1 14 4>, <1 11 4>, <1 10 4>; };"
        b.extra = """
        gpc: gpc@303a0000 { compatible = "\(compatible)"; reg = <0 0x303a0000 0 0x10000>; interrupt-controller;
            #interrupt-cells = <3>; interrupts = <0 87 4>; interrupt-parent = <&gic>;
            pgc { #address-cells = <1>; #size-cells = <0>; dev@1 { reg = <1>; interrupts = <0 40 4>; }; };
        };
        soc { compatible = "simple-bus"; #address-cells = <1>; #size-cells = <1>; ranges = <0 0 0 0xffffffff>; interrupt-parent = <&gpc>;
            wdog@1000 { reg = <0x1000 0x100>; interrupts = <0 78 4>; };
            ext@2000 { reg = <0x2000 0x100>; interrupts-extended = <&gpc 0 50 4>, <&gic 1 7 4>; };
            pcie@3000 { reg = <0x3000 0x100>; #address-cells = <3>; #size-cells = <2>; #interrupt-cells = <1>;
                interrupt-map-mask = <0 0 0 7>; interrupt-map = <0 0 0 1 &gpc 0 123 4>, <0 0 0 2 &gic \(gicAddressCells.isEmpty ? "" : "0 0 ")0 122 4>; };
        };
        """
        return b
    }

    func tree(_ b: Board) throws -> DeviceTree {
        let dts = "/dts-v1/;\n/ {\n\(b.body)\n};\n"
        return try DTBDecoder.decode(runTool("dtc", ["-q", "-I", "dts", "-O", "dtb"], stdin: Array(dts.utf8)))
    }

    func testConsoleInterruptResolvedThroughTheGPC() throws {
        let r = try gpcBoard().model()
        XCTAssertEqual(r.console.interruptSPI, 1, "the console's SPI reaches the GIC through the GPC")
        XCTAssertFalse(r.hasWarning(.consoleIRQNotGICSpi), "\(r.findings)")
        XCTAssertTrue(r.hasWarning(.interruptsThroughPassThroughController), "\(r.findings)")
        XCTAssertTrue(r.warnings.contains { $0.message.contains("/gpc@303a0000 (fsl,imx7d-gpc)") && $0.message.contains("/soc") }, "\(r.warnings)")
    }

    /// A controller that is not in the catalog is not assumed to pass specifiers through.
    func testUnknownControllerIsNotAssumedToPassThrough() throws {
        let r = try gpcBoard(compatible: "vendor,remapping-irqc").model()
        XCTAssertNil(r.console.interruptSPI)
        XCTAssertTrue(r.hasWarning(.consoleIRQNotGICSpi), "\(r.findings)")
        XCTAssertFalse(r.hasWarning(.interruptsThroughPassThroughController))
    }

    func testBypassPointsEveryUserAtTheGIC() throws {
        let t = try tree(gpcBoard())
        let gpc = try XCTUnwrap(t.node(at: "/gpc@303a0000"))
        let gic = try XCTUnwrap(t.node(at: "/interrupt-controller@8000000"))
        let gpcBefore = gpc.properties
        let applied = try PassThroughBypass.apply(to: t)
        XCTAssertEqual(applied.count, 1)
        XCTAssertEqual(applied.first?.gic, "/interrupt-controller@8000000")
        XCTAssertEqual(Set(applied.first?.rewritten ?? []),
                       ["/", "/soc", "/soc/ext@2000", "/soc/pcie@3000", "/gpc@303a0000/pgc/dev@1"])
        XCTAssertEqual(applied.first?.untouched, [])
        XCTAssertEqual(gpc.properties, gpcBefore, "the GPC node stays as it was, for Dom0")
        // Without any pass-through resolution, every device's interrupts now go straight to the GIC.
        for path in ["/serial@9000000", "/soc/wdog@1000", "/soc/ext@2000", "/gpc@303a0000/pgc/dev@1", "/gpc@303a0000"] {
            let specs = try t.interrupts(of: XCTUnwrap(t.node(at: path)))
            XCTAssertFalse(specs.isEmpty, path)
            XCTAssertTrue(specs.allSatisfy { $0.controller === gic }, "\(path): \(specs.map(\.controller.path))")
        }
        let pcie = try XCTUnwrap(t.node(at: "/soc/pcie@3000"))
        XCTAssertEqual(pcie.property("interrupt-map")?.cells, [0, 0, 0, 1, gic.phandle ?? 0, 0, 123, 4, 0, 0, 0, 2, gic.phandle ?? 0, 0, 122, 4])
        XCTAssertEqual(PassThroughBypass.findings(t), [], "nothing routes through the GPC any more")
        XCTAssertEqual(try PassThroughBypass.apply(to: t), [], "applying twice changes nothing")
        XCTAssertNoThrow(try DTBEncoder.encode(t))
    }

    /// An interrupt-map entry cannot be re-pointed when the GIC takes parent unit-address cells the GPC does not.
    func testInterruptMapLeftAloneWhenAddressCellsDiffer() throws {
        let t = try tree(gpcBoard(gicAddressCells: "#address-cells = <2>;"))
        let applied = try PassThroughBypass.apply(to: t)
        XCTAssertEqual(applied.first?.untouched, ["/soc/pcie@3000"])
        XCTAssertFalse(applied.first?.rewritten.contains("/soc/pcie@3000") ?? true)
        let gpc = try XCTUnwrap(t.node(at: "/gpc@303a0000"))
        XCTAssertTrue(t.node(at: "/soc/pcie@3000")?.property("interrupt-map")?.cells?.contains(gpc.phandle ?? 0) ?? false)
    }
}
