import DeviceTree
import Foundation
import Passthrough
import BoardBuild
import BoardModel
import XCTest

/// Passthrough over real board DTBs: every result validates, survives a dtc round trip, and a few are golden.
final class BoardTests: XCTestCase {
    func testQEMUVirtPL031Golden() throws {
        let host = try qemuVirtTree()
        let r = try Passthrough.extract(host: host, devices: ["/pl031@9010000"], guestAddress: .identity, allowShared: false)
        try assertGolden(try checkResult(r, host: host), "qemu-virt-pl031.dts")
        let d = try XCTUnwrap(r.devices.first)
        XCTAssertEqual(d.ranges, [MappedRange(host: 0x901_0000, size: 0x1000, guest: 0x901_0000)])
        XCTAssertEqual(d.spis, [34])
        XCTAssertFalse(d.iommuProtected)
        XCTAssertEqual(r.xlConfig(deviceTree: "rtc.dtb"), """
            device_tree = "rtc.dtb"
            irqs = [ 34 ]
            iomem = [ "9010,1@9010" ]

            """)
        XCTAssertTrue(r.warnings.contains { $0.contains("force-assign") })
        // The AMBA clock name survives; the clock is an in-tree fixed-clock.
        let node = try XCTUnwrap(r.partial.node(at: "/passthrough/pl031@9010000"))
        XCTAssertEqual(node.property("clock-names")?.strings, ["apb_pclk"])
        XCTAssertEqual(r.partial.node(at: "/passthrough/apb-pclk")?.property("clock-frequency")?.u32, 24_000_000)
    }

    /// The rest of QEMU virt: every device extracts or refuses with a PassthroughError, never anything else;
    /// those that extract validate.
    func testQEMUVirtEveryNode() throws {
        let host = try qemuVirtTree()
        var passed = 0
        for node in host.allNodes {
            do {
                let r = try Passthrough.extract(host: host, devices: [node.path])
                try checkResult(r, host: host)
                passed += 1
            } catch is PassthroughError {
            }
        }
        XCTAssertGreaterThanOrEqual(passed, 3) // PL031, fw-cfg, PL061, ...
        // The virtio-mmio transports are 0x200 apart: four to a page, so each shares its page with Dom0's.
        XCTAssertThrowsError(try Passthrough.extract(host: host, devices: ["/virtio_mmio@a000000"])) {
            guard case PassthroughError.sharedPage(_, 0xa00_0000, "/virtio_mmio@a000200") = $0 else { return XCTFail("\($0)") }
        }
    }

    func testZCU102UARTGolden() throws {
        let host = try corpusTree("xilinx/zynqmp-zcu102-rev1.0.dtb")
        let r = try Passthrough.extract(host: host, devices: ["/axi/serial@ff010000"])
        try assertGolden(try checkResult(r, host: host), "zcu102-serial1.dts")
        let d = try XCTUnwrap(r.devices.first)
        XCTAssertEqual(d.ranges.first?.host, 0xff01_0000)
        XCTAssertNotEqual(d.ranges.first?.guest, 0xff01_0000, "above guest RAM: must be relocated")
        XCTAssertTrue(r.droppedReferences.contains { $0.property == "power-domains" })
        XCTAssertTrue(r.droppedReferences.contains { $0.property == "pinctrl-0" })
        // 1:1 is refused: 0xff010000 is in guest RAM bank 0 / its extended region.
        XCTAssertThrowsError(try Passthrough.extract(host: host, devices: ["/axi/serial@ff010000"], guestAddress: .identity)) {
            guard case PassthroughError.identityUnsafe = $0 else { return XCTFail("\($0)") }
        }
    }

    func testZCU102GPIOAndEthernet() throws {
        let host = try corpusTree("xilinx/zynqmp-zcu102-rev1.0.dtb")
        for path in ["/axi/gpio@ff0a0000", "/axi/ethernet@ff0e0000", "/axi/spi@ff0f0000"] {
            let r = try Passthrough.extract(host: host, devices: [path])
            try checkResult(r, host: host)
        }
        // Two devices at once: distinct guest ranges, one partial tree.
        let r = try Passthrough.extract(host: host, devices: ["/axi/serial@ff010000", "/axi/gpio@ff0a0000"])
        try checkResult(r, host: host)
        XCTAssertEqual(r.devices.count, 2)
    }

