import Foundation
import Infrastructure
import TestSupport
import XCTest

/// Generated Xen code compiles against Xen 4.17's real source: every board's `gen` output, and every hook kind of the
/// golden files (so no generator path emits C that does not build).
final class GeneratedCodeCompileTests: XCTestCase {
    var work: URL!
    static let repo = XenBoardCLI.repository

    override func setUpWithError() throws {
        work = FileManager.default.temporaryDirectory.appendingPathComponent("xb-gencc-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        try requireFiles(["aarch64-linux-gnu-gcc", "arm-linux-gnueabihf-gcc", "qemu-system-aarch64"].map { "/usr/bin/" + $0 })
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: work) }

    func xb(_ args: [String]) throws -> ProcessResult { try XenBoardCLI.run(args, in: work) }

    func testEveryBoardsGeneratedOutputCompiles() throws {
        let boards = try FileManager.default.contentsOfDirectory(atPath: Self.repo.appendingPathComponent("boards").path)
            .filter { $0.hasSuffix(".toml") }.map { String($0.dropLast(5)) }.sorted()
        XCTAssertGreaterThanOrEqual(boards.count, 12)
        var withPlatformFile: [String] = []
        for board in boards {
            let out = work.appendingPathComponent(board).path
            let build = try xb(["build", board, "--out", out])
            XCTAssertEqual(build.status, 0, "\(board) build: \(build.stderr.suffix(2000))")
            // Beside the build's output, not inside it: a board built with `image = "source"` has its own gen/ there.
            let genOut = work.appendingPathComponent(board + "-gen").path
            let gen = try xb(["gen", board, "--dtb", out + "/board.dtb", "--out", genOut])
            XCTAssertEqual(gen.status, 0, "\(board) gen: \(gen.stderr)")
            guard gen.status == 0 else { continue }
            if gen.stdout.contains("platform \"") { withPlatformFile.append(board) }
            if board == "jetson-nano" {
                // The Tegra console: ns16550.c gets the Tegra compatibles (variant tegra-ns16550), compiled below.
                let marker = try? String(contentsOfFile: genOut + "/xen-board-uart-variant.txt", encoding: .utf8)
                XCTAssertEqual(marker, "tegra-ns16550\n", "jetson-nano gen names the Tegra variant")
            }
            let cc = try xb(["xen", board, "--files", genOut, "--compile-check"])
            XCTAssertEqual(cc.status, 0, "\(board) compile check: \(cc.stderr.suffix(3000))")
            // `xen` says which version and which Debian release and suite its source came from, e.g. "vexpress: Xen
            // 4.17 source 4.17.5+72-g01140da4e8-1 from Debian 12 (bookworm) bookworm": the source is of that version.
            let sourceLine = try NSRegularExpression(pattern: "^\\Q\(board)\\E: Xen (4\\.[0-9]+) source \\1\\.[^ ]+ from Debian 1[0-9] \\([a-z]+\\) [a-z]", options: .anchorsMatchLines)
            XCTAssertNotNil(sourceLine.firstMatch(in: cc.stdout, range: NSRange(cc.stdout.startIndex..., in: cc.stdout)), "\(board): \(cc.stdout)")
            if board == "jetson-nano" { XCTAssertTrue(cc.stdout.contains("xen/drivers/char/ns16550.o"), cc.stdout) }
        }
        XCTAssertTrue(withPlatformFile.contains("vexpress"), "vexpress needs a platform file (no PSCI): \(withPlatformFile)")
        XCTAssertFalse(withPlatformFile.contains("qemu-virt-arm64"), "PSCI + PL011: generic code suffices")
        print("boards with a generated platform file: \(withPlatformFile)")
    }

    func testEveryGoldenHookKindCompiles() throws {
        let golden = Self.repo.appendingPathComponent("Tests/PlatformGenTests/Golden")
        for (file, arch, board) in [("mailbox-sgi.c", "arm32", "vexpress"), ("mailbox-sev.c", "arm32", "vexpress"),
                                    ("spin-table.c", "arm32", "vexpress"), ("hooks.c", "arm64", "qemu-virt-arm64"),
                                    ("powered-bit-sev.c", "arm32", "vexpress"), ("powered-core-sgi-smc.c", "arm32", "vexpress"),
                                    ("powered-reset-sev.c", "arm32", "vexpress")] {
            let dir = work.appendingPathComponent("g-" + file)
            let dest = dir.appendingPathComponent("xen/arch/arm/platforms/" + file)
            try FileManager.default.createDirectory(at: dest.deletingLastPathComponent(), withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: golden.appendingPathComponent(file), to: dest)
            let cc = try xb(["xen", board, "--arch", arch, "--files", dir.path, "--compile-check"])
            XCTAssertEqual(cc.status, 0, "\(file) (\(arch)): \(cc.stderr.suffix(3000))")
        }
    }
}
