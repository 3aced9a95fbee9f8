import DeviceTree
import Passthrough
import XCTest

/// Every refusal of `Passthrough.extract`, on small dtc-compiled boards and on QEMU virt.
final class RefusalTests: XCTestCase {
    func refusal(_ host: DeviceTree, _ devices: [String], policy: GuestAddressPolicy = .auto,
                 file: StaticString = #filePath, line: UInt = #line) -> PassthroughError? {
        do {
            _ = try Passthrough.extract(host: host, devices: devices, guestAddress: policy)
            XCTFail("expected a refusal for \(devices)", file: file, line: line)
            return nil
        } catch let e as PassthroughError {
            return e
        } catch {
            XCTFail("not a PassthroughError: \(error)", file: file, line: line)
            return nil
        }
    }

    func testConsoleUARTRefused() throws {
        let host = try qemuVirtTree()
        XCTAssertEqual(refusal(host, ["/pl011@9000000"]), .xenConsole(path: "/pl011@9000000"))
        let small = try fixture(board(""))
        XCTAssertEqual(refusal(small, ["serial0"]), .xenConsole(path: "/serial@9000000"))
    }

    func testNotADeviceRefused() throws {
        let host = try qemuVirtTree()
        for path in ["/", "/platform-bus@c000000", "/timer", "/chosen", "/memory@40000000", "/apb-pclk", "/cpus/cpu@0"] {
            guard case .notADevice(let p, _)? = refusal(host, [path]) else { XCTFail(path); continue }
            XCTAssertEqual(p, path == "/" ? "/" : path)
        }
        XCTAssertEqual(refusal(host, ["/nope"]), .noSuchDevice("/nope"))
        XCTAssertEqual(refusal(host, ["/pl031@9010000", "/pl031@9010000"]), .duplicateDevice(path: "/pl031@9010000"))
        guard case .ownedByXen? = refusal(host, ["/intc@8000000"]) else { return XCTFail("GIC") }
    }

    func testPPIRefused() throws {
        let host = try fixture(board("dev@9100000 { compatible = \"v,dev\"; reg = <0 0x9100000 0 0x1000>; interrupts = <1 7 4>; };"))
        XCTAssertEqual(refusal(host, ["/dev@9100000"]), .ppi(path: "/dev@9100000", intid: 23))
    }

    func testVPL011SPIRefused() throws {
        let host = try fixture(board("dev@9100000 { compatible = \"v,dev\"; reg = <0 0x9100000 0 0x1000>; interrupts = <0 0 4>; };"))
        guard case .unroutableInterrupt(_, 32, _)? = refusal(host, ["/dev@9100000"]) else { return XCTFail() }
    }

    func testSharedPageRefusedUnlessAllowed() throws {
        let host = try fixture(board("""
            a@9100000 { compatible = "v,a"; reg = <0 0x9100000 0 0x100>; interrupts = <0 5 4>; };
            b@9100800 { compatible = "v,b"; reg = <0 0x9100800 0 0x100>; interrupts = <0 6 4>; };
            """))
        XCTAssertEqual(refusal(host, ["/a@9100000"]), .sharedPage(path: "/a@9100000", page: 0x910_0000, other: "/b@9100800"))
        let r = try Passthrough.extract(host: host, devices: ["/a@9100000"], allowShared: true)
        try checkResult(r, host: host)
        XCTAssertTrue(r.warnings.contains { $0.contains("shared with /b@9100800") })
        // Two passed devices in one page cannot both carry the page.
        guard case .sharedPage? = refusal(host, ["/a@9100000", "/b@9100800"]) else { return XCTFail() }
    }

    func testSharedIRQRefusedUnlessAllowed() throws {
        let host = try fixture(board("""
            a@9100000 { compatible = "v,a"; reg = <0 0x9100000 0 0x1000>; interrupts = <0 5 4>; };
            b@9200000 { compatible = "v,b"; reg = <0 0x9200000 0 0x1000>; interrupts = <0 5 4>; };
            c@9300000 { compatible = "v,c"; reg = <0 0x9300000 0 0x1000>; interrupts = <0 5 4>; status = "disabled"; };
            """))
        XCTAssertEqual(refusal(host, ["/a@9100000"]), .sharedIRQ(path: "/a@9100000", intid: 37, other: "/b@9200000"))
        XCTAssertNoThrow(try Passthrough.extract(host: host, devices: ["/a@9100000"], allowShared: true))
        // A disabled device does not stay in Dom0.
        XCTAssertNoThrow(try Passthrough.extract(host: host, devices: ["/a@9100000", "/b@9200000"]))
    }

