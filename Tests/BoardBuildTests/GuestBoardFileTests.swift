import BoardFile
import XCTest

/// `[[guest]]`: guests a toolstack Dom0 starts with `xl create`. Bad sections name the file and line.
final class GuestBoardFileTests: XCTestCase {
    static let head = """
    description = "guests"
    arch = "arm64"
    status = "build-only"
    [dtb]
    kernel-dtb = "arm/juno-r2.dtb"
    [dom0]
    rootfs = "toolstack"
    """

    /// `lines` follow `head` (7 lines): the first is line 8.
    func parse(_ lines: [String], head: String = GuestBoardFileTests.head) throws -> Board {
        try BoardFileParser.parse(([head] + lines).joined(separator: "\n"), name: "g", file: "/x/boards/g.toml", directory: "/x/boards")
    }

    func expect(_ lines: [String], head: String = GuestBoardFileTests.head, line: Int, _ fragment: String,
                file: StaticString = #filePath, l: UInt = #line) {
        XCTAssertThrowsError(try parse(lines, head: head), file: file, line: l) { e in
            guard let err = e as? TOMLError else { return XCTFail("not a board-file error: \(e)", file: file, line: l) }
            XCTAssertEqual(err.file, "/x/boards/g.toml", file: file, line: l)
            XCTAssertEqual(err.line, line, "\(err)", file: file, line: l)
            XCTAssertTrue(err.message.contains(fragment), "\(err)", file: file, line: l)
        }
    }

    func guest(_ name: String, _ extra: String...) -> [String] { ["[[guest]]", "name = \"\(name)\"", "memory = \"128M\""] + extra }

    func testGuestKeysAndDefaults() throws {
        let board = try parse(guest("web", "vcpus = 2", "extra = \"loglevel=4\"", "ramdisk = \"img/web.cpio.gz\"")
                              + guest("plain"))
        XCTAssertEqual(board.guests.count, 2)
        let web = board.guests[0]
        XCTAssertEqual(web.name, "web")
        XCTAssertEqual(web.memoryMiB, 128)
        XCTAssertEqual(web.vcpus, 2)
        XCTAssertEqual(web.extra, "loglevel=4")
        XCTAssertEqual(web.ramdisk, "/x/boards/img/web.cpio.gz")
        XCTAssertEqual(web.kernel, .debian)
        XCTAssertEqual(web.line, 8)
        XCTAssertEqual(web.line(of: "extra"), 12)
        let plain = board.guests[1]
        XCTAssertEqual(plain.vcpus, 1)
        XCTAssertNil(plain.ramdisk)
        XCTAssertEqual(plain.extra, "")
        XCTAssertEqual(try parse(guest("k", "kernel = \"/srv/Image\"")).guests.first?.kernel, .path("/srv/Image"))
        XCTAssertEqual(try parse(guest("k", "kernel = \"debian\"")).guests.first?.kernel, .debian)
        XCTAssertEqual(try parse(["[[guest]]", "name = \"g\"", "memory = \"1G\""]).guests.first?.memoryMiB, 1024)
    }

    func testGuestNeedsAToolstackDom0() {
        let report = GuestBoardFileTests.head.replacingOccurrences(of: "rootfs = \"toolstack\"", with: "rootfs = \"report\"")
        expect(guest("a"), head: report, line: 8, "set rootfs = \"toolstack\" in [dom0]")
        let own = GuestBoardFileTests.head.replacingOccurrences(of: "rootfs = \"toolstack\"", with: "memory = \"512M\"")
        expect(guest("a"), head: own, line: 8, "[dom0] rootfs is not \"toolstack\"")
    }

    func testDuplicateNames() {
        expect(guest("a") + guest("a"), line: 12, "guest name 'a' is already used by the domain at line 8")
        expect(["[[domu]]", "name = \"a\"", "memory = \"64M\""] + guest("a"), line: 12, "already used by the domain at line 8")
        expect(guest("Domain-0"), line: 9, "Dom0's name in xl")
    }

    func testBadMemory() {
        expect(["[[guest]]", "name = \"a\"", "memory = \"lots\""], line: 10, "guest memory 'lots' must be a non-zero size in whole MiB")
        expect(["[[guest]]", "name = \"a\"", "memory = \"0\""], line: 10, "non-zero size in whole MiB")
        expect(["[[guest]]", "name = \"a\"", "memory = \"1536K\""], line: 10, "whole MiB")
        expect(["[[guest]]", "name = \"a\""], line: 8, "missing required key 'memory' in [guest]")
        let small = GuestBoardFileTests.head + "\n[qemu]\nmachine = \"virt\"\nmemory = 1024"
        expect(guest("a").map { $0.replacingOccurrences(of: "128M", with: "768M") }, head: small, line: 13, "add up to more than the board's RAM")
    }

    func testBadNamesVCPUsAndExtra() {
        expect(["[[guest]]", "name = \"a b\"", "memory = \"64M\""], line: 9, "must be 1 to 64 letters, digits")
        expect(["[[guest]]", "name = \"\(String(repeating: "x", count: 65))\"", "memory = \"64M\""], line: 9, "1 to 64")
        expect(guest("a", "vcpus = 0"), line: 11, "guest vcpus must be 1 to 8, got 0")
        let smp = GuestBoardFileTests.head + "\n[qemu]\nmachine = \"virt\"\nsmp = 2"
        expect(guest("a", "vcpus = 4"), head: smp, line: 14, "guest 'a' vcpus = 4 but the board has 2 CPUs")
        expect(guest("a", "extra = 'say \"hi\"'"), line: 11, "a double quote")
        expect(guest("a", "extra = 'a\\\\b'"), line: 11, "a backslash")
        expect(guest("a", "ramdisk = \"\""), line: 11, "guest ramdisk must be a file path")
    }
}
