import Foundation
import Infrastructure
import TestSupport
import XCTest

/// Truth check for `xen-board inspect`: boots Debian's real Xen 4.17 (hypervisor only, no Dom0) under QEMU with
/// `TruthBoot` (xen-board's QEMU command line for the board file's machine), then compares what Xen itself reported with what `inspect --json` predicts for the
/// exact device tree Xen was given.
///
/// Xen's evidence comes from two logs the boot writes:
/// - `console.log`: QEMU's UART0 on stdio, i.e. everything Xen printed once its dtuart console was up;
/// - `xen-dmesg.log`: Xen's console ring read back from guest RAM after the Dom0 panic (`xl dmesg`). A release Xen
///   has no early printk, so the lines printed before the console existed ("Platform: ...", "Looking for dtuart
///   at ...") only exist there.
///
/// Needs qemu-system-arm/-aarch64 and the Xen images of `xen-board fetch --xen-images` (plus, for vexpress, the DTB
/// corpus of `xen-board fetch --corpus`): a missing one goes through TestSupport's `missing` (a failure under CI).
/// XEN_BOARD_XEN / XEN_BOARD_CORPUS / XEN_BOARD_CACHE select them explicitly.
final class XenTruthTests: XCTestCase {
    struct Board {
        let name: String            // boards/NAME.toml
        let qemu: String
        let image: String           // xen-arm64 or xen-armhf (`xen-board fetch --xen-images`)
        let dtuart: String          // Xen's dtuart= (the UART QEMU connects to stdio)
        let corpusDTB: String?      // the tree given to Xen, or nil for QEMU's own
        let consoleBase: UInt64     // MMIO base of the UART QEMU connects to stdio (UART0)
    }

    static let vexpress = Board(name: "vexpress", qemu: "qemu-system-arm", image: "xen-armhf", dtuart: "serial0",
                                corpusDTB: "vexpress-v2p-ca15-tc1.dtb", consoleBase: 0x1c09_0000)
    static let virt = Board(name: "qemu-virt-arm64", qemu: "qemu-system-aarch64", image: "xen-arm64", dtuart: "/pl011@9000000",
                            corpusDTB: nil, consoleBase: 0x900_0000)

    /// Seconds QEMU may run for one truth boot (`XEN_TRUTH_TIMEOUT` overrides).
    static var bootTimeout: TimeInterval { ProcessInfo.processInfo.environment["XEN_TRUTH_TIMEOUT"].flatMap { TimeInterval($0) } ?? 120 }

    var binary: URL { XenBoardCLI.binary }
    var work: URL!

    override func setUpWithError() throws {
        work = FileManager.default.temporaryDirectory.appendingPathComponent("xb-truth-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        if (testRun?.totalFailureCount ?? 0) == 0 {
            try? FileManager.default.removeItem(at: work)
        } else {
            print("XenTruthTests: boot output kept in \(work.path)")
        }
    }

    func testVexpressMatchesXen() throws { try truthCheck(Self.vexpress) }
    func testQemuVirtArm64MatchesXen() throws { try truthCheck(Self.virt) }

