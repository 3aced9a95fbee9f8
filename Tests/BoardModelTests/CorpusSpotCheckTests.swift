import BoardModel
import UARTDrivers
import XenArm
import DeviceTree
import Foundation
import TestSupport
import XCTest

/// Ten varied real boards: what `inspect` says, checked against facts read from the DTS (dtc) by hand and, where
/// a tool can say it independently, against `fdtget`. QEMU virt's tree comes from QEMU itself (`dumpdtb`).
final class CorpusSpotCheckTests: XCTestCase {
    struct Expect {
        let file: String
        let consolePath: String
        let base: UInt64
        let verdict: ConsoleVerdict
        let driver: String?
        let cpus: Int
        let gic: Int
        let platform: String?
        let ready: Bool
        let blocker: FindingCode?
    }

    static let boards: [Expect] = [
        Expect(file: "vexpress-v2p-ca15-tc1.dtb", consolePath: "/bus@8000000/motherboard-bus@8000000/iofpga-bus@300000000/serial@90000",
               base: 0x1c09_0000, verdict: .supported, driver: "pl011", cpus: 2, gic: 2, platform: "VERSATILE EXPRESS", ready: true, blocker: nil),
        Expect(file: "broadcom/bcm2711-rpi-4-b.dtb", consolePath: "/soc/serial@7e215040", base: 0xfe21_5040, verdict: .supported,
               driver: "ns16550", cpus: 4, gic: 2, platform: "Raspberry Pi 4", ready: true, blocker: nil),
        Expect(file: "xilinx/zynqmp-zcu102-rev1.0.dtb", consolePath: "/axi/serial@ff000000", base: 0xff00_0000, verdict: .supported,
               driver: "cadence", cpus: 4, gic: 2, platform: "Xilinx ZynqMP", ready: true, blocker: nil),
        Expect(file: "arm/juno-r2.dtb", consolePath: "/serial@7ff80000", base: 0x7ff8_0000, verdict: .supported, driver: "pl011",
               cpus: 6, gic: 2, platform: nil, ready: true, blocker: nil),
        Expect(file: "freescale/imx8mq-evk.dtb", consolePath: "/soc@0/bus@30800000/serial@30860000", base: 0x3086_0000,
               verdict: .generatedDriver, driver: nil, cpus: 4, gic: 3, platform: nil, ready: true, blocker: nil),
        Expect(file: "rockchip/rk3399-rock-pi-4b.dtb", consolePath: "/serial@ff1a0000", base: 0xff1a_0000, verdict: .supported,
               driver: "ns16550", cpus: 6, gic: 3, platform: nil, ready: true, blocker: nil),
        Expect(file: "allwinner/sun50i-a64-pine64-plus.dtb", consolePath: "/soc/serial@1c28000", base: 0x01c2_8000, verdict: .supported,
               driver: "ns16550", cpus: 4, gic: 2, platform: "Allwinner ARMv8", ready: true, blocker: nil),
        Expect(file: "renesas/r8a774a1-hihope-rzg2m.dtb", consolePath: "/soc/serial@e6e88000", base: 0xe6e8_8000, verdict: .supported,
               driver: "scif", cpus: 6, gic: 2, platform: nil, ready: true, blocker: nil),
        Expect(file: "nvidia/tegra210-p3450-0000.dtb", consolePath: "/serial@70006000", base: 0x7000_6000, verdict: .compatibleAdded,
               driver: nil, cpus: 4, gic: 2, platform: nil, ready: true, blocker: nil),
    ]

    func corpusFile(_ name: String) throws -> String { try TestInputs.corpusFile(name) }

