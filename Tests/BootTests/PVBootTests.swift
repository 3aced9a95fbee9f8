import Foundation
import ImageComposer
import Infrastructure
import TestSupport
import XCTest

/// `boards/qemu-virt-arm64-pv.toml` booted under QEMU: the toolstack Dom0 creates xenbr0, attaches the dom0less
/// guest's vif and disk with `xl network-attach` / `xl block-attach` after init-dom0less; the guest's eth0 is driven
/// by xen-netfront, pings Dom0's bridge address with replies, and reads back the served file from xvda
/// (xen-blkfront); the `[[guest]]` Dom0 starts with `xl create` gets its own vif and pings too. Bad PV input fails at
/// `build` with file:line and writes nothing.
final class PVBootTests: XCTestCase {
    static let board = "qemu-virt-arm64-pv"
    static let tools = ["/usr/bin/qemu-system-aarch64", "/usr/bin/mkimage", "/usr/lib/u-boot/qemu_arm64/u-boot.bin"]

    func testQEMUVirtArm64PVDevices() throws {
        try requireFiles(Self.tools)
        try requireTool("depmod")
        let work = try BoardBoot.workFolder("xb-pv")
        defer { try? FileManager.default.removeItem(at: work) }
        // Dom0's toolstack comes up in 1-2 minutes under load; the guest waits up to 300 s for its devices.
        guard let run = try BoardBoot.run(Self.board, in: work, timeout: 600) else { return }
        let (console, tail) = (run.console, run.tail(80))
        // Xen 4.17 prints the dom0less guest's console as "(XEN) DOM1: ..." lines.
        // A serial log ends lines in "\r\n", one Character in Swift.
        let guest = BootReport.parse(console.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" }).compactMap { line in
            line.range(of: "(XEN) DOM1: ").map { String(line[$0.upperBound...]) }
        }.joined(separator: "\n"))
        XCTAssertEqual(guest?.value("net_eth0_module"), "xen_netfront", tail)
        XCTAssertEqual(guest?.value("net_eth0_address"), "192.168.100.2/24", tail)
        XCTAssertGreaterThan(guest?.ping?.replies ?? 0, 0, "pings to 192.168.100.1 answered\n\(tail)")
        let served = try Data(contentsOf: XenBoardCLI.repository.appendingPathComponent("boards/disks/pv-data.txt"))
        XCTAssertEqual(guest?.value("disk_xvda_sha256"), try SHA256.hex([UInt8](served)), "xvda reads back the file blkback serves\n\(tail)")
        // The [[guest]] Dom0 starts with xl create: xl attached its vif, its report (relayed by Dom0) shows it working.
        let xl = XLGuestConsole.split(console)["xlnet"].flatMap { BootReport.parse($0) }
        XCTAssertEqual(xl?.value("net_eth0_module"), "xen_netfront", tail)
        XCTAssertEqual(xl?.value("net_eth0_address"), "192.168.100.3/24", tail)
        XCTAssertGreaterThan(xl?.ping?.replies ?? 0, 0, "the xl guest's pings answered\n\(tail)")
        run.printTime(Self.board)
    }

    /// A disk target that does not exist, is too small or is a directory, a driver-domain backend (not built yet), a
    /// vif on a bridge nobody creates, a backend naming no domain: `build` names the line and
    /// leaves no output directory.
    func testBadPVInputFailsAtBuildAndWritesNothing() throws {
        try requireFiles(Self.tools)
        try requireTool("depmod")
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("xb-pv-bad-\(UUID().uuidString)")
        let boards = work.appendingPathComponent("boards")
        try FileManager.default.createDirectory(at: boards, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let text = try String(contentsOf: XenBoardCLI.repository.appendingPathComponent("boards/\(Self.board).toml"), encoding: .utf8)
        let diskLine = try XCTUnwrap(text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.hasPrefix("disk = ") }) + 1
        let cases = [
            ("missing-disk", text, "\(diskLine): disk xvda target \(boards.path)/disks/pv-data.txt does not exist"),
            ("driver-domain", text.replacingOccurrences(of: "target=disks/", with: "backend=pv,target=/dev/null/")
                .replacingOccurrences(of: "access=ro,", with: ""), "\(diskLine): disk xvda backend=pv: driver domains are not built yet"),
            ("no-bridge", text.replacingOccurrences(of: "bridge=xenbr0,", with: "bridge=xenbr9,"), "vif on bridge 'xenbr9' of Domain-0: no [[bridge]] creates it"),
            ("bridge-in-domu", text.replacingOccurrences(of: "\n[[domu]]", with: "\n[[bridge]]\nname = \"xenbr1\"\naddress = \"192.168.101.1/24\"\ndomain = \"pv\"\n\n[[domu]]"),
             "[[bridge]] xenbr1 domain=pv: driver domains are not built yet"),
            ("no-backend", text.replacingOccurrences(of: "bridge=xenbr0,", with: "backend=netdom,bridge=xenbr0,"), "vif backend 'netdom' names no domain"),
            ("tiny-disk", text.replacingOccurrences(of: "target=disks/pv-data.txt", with: "target=tiny.img"),
             "\(diskLine): disk xvda target \(boards.path)/tiny.img has 100 bytes; 512 bytes to 64 MiB are served"),
            ("directory-disk", text.replacingOccurrences(of: "target=disks/pv-data.txt", with: "target=."),
             "\(diskLine): disk xvda target \(boards.path) is not a regular file"),
        ]
        try Data(repeating: 0x5a, count: 100).write(to: boards.appendingPathComponent("tiny.img"))
        for (name, board, expected) in cases {
            try board.write(to: boards.appendingPathComponent("\(name).toml"), atomically: true, encoding: .utf8)
            let out = work.appendingPathComponent("out-\(name)")
            let build = try XenBoardCLI.run(["build", name, "--out", out.path], in: work, environment: ["XEN_BOARD_BOARDS": boards.path])
            XCTAssertNotEqual(build.status, 0, name)
            XCTAssertTrue(build.stderr.contains("\(name).toml:") && build.stderr.contains(expected), "\(name): \(build.stderr)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: out.path), "\(name): nothing written")
        }
    }
}
