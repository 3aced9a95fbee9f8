import BoardBuild
import XCTest

final class MemoryPlanTests: XCTestCase {
    let ram = [MemoryRange(name: "bank0", base: 0x4000_0000, size: 0x4000_0000)]

    func testPlacesInOrderAlignedAroundReservations() throws {
        let plan = try MemoryPlan.make(
            ram: ram,
            reserved: [MemoryRange(name: "optee", base: 0x4020_0000, size: 0x10_0000)],
            items: [LoadItem(name: "xen", size: 0x12_3456, alignment: 0x20_0000),
                    LoadItem(name: "dtb", size: 0x3000, alignment: 8, maxSize: 0x20_0000),
                    LoadItem(name: "kernel", size: 0x210_0000, alignment: 0x20_0000),
                    LoadItem(name: "initramfs", size: 0x1000, alignment: 0x1000)],
            placeFrom: 0x4000_0000)
        // First fit: the DTB and initramfs use the gap between Xen and the reserved region; the kernel goes above it.
        XCTAssertEqual(plan.placed.map(\.base), [0x4000_0000, 0x4012_3458, 0x4040_0000, 0x4012_7000])
        try plan.verify()
        // Same inputs, same plan.
        XCTAssertEqual(plan, try MemoryPlan.make(ram: ram, reserved: plan.reserved, items: [
            LoadItem(name: "xen", size: 0x12_3456, alignment: 0x20_0000), LoadItem(name: "dtb", size: 0x3000, alignment: 8, maxSize: 0x20_0000),
            LoadItem(name: "kernel", size: 0x210_0000, alignment: 0x20_0000), LoadItem(name: "initramfs", size: 0x1000, alignment: 0x1000),
        ], placeFrom: 0x4000_0000))
        XCTAssertTrue(plan.table.contains("kernel"))
        XCTAssertTrue(plan.svg.hasPrefix("<svg"))
    }

    func testErrorsNameTheItemsAndRanges() {
        XCTAssertThrowsError(try MemoryPlan.make(ram: [], reserved: [], items: [])) { e in
            XCTAssertTrue("\(e)".contains("no RAM"))
        }
        XCTAssertThrowsError(try MemoryPlan.make(ram: ram, reserved: [], items: [LoadItem(name: "kernel", size: 0x8000_0000, alignment: 0x20_0000)])) { e in
            XCTAssertTrue("\(e)".contains("kernel") && "\(e)".contains("does not fit"), "\(e)")
        }
        XCTAssertThrowsError(try MemoryPlan.make(ram: ram, reserved: [MemoryRange(name: "secure-monitor", base: 0x4000_0000, size: 0x20_0000)],
                                                 items: [LoadItem(name: "xen", size: 0x10_0000, alignment: 0x20_0000, fixedAddress: 0x4010_0000)])) { e in
            XCTAssertEqual("\(e)", "xen [0x40100000, 0x40200000) overlaps secure-monitor [0x40000000, 0x40200000)")
        }
        XCTAssertThrowsError(try MemoryPlan.make(ram: ram, reserved: [], items: [LoadItem(name: "xen", size: 0x1000, alignment: 0x1000, fixedAddress: 0x1000)])) { e in
            XCTAssertTrue("\(e)".contains("not inside RAM"), "\(e)")
        }
        XCTAssertThrowsError(try MemoryPlan.make(ram: ram, reserved: [], items: [LoadItem(name: "dtb", size: 0x30_0000, alignment: 8, maxSize: 0x20_0000)])) { e in
            XCTAssertTrue("\(e)".contains("over its limit"), "\(e)")
        }
        let bad = MemoryPlan(ram: ram, reserved: [MemoryRange(name: "a", base: 0x4000_0000, size: 0x1000)],
                             placed: [MemoryRange(name: "b", base: 0x4000_0800, size: 0x1000)])
        XCTAssertThrowsError(try bad.verify()) { e in XCTAssertTrue("\(e)".contains("a [") && "\(e)".contains("b [")) }
    }

    func testSkipsIntoTheNextBank() throws {
        let banks = [MemoryRange(name: "low", base: 0x8000_0000, size: 0x100_0000), MemoryRange(name: "high", base: 0x8_8000_0000, size: 0x4000_0000)]
        let plan = try MemoryPlan.make(ram: banks, reserved: [], items: [LoadItem(name: "big", size: 0x200_0000, alignment: 0x20_0000)])
        XCTAssertEqual(plan.placed.first?.base, 0x8_8000_0000)
    }
}
