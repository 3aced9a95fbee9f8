@testable import BoardBuild
import BoardFile
import BoardModel
import DeviceTree
import Foundation
import TestSupport
import XCTest

/// Board semantics that need the device tree, checked when the board is built (issue 11, part 3). Each test runs
/// the checks `Builder.build` runs, in its order, on a small tree, and asserts the board file's line is named.
final class BoardChecksTests: XCTestCase {
    static let file = "/x/boards/chk.toml"

    func tree(memory: String = "reg = <0x0 0x40000000 0x0 0x40000000>;") throws -> DeviceTree {
        try decodeDTS("""
        /dts-v1/; / { #address-cells = <2>; #size-cells = <2>; compatible = "test,board";
          aliases { serial0 = "/uart@9000000"; rtc = "/pl031@9010000"; };
          cpus { #address-cells = <1>; #size-cells = <0>;
            cpu@0 { device_type = "cpu"; reg = <0>; compatible = "arm,cortex-a57"; enable-method = "psci"; };
            cpu@1 { device_type = "cpu"; reg = <1>; compatible = "arm,cortex-a57"; enable-method = "psci"; }; };
          psci { compatible = "arm,psci-1.0"; method = "smc"; };
          memory@40000000 { device_type = "memory"; \(memory) };
          reserved-memory { #address-cells = <2>; #size-cells = <2>; ranges;
            fw@50000000 { reg = <0x0 0x50000000 0x0 0x100000>; no-map; }; };
          uart@9000000 { compatible = "arm,pl011", "arm,primecell"; reg = <0x0 0x9000000 0x0 0x1000>; };
          pl031@9010000 { compatible = "arm,pl031", "arm,primecell"; reg = <0x0 0x9010000 0x0 0x1000>; };
          chosen { stdout-path = "serial0"; };
        };
        """)
    }

    /// Lines 1-5 are the head; `lines` start at line 6.
    func board(_ lines: [String]) throws -> Board {
        try BoardFileParser.parse((["description = \"checks\"", "arch = \"arm64\"", "status = \"build-only\"", "[dtb]",
                                    "path = \"chk.dtb\""] + lines).joined(separator: "\n"),
                                  name: "chk", file: Self.file, directory: "/x/boards")
    }

    /// What `Builder.build` checks, in its order.
    func runChecks(_ b: Board, _ t: DeviceTree) throws {
        let model = BoardModel(tree: t, file: "chk.dtb", arch: b.arch, console: b.console)
        try BoardChecks.check(b, tree: t, model: model)
        let ram = try Builder.ramBanks(b, model: model, dtb: "chk.dtb")
        try BoardChecks.checkRAM(b, ram: ram, dtb: "chk.dtb")
        try BoardChecks.checkStaticMemory(b, ram: ram, reserved: Builder.treeReserved(model))
    }

    func expect(_ lines: [String], tree t: DeviceTree? = nil, line: Int, _ fragment: String, file: StaticString = #filePath, l: UInt = #line) throws {
        let b = try board(lines)
        XCTAssertThrowsError(try runChecks(b, t ?? tree()), file: file, line: l) { e in
            guard let err = e as? TOMLError else { return XCTFail("not a board-file error: \(e)", file: file, line: l) }
            XCTAssertEqual(err.file, Self.file, file: file, line: l)
            XCTAssertEqual(err.line, line, "\(err)", file: file, line: l)
            XCTAssertTrue(err.message.contains(fragment), "\(err)", file: file, line: l)
        }
    }

    /// `[[domu]]` at the first line, `name` at the next, then `extra`, then `memory = "64M"` unless `extra` sets it.
    func domU(_ name: String, _ extra: String...) -> [String] {
        ["[[domu]]", "name = \"\(name)\""] + extra + (extra.contains { $0.hasPrefix("memory") } ? [] : ["memory = \"64M\""])
    }

    func testValidBoardPasses() throws {
        let b = try board(["[xen]", "console = \"serial0\"", "[dom0]", "vcpus = 2"] + domU("rtc", "passthrough = [\"rtc\"]"))
        XCTAssertNoThrow(try runChecks(b, tree()))
    }

    func testConsoleMustBeAUARTNode() throws {
        try expect(["[xen]", "console = \"/memory@40000000\""], line: 7, "is /memory@40000000 (a memory node), not a UART")
        try expect(["[xen]", "console = \"/cpus/cpu@0\""], line: 7, "not a UART")
        try expect(["[xen]", "console = \"serial9\""], line: 7, "names no node or alias")
    }

    func testVCPUsAboveTheTreesCPUsAreAnError() throws {
        try expect(["[dom0]", "vcpus = 3"], line: 7, "dom0 vcpus = 3 but the device tree has 2 CPU(s)")
        try expect(domU("a", "cpus = 8"), line: 8, "domu 'a' cpus = 8 but the device tree has 2 CPU(s)")
    }

