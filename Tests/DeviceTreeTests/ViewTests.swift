import DeviceTree
import XenArm
import XCTest

final class PathAliasPhandleTests: XCTestCase {
    let dts = """
    /dts-v1/;
    / {
        #address-cells = <1>; #size-cells = <1>;
        aliases { serial0 = "/soc/serial@1000"; eth = &eth; broken = "/nowhere"; };
        chosen { stdout-path = "serial0:115200n8"; };
        memory@80000000 { device_type = "memory"; reg = <0x80000000 0x10000000>; };
        soc {
            #address-cells = <1>; #size-cells = <1>; ranges;
            uart: serial@1000 { compatible = "arm,pl011", "arm,primecell"; reg = <0x1000 0x100>; };
            serial@2000 { compatible = "arm,pl011"; reg = <0x2000 0x100>; status = "disabled"; };
            eth: ethernet@3000 { reg = <0x3000 0x100>; status = "okay"; phy = <&uart>; child { }; };
        };
    };
    """

    func testPathLookup() throws {
        let t = try tree(dts)
        XCTAssertEqual(t.node(at: "/")?.isRoot, true)
        XCTAssertEqual(t.node(at: "/soc/serial@1000")?.path, "/soc/serial@1000")
        XCTAssertEqual(t.node(at: "/memory")?.name, "memory@80000000", "component without unit address")
        XCTAssertEqual(t.node(at: "/soc/serial")?.path, "/soc/serial@1000", "first match without unit address")
        XCTAssertNil(t.node(at: "/soc/serial@9999"))
        XCTAssertNil(t.node(at: "/nope"))
        XCTAssertEqual(t.node(at: "/soc/ethernet@3000/child")?.depth, 3)
    }

    func testAliases() throws {
        let t = try tree(dts)
        XCTAssertEqual(t.aliasTarget("serial0"), "/soc/serial@1000")
        XCTAssertEqual(t.resolveAlias("serial0")?.path, "/soc/serial@1000")
        XCTAssertEqual(t.resolveAlias("eth")?.path, "/soc/ethernet@3000", "dtc writes &label aliases as paths")
        XCTAssertNil(t.resolveAlias("broken"))
        XCTAssertNil(t.resolveAlias("missing"))
        XCTAssertEqual(t.node(at: "serial0")?.path, "/soc/serial@1000")
        XCTAssertEqual(t.node(at: "eth/child")?.path, "/soc/ethernet@3000/child")
        XCTAssertEqual(t.aliases(of: t.node(at: "/soc/serial@1000")!), ["serial0"])
        XCTAssertEqual(t.aliases.map(\.name), ["serial0", "eth", "broken"])
    }

    func testPhandlesAndLabels() throws {
        let t = try tree(dts, symbols: true)
        let uart = try XCTUnwrap(t.node(at: "/soc/serial@1000"))
        let ph = try XCTUnwrap(uart.phandle)
        XCTAssertTrue(t.node(phandle: ph) === uart)
        XCTAssertTrue(t.phandleTable()[ph] === uart)
        XCTAssertEqual(t.node(at: "/soc/ethernet@3000")?.property("phy")?.u32, ph)
        XCTAssertTrue(t.node(label: "uart") === uart)
        XCTAssertEqual(t.labels(of: uart), ["uart"])
        XCTAssertTrue(t.duplicatePhandles().isEmpty)
        // A new phandle is max+1 and sticks.
        let serial2 = try XCTUnwrap(t.node(at: "/soc/serial@2000"))
        let newPh = try t.ensurePhandle(serial2)
        XCTAssertEqual(newPh, t.maxPhandle)
        XCTAssertGreaterThan(newPh, ph)
        XCTAssertEqual(try t.ensurePhandle(serial2), newPh)
        let reloaded = try DTBDecoder.decode(DTBEncoder.encode(t))
        XCTAssertEqual(reloaded.node(phandle: newPh)?.path, "/soc/serial@2000")
    }