    func check(_ e: Expect, path: String) throws {
        let tree = try DTBDecoder.decode([UInt8](Data(contentsOf: URL(fileURLWithPath: path))))
        let r = BoardModel(tree: tree, file: path)
        let name = e.file
        XCTAssertEqual(r.console.path, e.consolePath, name)
        XCTAssertEqual(r.console.baseAddress, e.base, name)
        XCTAssertEqual(r.console.verdict, e.verdict, name)
        XCTAssertEqual(r.console.xenDriver, e.driver, name)
        XCTAssertEqual(r.cpus.count, e.cpus, name)
        XCTAssertEqual(r.gic.version, e.gic, name)
        XCTAssertEqual(r.platform?.name, e.platform, name)
        XCTAssertEqual(r.ready, e.ready, "\(name): \(r.blockers)")
        if let b = e.blocker { XCTAssertTrue(r.blockers.contains { $0.code == b }, "\(name): \(r.blockers)") }

        // Independent reads with fdtget: the CPU nodes and stdout-path.
        let cpuNodes = String(decoding: try runTool("fdtget", ["-l", path, "/cpus"]), as: UTF8.self)
            .split(separator: "\n").filter { $0.hasPrefix("cpu@") }
        XCTAssertEqual(r.cpus.count, cpuNodes.count, "\(name): cpu@ nodes per fdtget")
        if let stdout = try? runTool("fdtget", [path, "/chosen", "stdout-path"]) {
            let target = String(decoding: stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
                .split(separator: ":").first.map(String.init) ?? ""
            let resolved = target.hasPrefix("/") ? target
                : String(decoding: try runTool("fdtget", [path, "/aliases", target]), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            XCTAssertEqual(tree.node(at: resolved)?.path, e.consolePath, "\(name): stdout-path per fdtget")
            XCTAssertEqual(r.console.source, .stdoutPath, name)
        }
    }

    func testNineCorpusBoards() throws {
        for e in Self.boards { try check(e, path: corpusFile(e.file)) }
    }

    /// The tenth board: QEMU's own virt machine (GICv3, 2 CPUs), as QEMU describes it.
    func testQEMUVirtFromDumpdtb() throws {
        try requireTool("qemu-system-aarch64")
        let path = NSTemporaryDirectory() + "virt-\(getpid()).dtb"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try runTool("qemu-system-aarch64", ["-machine", "virt,gic-version=3,virtualization=on,dumpdtb=\(path)", "-cpu", "cortex-a57",
                                            "-smp", "2", "-m", "2048", "-nographic", "-nic", "none"])
        try check(Expect(file: "qemu virt", consolePath: "/pl011@9000000", base: 0x900_0000, verdict: .supported, driver: "pl011",
                         cpus: 2, gic: 3, platform: nil, ready: true, blocker: nil), path: path)
    }

    /// Every corpus tree gets a complete model and report (no crash), each supported console is one a catalogued
    /// driver takes and names a node of the tree, and the summary counts what the models say.
    func testWholeCorpusSummary() throws {
        var rows: [InspectionSummary.Row] = []
        var noConsole = 0
        for root in try TestInputs.corpusRoots() {
            for f in FileManager.default.enumerator(atPath: root)?.compactMap({ $0 as? String }) ?? [] where f.hasSuffix(".dtb") {
                let tree = try DTBDecoder.decode([UInt8](Data(contentsOf: URL(fileURLWithPath: "\(root)/\(f)"))))
                let m = BoardModel(tree: tree, file: f)
                XCTAssertNoThrow(try JSONEncoder().encode(BoardReport(m)), f)
                if let path = m.console.path { XCTAssertNotNil(tree.node(at: path), "\(f): console \(path)") } else { noConsole += 1 }
                if m.console.verdict == .supported {
                    let driver = try XCTUnwrap(m.console.driver, f)
                    XCTAssertTrue(m.console.compatible.contains(where: driver.compatibles.contains), "\(f): \(driver.name)")
                }
                rows.append(InspectionSummary.Row(m))
            }
        }
        XCTAssertGreaterThan(rows.count, 1400)
        let s = InspectionSummary(rows: rows, unreadable: 0)
        XCTAssertGreaterThan(s.ready, 100)
        XCTAssertLessThan(s.ready, s.boards)
        let consoleNone = s.blockers.first { $0.code == FindingCode.consoleNone.rawValue }?.boards ?? 0
        XCTAssertEqual(consoleNone, noConsole, "boards without a console UART")
        print(s.text)
    }
}