    func testOverBudgetRefusedAndNearBudgetWarned() throws {
        let big = (0..<1100).map { _ in "0x1" }.joined(separator: " ")
        let host = try fixture(board("dev@9100000 { compatible = \"v,dev\"; reg = <0 0x9100000 0 0x1000>; interrupts = <0 5 4>; v,table = <\(big)>; };"))
        guard case .overBudget(let bytes, 4096)? = refusal(host, ["/dev@9100000"]) else { return XCTFail() }
        XCTAssertGreaterThan(bytes, 4096)
        let mid = (0..<500).map { _ in "0x1" }.joined(separator: " ")
        let host2 = try fixture(board("dev@9100000 { compatible = \"v,dev\"; reg = <0 0x9100000 0 0x1000>; interrupts = <0 5 4>; v,table = <\(mid)>; };"))
        let r = try Passthrough.extract(host: host2, devices: ["/dev@9100000"])
        XCTAssertTrue(r.warnings.contains { $0.contains("bytes; Xen 4.17 fits it") })
    }

    func testIdentityUnsafeRefusedAndAutoRelocates() throws {
        let host = try fixture(board("""
            dev@fe201000 { compatible = "v,dev"; reg = <0 0xfe201000 0 0x200>; interrupts = <0 5 4>; };
            low@3000000 { compatible = "v,low"; reg = <0 0x3000000 0 0x1000>; interrupts = <0 6 4>; };
            """))
        guard case .identityUnsafe(_, 0xfe20_1000, 0x1000, _)? = refusal(host, ["/dev@fe201000"], policy: .identity) else { return XCTFail() }
        // 0x03000000 collides with nothing but sits next to the vGIC: 0x03001000 is GICD, so one page is fine.
        let r = try Passthrough.extract(host: host, devices: ["/dev@fe201000", "/low@3000000"])
        try checkResult(r, host: host)
        XCTAssertEqual(r.devices[1].ranges, [MappedRange(host: 0x300_0000, size: 0x1000, guest: 0x300_0000)])
        let moved = try XCTUnwrap(r.devices[0].ranges.first)
        XCTAssertLessThan(moved.guest, 0x4000_0000)
        XCTAssertEqual(r.devices[0].guestRegions.first?.size, 0x200)
        XCTAssertEqual(r.xlConfig.contains("\"fe201,1@\(String(moved.guest >> 12, radix: 16))\""), true)
    }

    /// A cyclic clock tree with no fixed rate anywhere: the walk terminates and freezes at 0 Hz with a warning.
    func testCyclicClocksTerminate() throws {
        let host = try fixture(board("""
            ca: clock-a { compatible = "v,clk"; #clock-cells = <1>; #reset-cells = <1>; clocks = <&cb 0>; };
            cb: clock-b { compatible = "v,clk"; #clock-cells = <1>; clocks = <&ca 1>; };
            dev@9100000 { compatible = "v,dev"; reg = <0 0x9100000 0 0x1000>; interrupts = <0 5 4>;
                clocks = <&ca 3>, <&clk>; clock-names = "core", "apb_pclk"; resets = <&ca 2>; };
            """))
        let r = try Passthrough.extract(host: host, devices: ["/dev@9100000"])
        try checkResult(r, host: host)
        XCTAssertTrue(r.warnings.contains { $0.contains("no rate found") })
        XCTAssertTrue(r.droppedReferences.contains { $0.property == "resets" && $0.targets == ["/clock-a"] })
        XCTAssertEqual(r.partial.node(at: r.devices[0].partialPath)?.property("clock-names")?.strings, ["core", "apb_pclk"])
    }
}