    func testSameDeviceForTwoDomUsIsFoundByNodeNotSpelling() throws {
        let first = domU("a", "passthrough = [\"/pl031@9010000\"]")
        try expect(first + domU("b", "passthrough = [\"rtc\"]"), line: 12,
                   "device /pl031@9010000 is given to both domu 'a' and domu 'b' (\"/pl031@9010000\" and \"rtc\" are both /pl031@9010000)")
        try expect(first + domU("b", "passthrough = [\"/pl031\"]"), line: 12, "given to both domu 'a' and domu 'b'")
        try expect(domU("a", "passthrough = [\"rtc\", \"/pl031\"]"), line: 8, "listed twice for domu 'a'")
        try expect(domU("a", "passthrough = [\"/nothing@0\"]"), line: 8, "no device /nothing@0")
    }

    func testACPUInTwoPoolsIsAnError() throws {
        try expect(["[[cpupool]]", "name = \"a\"", "cpus = \"/cpus/cpu@1\"", "[[cpupool]]", "name = \"b\"", "cpus = \"/cpus/cpu@1\""],
                   line: 9, "/cpus/cpu@1 is already in cpupool 'a'")
        try expect(["[[cpupool]]", "name = \"a\"", "cpus = \"/uart@9000000\""], line: 6, "is not a CPU node")
    }

    func testMemoryLargerThanTheTreesRAMIsAnError() throws {
        try expect(["[dom0]", "memory = \"2G\""], line: 7, "larger than the board's RAM (1073741824 bytes, the memory banks of chk.dtb)")
        try expect(["[dom0]", "memory = \"768M\""] + domU("a", "memory = \"512M\""), line: 10, "add up to more than the board's RAM")
    }

    func testRAMAt2To63OrWrappingInTheTreeIsAnError() throws {
        let high = try tree(memory: "reg = <0x80000000 0x0 0x0 0x40000000>;")
        let b = try board([])
        XCTAssertThrowsError(try runChecks(b, high)) { e in
            XCTAssertTrue("\(e)".hasPrefix("chk.dtb: RAM bank0 [0x8000000000000000, +0x40000000) ends above 0x1000000000000"), "\(e)")
            XCTAssertTrue("\(e)".contains("[memory] of \(Self.file)"), "\(e)")
        }
        let wraps = try tree(memory: "reg = <0xffffffff 0xff000000 0x0 0x40000000>;")
        XCTAssertThrowsError(try runChecks(b, wraps)) { e in XCTAssertTrue("\(e)".contains("ends above"), "\(e)") }
    }

    func testStaticMemoryOutsideTheTreesRAMOrOnReservedMemoryIsAnError() throws {
        try expect(domU("s", "memory = \"64M\"", "static-mem = \"0x90000000:0x4000000\""), line: 9, "is not inside one RAM bank ([0x40000000, 0x80000000))")
        try expect(domU("s", "memory = \"64M\"", "static-mem = \"0x4e000000:0x4000000\""), line: 9, "overlaps reserved memory /reserved-memory/fw@50000000")
        XCTAssertNoThrow(try runChecks(try board(domU("s", "memory = \"64M\"", "static-mem = \"0x60000000:0x4000000\"")), tree()))
    }

    /// RAM too small for U-Boot's windows: an error, not a subtraction that traps (the window is at RAM's top).
    func testRAMBelow66MiBForUBootIsAnErrorNotATrap() throws {
        let b = try board(["[memory]", "base = 0x40000000", "size = 0x2000000", "[dom0]", "memory = \"4M\"", "[qemu]", "machine = \"virt\"", "memory = 128"])
        var reserved: [MemoryRange] = []
        XCTAssertThrowsError(try Builder.reserveFirmware(b, ram: [MemoryRange(name: "board-file", base: 0x4000_0000, size: 0x200_0000)],
                                                         direct: false, into: &reserved)) { e in
            XCTAssertTrue("\(e)".contains("smaller than the 66 MiB U-Boot needs"), "\(e)")
        }
    }

    /// Static memory on QEMU's loader window (where Xen and the DTB are put): an error naming the line, not a
    /// module loaded on top of the guest's memory.
    func testStaticMemoryOnTheLoaderWindowIsAnError() throws {
        let b = try board(["[qemu]", "machine = \"virt\"", "boot = \"direct\""] + domU("s", "memory = \"64M\"", "static-mem = \"0x40000000:0x4000000\""))
        let t = try tree()
        let model = BoardModel(tree: t, file: "chk.dtb", arch: b.arch, console: b.console)
        let ram = try Builder.ramBanks(b, model: model, dtb: "chk.dtb")
        var reserved = Builder.treeReserved(model)
        _ = try Builder.reserveFirmware(b, ram: ram, direct: true, into: &reserved)
        XCTAssertThrowsError(try BoardChecks.checkStaticMemory(b, ram: ram, reserved: reserved)) { e in
            XCTAssertEqual((e as? TOMLError)?.line, 12, "\(e)")
            XCTAssertTrue("\(e)".contains("overlaps reserved memory qemu -kernel/-dtb"), "\(e)")
        }
    }
}