    /// bcm2711's clock tree has cycles (cprman <-> dsi/hdmi); the walk must terminate.
    func testRPi4ClockCyclesTerminate() throws {
        let host = try corpusTree("broadcom/bcm2711-rpi-4-b.dtb")
        for path in ["/soc/serial@7e201000", "/soc/spi@7e204000"] {
            let r = try Passthrough.extract(host: host, devices: [path])
            try checkResult(r, host: host)
            XCTAssertTrue(r.partial.allNodes.contains { $0.compatibles == ["fixed-clock"] }, path)
        }
        // BCM2711's I2C controllers share one SPI: refused unless allowShared.
        XCTAssertThrowsError(try Passthrough.extract(host: host, devices: ["/soc/i2c@7e804000"])) {
            guard case PassthroughError.sharedIRQ(_, 149, _) = $0 else { return XCTFail("\($0)") }
        }
        let shared = try Passthrough.extract(host: host, devices: ["/soc/i2c@7e804000"], allowShared: true)
        try checkResult(shared, host: host)
        XCTAssertTrue(shared.warnings.contains { $0.contains("INTID 149 is shared") })
        // 0xfe201000 is the rules' example of a 1:1 address colliding with the extended regions.
        XCTAssertThrowsError(try Passthrough.extract(host: host, devices: ["serial0"], guestAddress: .identity)) {
            guard case PassthroughError.identityUnsafe(_, 0xfe20_1000, _, _) = $0 else { return XCTFail("\($0)") }
        }
    }

    /// RK3399's GICv3 uses 4-cell specifiers (PPI partition); the partial has 3 cells.
    func testRK3399FourCellInterruptsCut() throws {
        let host = try corpusTree("rockchip/rk3399-rock-pi-4b.dtb")
        let hostNode = try XCTUnwrap(host.node(at: "/spi@ff1c0000"))
        XCTAssertEqual(hostNode.property("interrupts")?.cells?.count, 4)
        let r = try Passthrough.extract(host: host, devices: ["/spi@ff1c0000"])
        try checkResult(r, host: host)
        let node = try XCTUnwrap(r.partial.node(at: r.devices[0].partialPath))
        XCTAssertEqual(node.property("interrupts")?.cells, [0, 68, 4])
        XCTAssertEqual(node.property("interrupt-parent")?.u32, 0xfde8)
        let uart = try Passthrough.extract(host: host, devices: ["/serial@ff180000"])
        try checkResult(uart, host: host)
    }

    func testRenesasRZG2M() throws {
        let host = try corpusTree("renesas/r8a774a1-hihope-rzg2m.dtb")
        for path in ["/soc/serial@e6e68000", "/soc/gpio@e6050000", "/soc/ethernet@e6800000"] {
            let r = try Passthrough.extract(host: host, devices: [path])
            try checkResult(r, host: host)
            XCTAssertTrue(r.droppedReferences.contains { $0.property == "resets" || $0.property == "power-domains" }, path)
        }
        // The console (SCIF2) is Xen's.
        XCTAssertThrowsError(try Passthrough.extract(host: host, devices: ["/soc/serial@e6e88000"])) {
            XCTAssertEqual($0 as? PassthroughError, .xenConsole(path: "/soc/serial@e6e88000"))
        }
    }

    /// The largest corpus DTB: the time for one extraction (target < 50 ms, printed, not asserted).
    func testExtractionTimeLargestDTB() throws {
        let host = try corpusTree("am572x-idk.dtb")
        let device = "serial0"
        _ = try Passthrough.extract(host: host, devices: [device])
        var best = Double.infinity
        for _ in 0..<5 {
            let start = DispatchTime.now().uptimeNanoseconds
            let r = try Passthrough.extract(host: host, devices: [device])
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
            XCTAssertEqual(r.devices.count, 1)
        }
        let t0 = DispatchTime.now().uptimeNanoseconds
        let facts = HostFacts(BoardModel(tree: host))
        let t1 = DispatchTime.now().uptimeNanoseconds
        _ = try Passthrough.extract(host: host, facts: facts, devices: [device])
        let t2 = DispatchTime.now().uptimeNanoseconds
        print("passthrough: BoardModel \(Double(t1 - t0) / 1e6) ms, extract with its facts \(Double(t2 - t1) / 1e6) ms")
        print("passthrough: extract \(device) from am572x-idk.dtb: \(String(format: "%.2f", best)) ms (best of 5)")
        let r = try Passthrough.extract(host: host, devices: [device])
        try checkResult(r, host: host)
    }
}