    /// The phandle and label indexes are built once but follow edits made through any API.
    func testIndexesFollowEdits() throws {
        let t = try tree(dts, symbols: true)
        let uart = try XCTUnwrap(t.node(at: "/soc/serial@1000"))
        let ph = try XCTUnwrap(uart.phandle)
        XCTAssertTrue(t.node(phandle: ph) === uart)
        uart.setProperty("phandle", .u32([0x777]))
        XCTAssertNil(t.node(phandle: ph), "a stale hit is not returned")
        XCTAssertTrue(t.node(phandle: 0x777) === uart, "a miss rebuilds the index")
        uart.removeFromParent()
        XCTAssertNil(t.node(phandle: 0x777), "a detached node is not found")
        let copy = t.deepCopy()
        XCTAssertTrue(t.node(label: "uart") == nil || t.node(label: "uart") !== copy.node(label: "uart"))
        copy.root.child(named: "__symbols__")?.setProperty("extra", .string("/soc"))
        XCTAssertEqual(copy.node(label: "extra")?.path, "/soc", "label index rebuilt after /__symbols__ changed")
        XCTAssertNil(t.node(label: "extra"), "the copy is independent")
    }

    func testCompatibleAndStatus() throws {
        let t = try tree(dts)
        XCTAssertEqual(t.nodes(compatibleWith: "arm,pl011").map(\.path), ["/soc/serial@1000", "/soc/serial@2000"])
        XCTAssertEqual(t.node(at: "/soc/serial@1000")?.compatibles, ["arm,pl011", "arm,primecell"])
        XCTAssertEqual(t.node(at: "/soc/serial@1000")?.isEnabled, true, "no status means enabled")
        XCTAssertEqual(t.node(at: "/soc/serial@2000")?.isEnabled, false)
        XCTAssertEqual(t.node(at: "/soc/ethernet@3000")?.isEnabled, true)
        XCTAssertEqual(t.node(at: "/soc/serial@2000")?.status, "disabled")
    }
}

final class AddressTests: XCTestCase {
    func testCellsInheritanceAndDefaults() throws {
        let t = try tree("""
        /dts-v1/;
        / {
            bus { #address-cells = <1>; #size-cells = <0>; inner { dev { }; }; };
            plain { };
        };
        """)
        XCTAssertEqual(t.root.childAddressCells, 2, "spec default")
        XCTAssertEqual(t.root.childSizeCells, 1, "spec default")
        let inner = try XCTUnwrap(t.node(at: "/bus/inner"))
        XCTAssertEqual(inner.childAddressCells, 1, "inherited from /bus like Linux and Xen")
        XCTAssertEqual(inner.childSizeCells, 0)
        XCTAssertTrue(try XCTUnwrap(t.node(at: "/bus/inner/dev")).regCells == (1, 0))
    }

    func testRegDecoding() throws {
        let t = try tree("""
        /dts-v1/;
        / {
            #address-cells = <2>; #size-cells = <2>;
            memory@40000000 { reg = <0x0 0x40000000 0x0 0x80000000  0x8 0x80000000 0x1 0x0>; };
            cpus { #address-cells = <1>; #size-cells = <0>; cpu@101 { reg = <0x101>; }; };
            bad { reg = <0x1 0x2 0x3>; };
        };
        """)
        let mem = try XCTUnwrap(t.node(at: "/memory"))
        XCTAssertEqual(try t.physicalRegions(of: mem),
                       [PhysicalRegion(address: 0x4000_0000, size: 0x8000_0000), PhysicalRegion(address: 0x8_8000_0000, size: 0x1_0000_0000)])
        let cpu = try XCTUnwrap(t.node(at: "/cpus/cpu@101"))
        XCTAssertEqual(try cpu.reg(), [RegEntry(address: CellNumber([0x101]), size: CellNumber([]))])
        XCTAssertThrowsError(try XCTUnwrap(t.node(at: "/bad")).reg()) { e in
            let err = e as? DeviceTreeError
            XCTAssertEqual(err?.path, "/bad")
            XCTAssertEqual(err?.property, "reg")
            XCTAssertTrue(err?.detail.contains("not a multiple of 4 cells") ?? false, "\(e)")
        }
    }

