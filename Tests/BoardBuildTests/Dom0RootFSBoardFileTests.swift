import BoardFile
import XCTest

/// `[dom0] rootfs`: "report" (default), "toolstack" or a path; bad values name the file and line.
final class Dom0RootFSBoardFileTests: XCTestCase {
    func parse(_ dom0: String) throws -> Board {
        try BoardFileParser.parse("""
        description = "A board"
        arch = "arm64"
        status = "build-only"
        [dtb]
        kernel-dtb = "arm/juno-r2.dtb"
        [dom0]
        \(dom0)
        """, name: "test", file: "/x/boards/test.toml", directory: "/x/boards")
    }

    func testDefaultIsReport() throws {
        XCTAssertEqual(try parse("memory = \"512M\"").dom0RootFS, .report)
        XCTAssertEqual(try parse("rootfs = \"report\"").dom0RootFS, .report)
    }

    func testToolstack() throws {
        XCTAssertEqual(try parse("rootfs = \"toolstack\"").dom0RootFS, .toolstack)
    }

    func testPathsAreRelativeToTheBoardFile() throws {
        XCTAssertEqual(try parse("rootfs = \"images/root.cpio.gz\"").dom0RootFS, .path("/x/boards/images/root.cpio.gz"))
        XCTAssertEqual(try parse("rootfs = \"/srv/root.cpio\"").dom0RootFS, .path("/srv/root.cpio"))
    }

    func expectError(_ dom0: String, line: Int, containing text: String, file: StaticString = #filePath, lineNumber: UInt = #line) {
        XCTAssertThrowsError(try parse(dom0), file: file, line: lineNumber) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains("test.toml:\(line)"), "names file:line: \(message)", file: file, line: lineNumber)
            XCTAssertTrue(message.contains(text), message, file: file, line: lineNumber)
        }
    }

    func testBadValuesNameTheLine() {
        expectError("rootfs = \"\"", line: 7, containing: "rootfs must be")
        expectError("rootfs = 3", line: 7, containing: "'rootfs' must be a string")
        expectError("enabled = false\nrootfs = \"toolstack\"", line: 8, containing: "rootfs needs a Dom0")
    }
}
