import BoardBringUp
import BoardBuild
import BoardFile
import Foundation
import XCTest

/// `new` from Debian's kernel DTBs (fetched into the cache when missing), read back with the board-file parser and
/// built (`xen-board build` image composition), and the AST2600: console from bootargs, generated boot pen and reset.
final class NewBoardBuildTests: XCTestCase {
    var root = URL(fileURLWithPath: "/")
    var boards: String { root.appendingPathComponent("boards").path }

    override func setUpWithError() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("xb-newbuild-\(getpid())-\(name.hashValue)")
        try? FileManager.default.removeItem(at: root)
        try FileManager.default.createDirectory(at: root.appendingPathComponent("boards"), withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: root) }

    func testVexpressFromTheKernelDTBBuilds() throws {
        let q = NewBoardPlan.QEMU(machine: "vexpress-a15,secure=off,virtualization=on", cpu: nil, smp: 0, memoryMiB: 1024)
        let r = try NewBoard.create(.init(name: "vx", dtb: .kernelPackage("vexpress-v2p-ca15-tc1.dtb"), arch: .arm32, qemu: q, boards: boards)) { _ in }
        let board = try BoardCatalog(directory: boards).load("vx")
        XCTAssertEqual(board.dtb, .kernelPackage("vexpress-v2p-ca15-tc1.dtb"))
        XCTAssertEqual(board.arch, .arm32)
        XCTAssertEqual(board.xen, .debian, "Xen 4.17's vexpress platform and PL011 suffice: \(r.plan.generated)")
        XCTAssertEqual(board.qemu?.smp, 2)
        let out = root.appendingPathComponent("out").path
        let manifest = try Builder.build(board, options: .init(outDirectory: out)) { _ in }
        XCTAssertEqual(manifest.modules.map(\.name), ["kernel", "initrd"], "Dom0 kernel and initrd loaded beside Xen")
        for f in ["xen", "kernel", "initrd", "board.dtb", "run-qemu.sh", "manifest.json"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: out + "/" + f), f)
        }
    }

    func testAST2600ConsoleFromBootargsAndGeneratedMechanisms() throws {
        let q = NewBoardPlan.QEMU(machine: "ast2600-evb", cpu: nil, smp: 2, memoryMiB: 1024)
        let r = try NewBoard.create(.init(name: "ast", dtb: .kernelPackage("aspeed-ast2600-evb.dtb"), arch: .arm32, qemu: q, boards: boards)) { _ in }
        let text = try String(contentsOfFile: r.file, encoding: .utf8)
        let board = try BoardCatalog(directory: boards).load("ast")
        XCTAssertEqual(board.console, "serial4", "the DTB has no stdout-path; its bootargs say console=ttyS4")
        XCTAssertTrue(board.xenFromSource, "the generated cpu_up needs Xen from source")
        XCTAssertEqual(board.qemu?.boot, .direct)
        let flat = text.replacingOccurrences(of: "\n#     ", with: " ")
        XCTAssertTrue(flat.contains("secondary CPUs (generated boot pen): AST2600 boot-ROM pen"), text)
        XCTAssertTrue(flat.contains("reset: AST2600 watchdog 1 at"), text)
        XCTAssertTrue(flat.contains("no power-off hook: the AST2600 has no power-off mechanism"), text)
        XCTAssertTrue(text.contains("platform file xb-ast.c"), text)
        XCTAssertTrue(r.plan.open.allSatisfy { !$0.what.contains("cpu-no-bringup") }, "\(r.plan.open)")
    }
}