    func testRangesTranslationMultiLevel() throws {
        // Like vexpress: /smb (2 -> 2 cells) maps chip-select space, /smb/motherboard-bus maps again.
        let t = try tree("""
        /dts-v1/;
        / {
            #address-cells = <2>; #size-cells = <2>;
            smb@8000000 {
                #address-cells = <2>; #size-cells = <1>;
                ranges = <0 0 0 0x08000000 0x04000000   3 0 0 0x1c000000 0x04000000>;
                mb {
                    #address-cells = <2>; #size-cells = <1>;
                    ranges = <3 0 3 0 0x200000>;
                    iofpga@3,0 {
                        #address-cells = <1>; #size-cells = <1>;
                        ranges = <0 3 0 0x200000>;
                        uart@90000 { reg = <0x090000 0x1000>; };
                        outside@300000 { reg = <0x300000 0x1000>; };
                    };
                };
                flash@0,0 { reg = <0 0x100 0x1000>; };
            };
            soc { #address-cells = <1>; #size-cells = <1>; ranges; dev@1000 { reg = <0x1000 0x10>; }; };
            isolated { #address-cells = <1>; #size-cells = <1>; dev@0 { reg = <0 0x10>; }; };
        };
        """)
        func cpu(_ path: String) throws -> [PhysicalRegion] { try t.physicalRegions(of: XCTUnwrap(t.node(at: path))) }
        XCTAssertEqual(try cpu("/smb@8000000/mb/iofpga@3,0/uart@90000"), [PhysicalRegion(address: 0x1c09_0000, size: 0x1000)])
        XCTAssertEqual(try cpu("/smb@8000000/flash@0,0"), [PhysicalRegion(address: 0x0800_0100, size: 0x1000)])
        XCTAssertEqual(try cpu("/soc/dev@1000"), [PhysicalRegion(address: 0x1000, size: 0x10)], "empty ranges = identity")
        XCTAssertThrowsError(try cpu("/smb@8000000/mb/iofpga@3,0/outside@300000")) { e in
            XCTAssertEqual((e as? DeviceTreeError)?.property, "ranges", "\(e)")
        }
        XCTAssertThrowsError(try cpu("/isolated/dev@0")) { e in
            XCTAssertEqual((e as? DeviceTreeError)?.path, "/isolated", "\(e)")
        }
        if case .windows(let w) = try XCTUnwrap(t.node(at: "/smb@8000000")).ranges() {
            XCTAssertEqual(w.count, 2)
            XCTAssertEqual(w[1].parentAddress.uint64, 0x1c00_0000)
        } else {
            XCTFail("expected windows")
        }
    }

    func testPCIRangesMatchOnSpaceCode() throws {
        let t = try tree("""
        /dts-v1/;
        / {
            #address-cells = <2>; #size-cells = <2>;
            pcie@10000000 {
                device_type = "pci"; #address-cells = <3>; #size-cells = <2>;
                ranges = <0x01000000 0 0 0 0x3eff0000 0 0x10000   0x02000000 0 0x10000000 0 0x10000000 0 0x2eff0000>;
                dev@0 { reg = <0x02000000 0 0x10001000 0 0x1000>; };
                io@0 { reg = <0x81000000 0 0x100 0 0x10>; };
            };
        };
        """)
        XCTAssertEqual(try t.physicalRegions(of: XCTUnwrap(t.node(at: "/pcie@10000000/dev@0"))).first?.address, 0x1000_1000)
        XCTAssertEqual(try t.physicalRegions(of: XCTUnwrap(t.node(at: "/pcie@10000000/io@0"))).first?.address, 0x3eff_0100,
                       "relocatable/prefetch flag bits are ignored, space code matched")
    }
}

final class InterruptTests: XCTestCase {
    let dts = """
    /dts-v1/;
    / {
        #address-cells = <1>; #size-cells = <1>;
        interrupt-parent = <&gic>;
        gic: interrupt-controller@2c001000 {
            compatible = "arm,cortex-a15-gic"; interrupt-controller; #interrupt-cells = <3>;
            reg = <0x2c001000 0x1000>;
        };
        gpio: gpio@1000 { interrupt-controller; #interrupt-cells = <2>; reg = <0x1000 0x100>; interrupts = <0 5 4>; };
        timer { interrupts = <1 13 0xf08>, <1 14 0xf08>; };
        bus {
            #address-cells = <1>; #size-cells = <1>; ranges;
            button@0 { reg = <0 1>; interrupt-parent = <&gpio>; interrupts = <7 2>; };
            uart@2000 { reg = <0x2000 0x100>; interrupts = <0 37 4>; };
            both@3000 { reg = <0x3000 0x10>; interrupts-extended = <&gic 0 40 4>, <&gpio 3 1>; };
        };
        nexus {
            #address-cells = <1>; #size-cells = <0>; #interrupt-cells = <1>;
            interrupt-map-mask = <0xf 0x7>;
            interrupt-map = <0x1 1 &gic 0 100 4>, <0x2 1 &gic 0 101 4>;
            slot@1 { reg = <1>; interrupt-parent = <&nexus_ref>; interrupts = <1>; };
            slot@2 { reg = <2>; interrupts = <1>; };
            slot@3 { reg = <3>; interrupts = <1>; };
        };
        bad { interrupts = <0 1>; };
    };
    """

