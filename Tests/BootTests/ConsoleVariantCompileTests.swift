import Foundation
import Infrastructure
import TestSupport
import XCTest

/// Real corpus boards whose console is a register-compatible variant (Tegra: the jetson-nano board in
/// GeneratedCodeCompileTests): `inspect` says `compatible-added`, `gen`
/// writes the variant's marker, fragment and patch, and `xen --files --compile-check` applies the variant to Debian's
/// Xen 4.17 source and compiles the patched driver (its fragment line proves the Kconfig change took: on arm64,
/// `CONFIG_HAS_OMAP=y` survives `olddefconfig` only with HAS_OMAP widened).
final class ConsoleVariantCompileTests: XCTestCase {
    var work: URL!

    override func setUpWithError() throws {
        work = FileManager.default.temporaryDirectory.appendingPathComponent("xb-variant-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        for tool in ["aarch64-linux-gnu-gcc", "arm-linux-gnueabihf-gcc"] { try requireTool(tool) }
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: work) }

    func xb(_ args: [String]) throws -> ProcessResult { try XenBoardCLI.run(args, in: work) }

    func corpusDTB(_ name: String) throws -> String {
        let dir = ProcessInfo.processInfo.environment["XEN_BOARD_CORPUS"] ?? (NSHomeDirectory() + "/.cache/xen-board/dtbs/corpus")
        for pkg in (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [] where FileManager.default.fileExists(atPath: "\(dir)/\(pkg)/\(name)") {
            return "\(dir)/\(pkg)/\(name)"
        }
        try missing("\(name) in the DTB corpus at \(dir) (scripts/fetch-corpus.sh)")
    }

    /// A board file for a corpus DTB, gen, then the compile check; returns gen's output directory.
    @discardableResult
    func check(_ dtbName: String, arch: String, variant: String, driver: String, kconfig: String) throws -> URL {
        let dtb = try corpusDTB(dtbName)
        let board = work.appendingPathComponent("\(variant).toml")
        try Data("description = \"\(dtbName)\"\narch = \"\(arch)\"\nstatus = \"build-only\"\n[dtb]\npath = \"\(dtb)\"\n[xen]\nversion = \"4.17\"\n".utf8).write(to: board)
        let inspect = try xb(["inspect", dtb, "--arch", arch, "--xen-version", "4.17", "--json"])
        XCTAssertEqual(inspect.status, 0, inspect.stderr)
        let j = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(inspect.stdout.utf8)) as? [String: Any])
        let console = try XCTUnwrap(j["console"] as? [String: Any])
        XCTAssertEqual(console["verdict"] as? String, "compatible-added", dtbName)
        XCTAssertEqual(console["variant"] as? String, variant, dtbName)
        XCTAssertEqual(j["ready"] as? Bool, true, "\(dtbName): \(j["blockers"] ?? "")")
        let early = console["earlyPrintk"] as? [String] ?? []
        let gen = work.appendingPathComponent("gen-\(variant)")
        let g = try xb(["gen", board.path, "--dtb", dtb, "--out", gen.path])
        XCTAssertEqual(g.status, 0, "\(dtbName) gen: \(g.stderr)")
        let marker = try String(contentsOf: gen.appendingPathComponent("xen-board-uart-variant.txt"), encoding: .utf8)
        XCTAssertEqual(marker, variant + "\n")
        let fragment = try String(contentsOf: gen.appendingPathComponent("xen/arch/arm/configs/xen-board.fragment"), encoding: .utf8)
        XCTAssertTrue(fragment.contains("CONFIG_\(kconfig)=y\n"), fragment)
        for line in early { XCTAssertTrue(fragment.contains(line + "\n"), "\(dtbName): inspect's early printk \(line) in the fragment") }
        let patch = try String(contentsOf: gen.appendingPathComponent("xen-board.patch"), encoding: .utf8)
        XCTAssertTrue(patch.contains("+++ b/xen/drivers/char/\(driver)"), "\(dtbName): the patch carries the dt_match edit")
        let cc = try xb(["xen", board.path, "--files", gen.path, "--compile-check"])
        XCTAssertEqual(cc.status, 0, "\(dtbName) compile check: \(cc.stderr.suffix(3000))")
        XCTAssertTrue(cc.stdout.contains("compiled ") && cc.stdout.contains("xen/drivers/char/\(driver.dropLast(2)).o"), cc.stdout)
        return gen
    }

    func testTIK3ConsoleOnArm64() throws {
        let gen = try check("ti/k3-am654-base-board.dtb", arch: "arm64", variant: "ti-k3-omap", driver: "omap-uart.c", kconfig: "HAS_OMAP")
        let patch = try String(contentsOf: gen.appendingPathComponent("xen-board.patch"), encoding: .utf8)
        XCTAssertTrue(patch.contains("-\tdepends on ARM_32\n+\tdepends on ARM\n"), "HAS_OMAP widened: \(patch)")
        XCTAssertTrue(patch.contains("+    DT_MATCH_COMPATIBLE(\"ti,am654-uart\"),"), patch)
    }

    /// gen's patch edits the driver's match table even when the cache holds no Xen source yet (it obtains the
    /// board's version's source itself): from an empty cache it used to write only the new files, so the same gen
    /// gave a different patch depending on what an earlier command had cached.
    func testVariantPatchFromAnEmptyCacheEditsTheDriver() throws {
        let dtb = try corpusDTB("freescale/imx8qxp-mek.dtb")
        let board = work.appendingPathComponent("lpuart.toml")
        try Data("description = \"lpuart\"\narch = \"arm64\"\nstatus = \"build-only\"\n[dtb]\npath = \"\(dtb)\"\n[xen]\nversion = \"4.17\"\n".utf8).write(to: board)
        let empty = work.appendingPathComponent("empty-cache")
        let gen = work.appendingPathComponent("gen")
        let g = try XenBoardCLI.run(["gen", board.path, "--dtb", dtb, "--out", gen.path], in: work, environment: ["XEN_BOARD_CACHE": empty.path])
        XCTAssertEqual(g.status, 0, g.stderr.suffix(2000).description)
        let patch = try String(contentsOf: gen.appendingPathComponent("xen-board.patch"), encoding: .utf8)
        XCTAssertTrue(patch.contains("+++ b/xen/drivers/char/imx-lpuart.c"), patch)
        XCTAssertTrue(patch.contains("+    DT_MATCH_COMPATIBLE(\"fsl,imx8qxp-lpuart\"),"), patch)
    }

    func testLPUARTVariantOnArm64() throws {
        try check("freescale/imx8qxp-mek.dtb", arch: "arm64", variant: "imx-lpuart-variants", driver: "imx-lpuart.c", kconfig: "HAS_IMX_LPUART")
    }
}
