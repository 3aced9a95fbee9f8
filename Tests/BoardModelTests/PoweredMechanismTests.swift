import BoardModel
import DeviceTree
import Foundation
import SoCMechanisms
import TestSupport
import XCTest
import XenArm

/// The power-controller start-up mechanisms (RK3288, Exynos 5420/5800) recognised in real corpus trees: which
/// catalog entry, at which node, and the physical registers derived from the tree's `reg` and `ranges` (values read
/// from the DTS by hand with dtc: RK3288 SRAM 0xff700000 and PMU 0xff730000; Exynos SYSRAM 0x02020000 with the
/// non-secure part at +0x53000, PMU 0x10040000).
final class PoweredMechanismTests: XCTestCase {
    struct NotRecognised: Error {}

    func model(_ name: String) throws -> BoardModel {
        let path = try TestInputs.corpusFile(name)
        let tree = try DTBDecoder.decode([UInt8](Data(contentsOf: URL(fileURLWithPath: path))))
        return BoardModel(tree: tree, file: path, arch: .arm32, version: .v4_17)
    }

    func powered(_ m: BoardModel, file: StaticString = #filePath, line: UInt = #line) throws -> PoweredStart {
        guard case .powered(let p)? = m.mechanisms.smp?.value else {
            XCTFail("no power-controller start recognised: \(String(describing: m.mechanisms.smp))", file: file, line: line)
            throw NotRecognised()
        }
        return p
    }

    func testRK3288PMUAndSRAMMailbox() throws {
        let m = try model("rk3288-firefly.dtb")
        let p = try powered(m)
        XCTAssertEqual(m.mechanisms.smp?.nodePath, "/sram@ff700000/smp-sram@0")
        XCTAssertEqual(p.powerControl, 0xff73_0008)
        XCTAssertEqual(p.powerStatus, 0xff73_000c)
        XCTAssertEqual(p.layout, .bitPerCoreSetIsOff)
        XCTAssertEqual(p.writes, [.init(address: 0xff70_0008, value: .entryPoint), .init(address: 0xff70_0004, value: .constant(0xDEAD_BEAF))])
        XCTAssertTrue(p.perCore)
        XCTAssertEqual(p.wake, .sev)
        XCTAssertNil(p.firmwareCall)
        XCTAssertTrue(m.mechanisms.smp?.source.contains("mach-rockchip/platsmp.c") == true)
        XCTAssertEqual(m.cpus.filter(\.isGenerated).count, 3)
        // Reset: the CRU (0xff760000) global soft reset register, as Linux's rockchip_restart_notify writes it.
        XCTAssertEqual(m.mechanisms.reset?.value, [PhysicalWrite(address: 0xff76_01b0, value: 0xfdb9)])
        XCTAssertFalse(m.blockers.contains { $0.code == .cpuNoBringup })
    }

    /// RK3036: no PMU; the core's reset in the CRU (0x20000000, CRU_SOFTRST_CON0 at +0x110), SRAM at 0x10080000.
    func testRK3036CRUResetAndSRAMMailbox() throws {
        let m = try model("rk3036-evb.dtb")
        let p = try powered(m)
        XCTAssertEqual(m.mechanisms.smp?.name, "RK3036 CRU core reset + boot-ROM SRAM mailbox")
        XCTAssertEqual(p.layout, .hiwordResetPerCore)
        XCTAssertEqual(p.powerControl, 0x2000_0110)
        XCTAssertEqual(p.writes.map(\.address), [0x1008_0008, 0x1008_0004])
        XCTAssertEqual(p.cores, 2)
        XCTAssertEqual(m.mechanisms.reset?.value, [PhysicalWrite(address: 0x2000_0100, value: 0xfdb9)])
        XCTAssertFalse(m.blockers.contains { $0.code == .cpuNoBringup })
    }

    func testExynos5422UnderSecureFirmwareUsesNonSecureSYSRAMAndTheSMC() throws {
        let m = try model("exynos5422-odroidxu4.dtb")
        let p = try powered(m)
        XCTAssertEqual(m.mechanisms.smp?.nodePath, "/soc/sram@2020000/smp-sram@53000")
        XCTAssertEqual(p.writes, [.init(address: 0x0207_301c, value: .entryPoint)])
        XCTAssertFalse(p.perCore, "one boot address for every core, written in smp_init")
        XCTAssertEqual(p.firmwareCall, 0xFFFF_FFFC, "SMC_CMD_CPU1BOOT (-4)")
        XCTAssertEqual(p.powerControl, 0x1004_2000)
        XCTAssertEqual(p.powerStatus, 0x1004_2004)
        XCTAssertEqual(p.layout, .registerPerCore(stride: 0x80, value: 0x3))
        XCTAssertEqual(p.coresPerCluster, 4)
        XCTAssertEqual(p.wake, .sgi)
    }

    func testExynos5420WithoutSecureFirmwareUsesSYSRAMPlus4() throws {
        let m = try model("exynos5420-peach-pit.dtb")
        let p = try powered(m)
        XCTAssertEqual(m.mechanisms.smp?.nodePath, "/soc/sram@2020000/smp-sram@0")
        XCTAssertEqual(p.writes, [.init(address: 0x0202_0004, value: .entryPoint)])
        XCTAssertNil(p.firmwareCall)
    }

    /// The Exynos 5410 and 5250 have Xen's own exynos5 platform: the 5420 entries (root-compatible bound) stay out.
    func testExynos5410KeepsXensOwnPlatform() throws {
        let m = try model("exynos5410-odroidxu.dtb")
        XCTAssertNil(m.mechanisms.smp)
        XCTAssertEqual(m.platform?.name, "SAMSUNG EXYNOS5")
    }
}