    /// The log parser against lines captured from real boots (runs without QEMU).
    func testLogParserOnCapturedLines() throws {
        let console = """
        (XEN) Xen version 4.17.5 (Debian 4.17.5+72-g01140da4e8-1) (pkg-xen-devel@lists.alioth.debian.org) (arm-linux-gnueabihf-gcc (Debian 12.2.0-14+deb12u1) 12.2.0) debug=n Sat Nov 29 13:52:25 UTC 2025
        (XEN) GICv2 initialization:
        (XEN) GICv2: 160 lines, 2 cpus (IID 0000043b).
        (XEN) Bringing up CPU1
        (XEN) Brought up 2 CPUs
        (XEN) Panic on CPU 0:
        (XEN) Could not set up DOM0 guest OS
        """
        let dmesg = """
        (XEN) Booting using Device Tree
        (XEN) Platform: VERSATILE EXPRESS
        (XEN) Looking for dtuart at "serial0", options ""
        (XEN) Xen version 4.17.5 (Debian 4.17.5+72-g01140da4e8-1)
        """
        let log = XenLog(console: console, dmesg: dmesg)
        XCTAssertEqual(log.version, "4.17.5")
        XCTAssertEqual(log.broughtUp, 2)
        XCTAssertEqual(log.gicVersion, 2)
        XCTAssertEqual(log.platform, "VERSATILE EXPRESS")
        XCTAssertEqual(log.dtuart, "serial0")
        XCTAssertTrue(log.consoleCameUpAfterDtuart)
        XCTAssertTrue(log.dom0Panic)

        let virt = XenLog(console: "(XEN) Xen version 4.17.5 (Debian)\n(XEN) GICv3 initialization:\n(XEN) Brought up 2 CPUs\n",
                          dmesg: "(XEN) Platform: Generic System\n(XEN) Looking for dtuart at \"/pl011@9000000\", options \"\"\n(XEN) Xen version 4.17.5\n")
        XCTAssertEqual(virt.gicVersion, 3)
        XCTAssertEqual(virt.platform, "Generic System")
        XCTAssertEqual(virt.dtuart, "/pl011@9000000")

        let silent = XenLog(console: "qemu-system-arm: terminating on signal 15\n", dmesg: "")
        XCTAssertNil(silent.version)
        XCTAssertNil(silent.broughtUp)
        XCTAssertNil(silent.gicVersion)
        XCTAssertFalse(silent.consoleCameUpAfterDtuart)
    }

    // MARK: - The check

