import BoardBuild
import DeviceTree
import Foundation
import TestSupport
import XCTest

final class ChosenWriterTests: XCTestCase {
    func compile(_ dts: String) throws -> DeviceTree { try decodeDTS(dts) }

    func testWritesBootargsAndModulesKeepingExistingContent() throws {
        let t = try compile("/dts-v1/; / { #address-cells = <1>; #size-cells = <1>; chosen { stdout-path = \"serial0\"; old@1 { compatible = \"multiboot,kernel\"; }; }; };")
        try ChosenWriter.write(into: t, xenBootargs: "console=dtuart dtuart=serial0 dom0_mem=512M", dom0Bootargs: "console=hvc0",
                               modules: [.init(kind: .kernel, address: 0x4800_0000, size: 0x200_0000),
                                         .init(kind: .ramdisk, address: 0x1_0000_0000, size: 0x10_0000)])
        let blob = try DTBEncoder.encode(t) // libfdt-validated
        let back = try DTBDecoder.decode(blob)
        let chosen = try XCTUnwrap(back.node(at: "/chosen"))
        XCTAssertEqual(chosen.property("stdout-path")?.string, "serial0", "kept")
        XCTAssertNil(chosen.child(named: "old@1"), "stale modules replaced")
        XCTAssertEqual(chosen.property("#address-cells")?.u32, 2)
        XCTAssertEqual(chosen.property("xen,xen-bootargs")?.string, "console=dtuart dtuart=serial0 dom0_mem=512M")
        XCTAssertEqual(chosen.property("xen,dom0-bootargs")?.string, "console=hvc0")
        let k = try XCTUnwrap(chosen.child(named: "module@48000000"))
        XCTAssertEqual(k.compatibles, ["multiboot,kernel", "multiboot,module"])
        XCTAssertEqual(try k.reg().first?.address.uint64, 0x4800_0000)
        XCTAssertEqual(try chosen.child(named: "module@100000000")?.reg().first?.size.uint64, 0x10_0000)
    }

    func testRespectsExistingChildrenWithInheritedCells() throws {
        let t = try compile("/dts-v1/; / { #address-cells = <1>; #size-cells = <1>; chosen { framebuffer@1000 { reg = <0x1000 0x100>; }; }; };")
        XCTAssertThrowsError(try ChosenWriter.write(into: t, xenBootargs: "", dom0Bootargs: "",
                                                    modules: [.init(kind: .kernel, address: 0x1_0000_0000, size: 0x1000)])) { e in
            XCTAssertTrue("\(e)".contains("does not fit"), "\(e)")
        }
        let t2 = try compile("/dts-v1/; / { #address-cells = <1>; #size-cells = <1>; chosen { framebuffer@1000 { reg = <0x1000 0x100>; }; }; };")
        try ChosenWriter.write(into: t2, xenBootargs: "", dom0Bootargs: "", modules: [.init(kind: .kernel, address: 0x8000_0000, size: 0x1000)])
        XCTAssertNil(t2.node(at: "/chosen")?.property("#address-cells"), "framebuffer@1000 keeps its meaning")
        XCTAssertEqual(t2.node(at: "/chosen/module@80000000")?.property("reg")?.cells, [0x8000_0000, 0x1000])
    }

    /// A hostile input tree's /chosen cells (issue 11): an error naming the node, not a 2^32-cell array.
    func testHostileChosenCellsAreAnErrorNotAHugeArray() throws {
        for cells in ["<0xffffffff>", "<0>", "<3>"] {
            let t = try compile("/dts-v1/; / { chosen { #address-cells = \(cells); #size-cells = <1>; }; };")
            XCTAssertThrowsError(try ChosenWriter.write(into: t, xenBootargs: "", dom0Bootargs: "",
                                                        modules: [.init(kind: .kernel, address: 0x4800_0000, size: 0x1000)])) { e in
                XCTAssertTrue("\(e)".contains("/chosen") && "\(e)".contains("module reg needs 1 or 2 cells"), "\(e)")
            }
        }
    }
}
