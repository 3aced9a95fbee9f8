import BoardBuild
import BoardFile
import DeviceTree
import Foundation
import TestSupport
import XCTest

final class DomUWriterTests: XCTestCase {
    func tree() throws -> DeviceTree {
        try decodeDTS("""
        /dts-v1/; / { #address-cells = <2>; #size-cells = <2>;
          cpus { #address-cells = <1>; #size-cells = <0>; cpu@0 { device_type = "cpu"; reg = <0>; }; cpu@1 { device_type = "cpu"; reg = <1>; }; };
          chosen { }; };
        """)
    }

    func board() throws -> Board {
        try BoardFileParser.parse("""
        description = "t"
        arch = "arm64"
        status = "build-only"
        [dtb]
        path = "x.dtb"
        [dom0]
        enabled = false
        [[cpupool]]
        name = "rt"
        cpus = "/cpus/cpu@1"
        scheduler = "null"
        [[domu]]
        name = "rt"
        memory = "128M"
        cpus = 1
        enhanced = "disabled"
        static-mem = "0x50000000:0x8000000"
        direct-map = true
        cpupool = "rt"
        """, name: "t", file: "/t.toml", directory: "/")
    }

    func testDomUNodeWithStaticMemoryDirectMapAndCPUPool() throws {
        let t = try tree(), b = try board()
        try ChosenWriter.write(into: t, xenBootargs: "console=dtuart", dom0Bootargs: nil, modules: [])
        try DomUWriter.writeCPUPools(into: t, pools: b.cpupools)
        try DomUWriter.write(into: t, domU: b.domUs[0], modules: .init(
            kernel: .init(kind: .kernel, address: 0x4800_0000, size: 0x100_0000),
            ramdisk: .init(kind: .ramdisk, address: 0x4a00_0000, size: 0x1000),
            partialDTB: .init(kind: .deviceTree, address: 0x4b00_0000, size: 0x200), bootargs: "console=ttyAMA0"), cpupools: b.cpupools)
        let back = try DTBDecoder.decode(DTBEncoder.encode(t)) // libfdt-validated
        let chosen = try XCTUnwrap(back.node(at: "/chosen"))
        XCTAssertNil(chosen.property("xen,dom0-bootargs"), "true dom0less")
        XCTAssertFalse(chosen.children.contains { $0.compatibles.contains("multiboot,kernel") }, "no Dom0 modules")
        let d = try XCTUnwrap(back.node(at: "/chosen/domU-rt"))
        XCTAssertEqual(d.compatibles, ["xen,domain"])
        XCTAssertEqual(d.property("memory")?.u64, 128 * 1024, "KiB, 64-bit")
        XCTAssertEqual(d.property("cpus")?.u32, 1)
        XCTAssertEqual(d.property("xen,enhanced")?.string, "disabled")
        XCTAssertEqual(d.property("xen,static-mem")?.cells, [0, 0x5000_0000, 0, 0x800_0000])
        XCTAssertTrue(d.hasProperty("direct-map"))
        XCTAssertTrue(d.hasProperty("vpl011"))
        let pool = try XCTUnwrap(back.node(at: "/chosen/cpupool-rt"))
        XCTAssertEqual(pool.compatibles, ["xen,cpupool"])
        XCTAssertEqual(pool.property("cpupool-sched")?.string, "null")
        XCTAssertEqual(back.node(phandle: try XCTUnwrap(pool.property("cpupool-cpus")?.u32))?.path, "/cpus/cpu@1")
        XCTAssertEqual(back.node(phandle: try XCTUnwrap(d.property("domain-cpupool")?.u32))?.path, "/chosen/cpupool-rt")
        XCTAssertEqual(d.children.map { $0.compatibles.first ?? "" }, ["multiboot,kernel", "multiboot,ramdisk", "multiboot,device-tree"])
        XCTAssertEqual(d.child(named: "module@48000000")?.property("bootargs")?.string, "console=ttyAMA0")
        XCTAssertEqual(try d.child(named: "module@4b000000")?.reg().first?.size.uint64, 0x200)
    }

    /// A hostile input tree's /chosen cells (issue 11): an error naming the node, not a 2^32-cell array.
    func testHostileChosenCellsAreAnErrorNotAHugeArray() throws {
        let t = try decodeDTS("/dts-v1/; / { #address-cells = <2>; #size-cells = <2>; chosen { #address-cells = <0xffffffff>; #size-cells = <0xffffffff>; }; };")
        let b = try board()
        XCTAssertThrowsError(try DomUWriter.write(into: t, domU: b.domUs[0], modules: .init(
            kernel: .init(kind: .kernel, address: 0x4800_0000, size: 0x1000), ramdisk: .init(kind: .ramdisk, address: 0x4a00_0000, size: 0x1000),
            partialDTB: nil, bootargs: ""), cpupools: [])) { e in
            XCTAssertTrue("\(e)".contains("/chosen") && "\(e)".contains("xen,static-mem needs 1 or 2 cells, /chosen has 4294967295/4294967295"), "\(e)")
        }
    }

    func testCPUPoolNamingANonCPUFails() throws {
        let t = try tree()
        XCTAssertThrowsError(try DomUWriter.writeCPUPools(into: t, pools: [Board.CPUPool(name: "x", cpus: ["/chosen"], scheduler: "credit2")])) { e in
            XCTAssertTrue("\(e)".contains("not a CPU node"), "\(e)")
        }
    }

    func testConsoleSplitting() {
        let console = """
        (XEN) Xen version 4.17.5
        device=/virtio_mmio@a002c00(XEN) DOM1: XEN-BOARD-REPORT-BEGIN
        00
        (XEN) DOM1: role=domu
        (d2) hello
        plain dom0 line
        """
        let parts = DomainConsoles.split(console)
        XCTAssertEqual(parts[1], "XEN-BOARD-REPORT-BEGIN\nrole=domu")
        XCTAssertEqual(parts[2], "hello")
        XCTAssertEqual(parts[0], "(XEN) Xen version 4.17.5\ndevice=/virtio_mmio@a002c0000\nplain dom0 line", "the interrupted Dom0 line is rejoined")
    }
}
