import Foundation
import Infrastructure
import TestSupport
import XCTest

/// A dom0less key only a newer Xen accepts, booted with Debian 13's prebuilt Xen 4.20 (issue 14, scope 5):
/// `[[domu]] max-grant-frames` (Xen 4.18's per-domain `max_grant_frames`) is written into the DomU node and the
/// guest boots to its report; the same board on 4.17 is refused when read (BoardVersionKeyTests).
final class Xen420DomUBootTests: XCTestCase {
    var work: URL!

    override func setUpWithError() throws {
        work = FileManager.default.temporaryDirectory.appendingPathComponent("xb-420domu-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        try requireFiles(["/usr/bin/qemu-system-aarch64", "/usr/bin/mkimage", "/usr/lib/u-boot/qemu_arm64/u-boot.bin"])
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: work) }

    func xb(_ args: [String], env: [String: String]) throws -> ProcessResult { try XenBoardCLI.run(args, in: work, environment: env) }

    func testDebian13Xen420DomUWithMaxGrantFrames() throws {
        let boards = work.appendingPathComponent("boards")
        try FileManager.default.createDirectory(at: boards, withIntermediateDirectories: true)
        var text = try String(contentsOf: XenBoardCLI.repository.appendingPathComponent("boards/qemu-virt-arm64.toml"), encoding: .utf8)
        text = text.replacingOccurrences(of: "[qemu]", with: "[[domu]]\nname = \"grants\"\nmemory = \"128M\"\nmax-grant-frames = 128\n\n[qemu]")
        try text.write(to: boards.appendingPathComponent("grants.toml"), atomically: true, encoding: .utf8)
        let env = ["XEN_BOARD_BOARDS": boards.path]
        let out = work.appendingPathComponent("grants").path
        let build = try xb(["build", "grants", "--out", out, "--xen-version", "4.20"], env: env)
        XCTAssertEqual(build.status, 0, build.stderr.suffix(3000).description)
        guard build.status == 0 else { return }
        let prop = try xb(["dt", "get", out + "/board.dtb", "/chosen/domU-grants", "max_grant_frames", "-t", "u32"], env: env)
        XCTAssertEqual(prop.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "0x80", prop.stderr)
        let boot = try xb(["boot", "grants", "--out", out, "--timeout", "300", "--xen-version", "4.20"], env: env)
        let console = (try? String(contentsOfFile: out + "/console.log", encoding: .utf8)) ?? ""
        let tail = console.split(whereSeparator: \.isNewline).suffix(40).joined(separator: "\n")
        XCTAssertEqual(boot.status, 0, "\(boot.stderr)\n--- console tail ---\n\(tail)")
        XCTAssertTrue(console.contains("Xen version 4.20."), tail)
        XCTAssertTrue(console.contains("(XEN) DOM1: XEN-BOARD-REPORT-END"), "the DomU's report:\n\(tail)")
        print("grants: \(boot.stdout.split(separator: "\n").last ?? "")")
    }
}