    func load() throws -> DeviceTree {
        try tree(dts.replacingOccurrences(of: "interrupt-parent = <&nexus_ref>; ", with: ""))
    }

    func testInterruptParentChainAndGICNumbers() throws {
        let t = try load()
        let uart = try XCTUnwrap(t.node(at: "/bus/uart@2000"))
        XCTAssertEqual(try t.interruptParent(of: uart)?.path, "/interrupt-controller@2c001000", "inherited from the root")
        let ints = try t.interrupts(of: uart)
        XCTAssertEqual(ints.count, 1)
        let gic = try XCTUnwrap(GICInterrupt(ints[0]))
        XCTAssertEqual(gic.kind, .spi)
        XCTAssertEqual(gic.number, 37)
        XCTAssertEqual(gic.intid, 69)
        XCTAssertEqual(gic.trigger, 4)
        let timer = try t.interrupts(of: XCTUnwrap(t.node(at: "/timer"))).compactMap(GICInterrupt.init)
        XCTAssertEqual(timer.map(\.kind), [.ppi, .ppi])
        XCTAssertEqual(timer.map(\.intid), [29, 30])
    }

    func testExplicitParentAndInterruptsExtended() throws {
        let t = try load()
        let button = try t.interrupts(of: XCTUnwrap(t.node(at: "/bus/button@0")))
        XCTAssertEqual(button.map(\.controller.path), ["/gpio@1000"])
        XCTAssertEqual(button.first?.cells, [7, 2])
        XCTAssertNil(GICInterrupt(button[0]), "not a GIC specifier")
        let both = try t.interrupts(of: XCTUnwrap(t.node(at: "/bus/both@3000")))
        XCTAssertEqual(both.map(\.controller.path), ["/interrupt-controller@2c001000", "/gpio@1000"])
        XCTAssertEqual(both.map(\.cells), [[0, 40, 4], [3, 1]])
    }

    func testInterruptMapNexus() throws {
        let t = try load()
        let s1 = try t.interrupts(of: XCTUnwrap(t.node(at: "/nexus/slot@1")))
        XCTAssertEqual(s1.first.flatMap(GICInterrupt.init)?.number, 100)
        let s2 = try t.interrupts(of: XCTUnwrap(t.node(at: "/nexus/slot@2")))
        XCTAssertEqual(s2.first.flatMap(GICInterrupt.init)?.number, 101)
        XCTAssertThrowsError(try t.interrupts(of: XCTUnwrap(t.node(at: "/nexus/slot@3")))) { e in
            XCTAssertEqual((e as? DeviceTreeError)?.property, "interrupt-map", "\(e)")
        }
    }

    func testWrongCellCountIsNamed() throws {
        let t = try load()
        XCTAssertThrowsError(try t.interrupts(of: XCTUnwrap(t.node(at: "/bad")))) { e in
            let err = e as? DeviceTreeError
            XCTAssertEqual(err?.path, "/bad")
            XCTAssertEqual(err?.property, "interrupts")
        }
    }

    func testCyclicInterruptParentDoesNotHang() throws {
        let t = try tree("""
        /dts-v1/;
        / { a: a { interrupt-parent = <&b>; }; b: b { interrupt-parent = <&a>; }; dev { interrupt-parent = <&a>; interrupts = <1>; }; };
        """)
        XCTAssertThrowsError(try t.interrupts(of: XCTUnwrap(t.node(at: "/dev"))))
    }
}