    func truthCheck(_ board: Board, file: StaticString = #filePath, line: UInt = #line) throws {
        try requireTool(board.qemu)
        let xen = try TestInputs.xenImage(board.image)
        let corpusDTB = try board.corpusDTB.map { try TestInputs.corpusFile($0) }
        let out = work.appendingPathComponent(board.name)
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        let boot = TruthBoot(board: board.name, bootargs: "console=dtuart dtuart=\(board.dtuart) sync_console loglvl=all", corpusDTB: corpusDTB)
        let outcome = try boot.run(xen: xen, out: out, timeout: Self.bootTimeout)
        let consoleText = outcome.console, dmesgText = outcome.dmesg
        let tail = consoleText.split(separator: "\n", omittingEmptySubsequences: false).suffix(40).joined(separator: "\n")
        let command = (try? String(contentsOf: out.appendingPathComponent("qemu.cmd"), encoding: .utf8)) ?? "?"
        let context = "\n[\(board.name)] QEMU: \(command)\nlast 40 console lines (\(out.path)/console.log):\n\(tail)"
        if outcome.timedOut, outcome.broughtUpSeconds == nil {
            return XCTFail("Xen on \(board.name) did not reach \"Brought up\" within \(Int(Self.bootTimeout)) s\(context)", file: file, line: line)
        }

        let log = XenLog(console: consoleText, dmesg: dmesgText)
        let timing = outcome.timing
        print("XenTruthTests: \(board.name): Xen \(log.version ?? "?"), Platform: \(log.platform ?? "?"), GICv\(log.gicVersion.map(String.init) ?? "?"), "
              + "dtuart \(log.dtuart ?? "?"), Brought up \(log.broughtUp.map(String.init) ?? "?") CPUs; \(timing)")
        XCTAssertEqual(log.version.map { $0.hasPrefix("4.17") }, true, "Xen 4.17 banner missing on the console\(context)", file: file, line: line)
        XCTAssertTrue(log.dom0Panic, "Xen did not reach the expected Dom0 panic\(context)", file: file, line: line)

        // What xen-board predicts for the very DTB Xen was given.
        let dtb = out.appendingPathComponent("board.dtb").path
        let inspect = try run(binary.path, ["inspect", dtb, "--json"], timeout: 60)
        let data = Data(inspect.stdout.utf8)
        let report: InspectReport, keys: [String: Any]
        do {
            guard !inspect.timedOut else { throw CocoaError(.executableLoad) }
            report = try JSONDecoder().decode(InspectReport.self, from: data)
            keys = try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
        } catch {
            return XCTFail("xen-board inspect \(dtb) --json: no usable JSON (status \(inspect.status), timed out: \(inspect.timedOut)): \(error)\n"
                           + "stdout: \(inspect.stdout.prefix(2000))\nstderr: \(inspect.stderr.prefix(2000))\(context)", file: file, line: line)
        }
        let json = "\ninspect --json: \(inspect.stdout.prefix(4000))"

        // CPUs: `cpus` == N of "Brought up N CPUs".
        if let n = log.broughtUp {
            XCTAssertEqual(report.cpus.count, n, "inspect's cpus \(report.cpus.map(\.path)) vs Xen's \"Brought up \(n) CPUs\"\(context)", file: file, line: line)
        } else {
            XCTFail("no \"Brought up N CPUs\" on the console\(context)", file: file, line: line)
        }

        // GIC: gic.version == the N of Xen's "GICvN initialization:".
        if let v = log.gicVersion {
            XCTAssertEqual(report.gic.version, v, "inspect's gic.version vs Xen's \"GICv\(v) initialization\"\(json)\(context)", file: file, line: line)
        } else {
            XCTFail("no \"GICvN initialization\" on the console\(context)", file: file, line: line)
        }

        // Platform: xenPlatform == Xen's "Platform: X", "Generic System" meaning no built-in platform (JSON null).
        let dmesgContext = "\nXen's console ring (\(out.path)/xen-dmesg.log):\n\(dmesgText.split(separator: "\n").prefix(20).joined(separator: "\n"))"
        if let platform = log.platform {
            XCTAssertEqual(report.xenPlatform, platform == "Generic System" ? nil : platform,
                           "inspect's xenPlatform vs Xen's \"Platform: \(platform)\"\(context)", file: file, line: line)
            XCTAssertTrue(keys.keys.contains("xenPlatform"),
                          "inspect's JSON has no xenPlatform key (contract: a string, or null when no built-in platform matches)\(json)\(context)", file: file, line: line)
        } else {
            XCTFail("no \"Platform: ...\" line in Xen's console ring\(dmesgContext)\(context)", file: file, line: line)
        }

        // Console: the node Xen's dtuart looked up (an alias is resolved through /aliases in the same DTB) ...
        if let target = log.dtuart {
            var node = target
            if !target.hasPrefix("/") {
                let alias = try run(binary.path, ["dt", "get", dtb, "/aliases", target, "-t", "string"], timeout: 60)
                node = alias.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
                XCTAssertEqual(alias.status, 0, "alias \(target) not found in \(dtb): \(alias.stderr)\(context)", file: file, line: line)
            }
            XCTAssertEqual(report.console.path, node,
                           "inspect's console.path vs the node of Xen's dtuart \"\(target)\"\(json)\(context)", file: file, line: line)
        } else {
            XCTFail("no \"Looking for dtuart at ...\" line in Xen's console ring\(dmesgContext)\(context)", file: file, line: line)
        }
        // ... and its MMIO base: QEMU routes only UART0 to stdio, so Xen's console output in console.log, all of
        // it printed after the dtuart driver was initialised, shows Xen drove the UART at that base.
        XCTAssertEqual(report.console.baseAddress, board.consoleBase,
                       "inspect's console.baseAddress vs the UART0 base 0x\(String(board.consoleBase, radix: 16))\(json)\(context)", file: file, line: line)
        XCTAssertTrue(log.consoleCameUpAfterDtuart,
                      "Xen's console output does not follow its dtuart initialisation (ring: dtuart line then banner; console: banner then \"Brought up\")\(dmesgContext)\(context)",
                      file: file, line: line)
    }

    // MARK: - Helpers

