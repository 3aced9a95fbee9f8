import BoardBringUp
import BoardBuild
import BoardFile
import Foundation
import TestSupport
import XCTest

/// `xen-board new` from fixtures compiled with dtc (offline): content of the board file, read back with the
/// board-file parser, and bad input (nothing written).
final class NewBoardTests: XCTestCase {
    var boards = ""

    override func setUpWithError() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("xb-new-\(getpid())-\(name.hashValue)")
        try? FileManager.default.removeItem(at: dir)
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("boards"), withIntermediateDirectories: true)
        boards = dir.appendingPathComponent("boards").path
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: boards).deletingLastPathComponent().path)
    }

    /// An arm32 SoC without PSCI or a known platform; %CHOSEN% and %UART0% vary per test.
    let soc = """
    /dts-v1/; / { #address-cells = <1>; #size-cells = <1>; model = "Vendor Board"; compatible = "vendor,board", "vendor,soc";
      interrupt-parent = <&gic>; chosen { %CHOSEN% }; aliases { serial0 = &u0; serial1 = &u1; };
      cpus { #address-cells = <1>; #size-cells = <0>; cpu@0 { device_type = "cpu"; compatible = "arm,cortex-a7"; reg = <0>; };
             cpu@1 { device_type = "cpu"; compatible = "arm,cortex-a7"; reg = <1>; }; };
      memory@80000000 { device_type = "memory"; reg = <0x80000000 0x40000000>; };
      gic: interrupt-controller@2c001000 { compatible = "arm,cortex-a15-gic"; interrupt-controller; #interrupt-cells = <3>;
        reg = <0x2c001000 0x1000>, <0x2c002000 0x2000>, <0x2c004000 0x2000>, <0x2c006000 0x2000>; interrupts = <1 9 0xf04>; };
      timer { compatible = "arm,armv7-timer"; interrupts = <1 13 0xf08>, <1 14 0xf08>, <1 11 0xf08>, <1 10 0xf08>; };
      u0: serial@1000 { compatible = "%UART0%"; reg = <0x1000 0x1000>; interrupts = <0 5 4>; };
      u1: serial@2000 { compatible = "arm,pl011"; reg = <0x2000 0x1000>; interrupts = <0 6 4>; };
    };
    """

    func dtb(chosen: String = "", uart0: String = "vendor,unknown-uart") throws -> String {
        let dts = soc.replacingOccurrences(of: "%CHOSEN%", with: chosen).replacingOccurrences(of: "%UART0%", with: uart0)
        let path = URL(fileURLWithPath: boards).deletingLastPathComponent().appendingPathComponent("board.dtb").path
        try Data(try compileDTS(dts)).write(to: URL(fileURLWithPath: path))
        return path
    }

    func create(_ name: String = "b", dtb: String, qemu: NewBoardPlan.QEMU? = nil) throws -> (NewBoard.Result, String, Board) {
        let r = try NewBoard.create(.init(name: name, dtb: .file(dtb), arch: .arm32, qemu: qemu, boards: boards)) { _ in }
        let text = try String(contentsOfFile: r.file, encoding: .utf8)
        let board = try BoardCatalog(directory: boards).load(name)
        return (r, text, board)
    }

    /// Comment lines joined (wrapping is not what the tests check).
    func flat(_ text: String) -> String {
        text.replacingOccurrences(of: "\n#     ", with: " ").replacingOccurrences(of: "\n#   ", with: " ")
    }

    func testXenVersionIsWrittenWhenAsked() throws {
        let path = try dtb()
        let r = try NewBoard.create(.init(name: "v", dtb: .file(path), arch: .arm32, boards: boards, xenVersion: .v4_20)) { _ in }
        let text = try String(contentsOfFile: r.file, encoding: .utf8)
        XCTAssertTrue(text.contains("[xen]\nversion = \"4.20\"\n"), text)
        XCTAssertEqual(try BoardCatalog(directory: boards).load("v").xenVersion, .v4_20)
        let (_, plain, board) = try create("w", dtb: path)
        XCTAssertFalse(plain.contains("version = "), "no version asked: none written")
        XCTAssertEqual(board.xenVersion, .v4_17, "arm32's default")
    }

    func testNoChosenConsolePicksTheFirstDrivableSerialAliasAndSaysSo() throws {
        let (r, text, board) = try create(dtb: try dtb())
        XCTAssertEqual(board.console, "serial1", "serial0 is a UART nothing drives; serial1 is a PL011")
        XCTAssertTrue(flat(text).contains("picked serial1, the first serial alias xen-board can drive"), text)
        XCTAssertEqual(board.status, .buildOnly)
        XCTAssertNil(board.qemu)
        guard case .path(let p) = board.dtb else { return XCTFail("\(board.dtb)") }
        XCTAssertEqual(URL(fileURLWithPath: p).standardizedFileURL.path,
                       URL(fileURLWithPath: boards).deletingLastPathComponent().appendingPathComponent("board.dtb").standardizedFileURL.path,
                       "relative to the board directory")
        XCTAssertTrue(flat(text).contains("path = \"../board.dtb\""), text)
        // No PSCI, no platform, no recognised mechanism: a person must say how CPU1 starts, and which key takes it.
        XCTAssertTrue(r.plan.open.contains { $0.key?.hasPrefix("[platform] smp = \"mailbox\"") == true && $0.what.contains("cpu-no-bringup") }, "\(r.plan.open)")
        XCTAssertTrue(text.contains("# Still needs a person:\n#   - [platform] smp = \"mailbox\""), text)
        XCTAssertTrue(flat(text).contains("[qemu] machine: no --qemu-machine"), text)
        XCTAssertTrue(r.nextCommands.contains("xen-board build b   # builds Xen from Debian's source with the generated port"), "\(r.nextCommands)")
    }

    func testStdoutPathKeepsTheTreesConsoleAndBootargsConsoleNamesTheAlias() throws {
        var (_, text, board) = try create("s", dtb: try dtb(chosen: "stdout-path = \"serial1:115200n8\";"))
        XCTAssertNil(board.console, "the tree says: nothing to set")
        XCTAssertTrue(flat(text).contains("from /chosen/stdout-path"), text)
        (_, text, board) = try create("t", dtb: try dtb(chosen: "bootargs = \"root=/dev/mmcblk0 console=ttyAMA1,115200\";", uart0: "arm,pl011"))
        XCTAssertEqual(board.console, "serial1", "console=ttyAMA1 beats the first alias")
        XCTAssertTrue(flat(text).contains("/chosen/bootargs says console=ttyAMA1,115200, so serial1"), text)
    }

    func testQEMUMachineMakesItBootableAndRAMFollowsQEMU() throws {
        let q = NewBoardPlan.QEMU(machine: "vexpress-a15,secure=off,virtualization=on", cpu: nil, smp: 0, memoryMiB: 512)
        let (_, text, board) = try create(dtb: try dtb(), qemu: q)
        XCTAssertEqual(board.qemu, Board.QEMU(machine: "vexpress-a15,secure=off,virtualization=on", cpu: nil, smp: 2, memoryMiB: 512, boot: .direct))
        XCTAssertEqual(board.ram?.base, 0x8000_0000)
        XCTAssertEqual(board.ram?.size, 512 << 20, "the tree has 1 GiB, QEMU gives 512 MiB")
        XCTAssertTrue(text.contains("status-note = \"written by xen-board new; not booted yet: run `xen-board boot b`"), text)
    }

    func testBadInputWritesNothing() throws {
        let good = try dtb()
        func fails(_ r: NewBoard.Request, _ expected: String, line: UInt = #line) {
            XCTAssertThrowsError(try NewBoard.create(r) { _ in }, line: line) { e in
                XCTAssertTrue("\(e)".contains(expected), "\(e)", line: line)
            }
        }
        fails(.init(name: "x", dtb: .file(boards + "/../missing.dtb"), boards: boards), "missing.dtb: no such file")
        let garbage = boards + "/../garbage.dtb"
        try Data("not a blob at all, longer than a header".utf8).write(to: URL(fileURLWithPath: garbage))
        fails(.init(name: "x", dtb: .file(garbage), boards: boards), "not a device tree blob: offset 0x0")
        fails(.init(name: "x", dtb: .file(good), arch: .arm32, qemu: .init(machine: "no-such-machine,opt=1", cpu: nil, smp: 1, memoryMiB: 256), boards: boards),
              "qemu-system-arm has no machine 'no-such-machine'")
        fails(.init(name: "../x", dtb: .file(good), boards: boards), "is not a board name")
        fails(.init(name: "x", dtb: .kernelPackage("../../etc/passwd"), boards: boards), "must be a relative path inside the kernel package")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: boards), [], "nothing written")
        let existing = boards + "/taken.toml"
        try Data("keep me\n".utf8).write(to: URL(fileURLWithPath: existing))
        fails(.init(name: "taken", dtb: .file(good), boards: boards), "board 'taken' exists")
        XCTAssertEqual(try String(contentsOfFile: existing, encoding: .utf8), "keep me\n", "an existing board is never overwritten")
    }
}
