import Foundation
import XCTest

/// README's promise on outputs (issue 11, data-loss class): every writing command refuses to replace a user's
/// directory, a FIFO or a device unless --force, and refuses two outputs that are the same file.
extension CLITests {
    func userDirectory(_ name: String) throws -> String {
        let dir = path(name)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try Data("precious".utf8).write(to: URL(fileURLWithPath: dir + "/notes.txt"))
        return dir
    }

    func assertKept(_ dir: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(FileManager.default.contents(atPath: dir + "/notes.txt"), Data("precious".utf8), file: file, line: line)
    }

    func assertRefused(_ r: Result, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertNotEqual(r.status, 0, "refused output must fail", file: file, line: line)
        XCTAssertTrue(r.stderr.contains(what) && r.stderr.contains("--force"), r.stderr, file: file, line: line)
    }

    func testBuildAndGenRefuseAUserDirectoryAndKeepIt() throws {
        let dir = try userDirectory("mine")
        assertRefused(try xb("build", "vexpress", "--out", dir), "did not write")
        assertKept(dir)
        assertRefused(try xb("gen", "vexpress", "--dtb", path("board.dtb"), "--out", dir), "did not write")
        assertKept(dir)
        assertRefused(try xb("xen", "vexpress", "--out", dir), "did not write")
        assertKept(dir)
    }

    func testGenReplacesItsOwnOutputAndForceReplacesAUserDirectory() throws {
        let out = path("gen")
        for _ in 0..<2 {
            let r = try xb("gen", "vexpress", "--dtb", path("board.dtb"), "--out", out)
            XCTAssertEqual(r.status, 0, r.stderr)
        }
        XCTAssertTrue(FileManager.default.fileExists(atPath: out + "/.xen-board-output"))
        let dir = try userDirectory("forced")
        let r = try xb("gen", "vexpress", "--dtb", path("board.dtb"), "--out", dir, "--force")
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/notes.txt"))
        let left = try FileManager.default.contentsOfDirectory(atPath: work.path).filter { $0.hasPrefix(".xb-") }
        XCTAssertEqual(left, [], "no staging or set-aside directory left")
    }

    func testFileOutputsRefuseFIFOsDevicesAndDirectories() throws {
        let fifo = path("fifo")
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        assertRefused(try xb("dt", "encode", path("board.dtb"), "-o", fifo), "is a FIFO")
        assertRefused(try xb("dt", "set", path("board.dtb"), "/chosen", "x", "1", "-o", "/dev/null"), "character device")
        let dir = try userDirectory("d")
        assertRefused(try xb("dt", "encode", path("board.dtb"), "-o", dir), "is a directory")
        assertKept(dir)
        var isFIFO = stat()
        XCTAssertEqual(lstat(fifo, &isFIFO), 0)
        XCTAssertEqual(isFIFO.st_mode & S_IFMT, S_IFIFO, "the FIFO is still a FIFO")
        let r = try xb("dt", "encode", path("board.dtb"), "-o", fifo, "--force")
        XCTAssertEqual(r.status, 0, r.stderr)
    }

    func testPassthroughRefusesTheSameFileForBothOutputs() throws {
        try compile("""
        /dts-v1/;
        / { #address-cells = <1>; #size-cells = <1>; compatible = "vendor,board"; chosen { };
            rtc@2000 { compatible = "arm,pl031"; reg = <0x2000 0x1000>; interrupts = <0 3 4>; }; };
        """, to: "host.dtb")
        let r = try xb("dtb-passthrough", "--dtb", path("host.dtb"), "--device", "/rtc@2000", "-o", path("x.dtb"),
                       "--host-out", work.path + "/./x.dtb")
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("same file"), r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("x.dtb")), "nothing written")
    }

    func testOverLongOutputNamesAreAClearErrorBeforeBuilding() throws {
        let long = String(repeating: "x", count: 300)
        let r = try xb("build", "vexpress", "--out", path(long))
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("is 300 bytes; a file name is at most 255 bytes"), r.stderr)
        XCTAssertFalse(r.stderr.contains("invalid") || r.stderr.contains("could not be completed"), "no raw Foundation error: \(r.stderr)")
        let board = try xb("build", path(long + ".toml"))
        XCTAssertTrue(board.stderr.contains("cannot read the board file") && !board.stderr.contains("unknown board"), board.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: work.path).filter { $0.hasPrefix(".xb-") }, [])
    }
}