    /// The part of `inspect --json` checked here (numbers are JSON integers: decoding an integer type rejects
    /// fractions and booleans).
    struct InspectReport: Decodable {
        struct Console: Decodable { let path: String?; let baseAddress: UInt64? }
        struct CPU: Decodable { let path: String }
        struct GIC: Decodable { let version: Int? }
        let console: Console
        let cpus: [CPU]
        let gic: GIC
        let xenPlatform: String?
    }

    struct Result { let status: Int32; let stdout: String; let stderr: String; let timedOut: Bool }

    /// Runs the built xen-board through Infrastructure's ProcessRunner.
    func run(_ tool: String, _ args: [String], timeout: TimeInterval) throws -> Result {
        let r = try runProcess(URL(fileURLWithPath: tool), args, timeout: timeout)
        return Result(status: r.status, stdout: r.stdout, stderr: r.stderr, timedOut: r.timedOut)
    }
}

/// What Xen said about itself: `console` is the UART output, `dmesg` Xen's console ring (see XenTruthTests).
struct XenLog {
    let consoleLines: [Substring]
    let dmesgLines: [Substring]

    init(console: String, dmesg: String) {
        consoleLines = console.split(whereSeparator: \.isNewline)
        dmesgLines = dmesg.split(whereSeparator: \.isNewline)
    }

    /// "4.17.5" from "(XEN) Xen version 4.17.5 (Debian ...)".
    var version: String? { consoleLines.lazy.compactMap { Self.after("(XEN) Xen version ", in: $0)?.split(separator: " ").first.map(String.init) }.first }

    /// N of "Brought up N CPUs".
    var broughtUp: Int? { consoleLines.lazy.compactMap { Self.after("Brought up ", in: $0)?.split(separator: " ").first.flatMap { Int($0) } }.first }

    /// 2 or 3 from Xen's "GICv2 initialization:" / "GICv3 initialization:" (gic-v2.c / gic-v3.c).
    var gicVersion: Int? {
        consoleLines.lazy.compactMap { line -> Int? in
            guard line.contains(" initialization:"), let v = Self.after("(XEN) GICv", in: line)?.first else { return nil }
            return Int(String(v))
        }.first
    }

    /// X of "Platform: X" (platform_init; "Generic System" when no built-in platform matches).
    var platform: String? { dmesgLines.lazy.compactMap { Self.after("(XEN) Platform: ", in: $0).map { String($0).trimmingCharacters(in: .whitespaces) } }.first }

    /// X of `Looking for dtuart at "X", options "..."` (arm-uart.c: the dtuart= path or alias).
    var dtuart: String? {
        dmesgLines.lazy.compactMap { line -> String? in
            guard let rest = Self.after("Looking for dtuart at \"", in: line), let end = rest.firstIndex(of: "\"") else { return nil }
            return String(rest[..<end])
        }.first
    }

    var dom0Panic: Bool { consoleLines.contains { $0.contains("Panic on CPU") } && consoleLines.contains { $0.contains("Could not set up DOM0") } }

    /// The dtuart lookup comes before the banner in the ring, and the console shows the banner first and
    /// "Brought up" after it: Xen's own console, on the UART it looked up, carried the rest of the boot.
    var consoleCameUpAfterDtuart: Bool {
        guard let d = dmesgLines.firstIndex(where: { $0.contains("Looking for dtuart at") }),
              let b = dmesgLines.firstIndex(where: { $0.contains("(XEN) Xen version") }), d < b,
              let first = consoleLines.firstIndex(where: { $0.hasPrefix("(XEN) ") }),
              consoleLines[first].hasPrefix("(XEN) Xen version"),
              let up = consoleLines.firstIndex(where: { $0.contains("Brought up ") }), up > first else { return false }
        return true
    }

    static func after(_ marker: String, in line: Substring) -> Substring? {
        guard let r = line.range(of: marker) else { return nil }
        return line[r.upperBound...]
    }
}
