import BoardFile
import XCTest

/// Board files are TOML 1.0: spellings users write (CRLF, dotted keys, inline tables, multi-line arrays) read as the
/// same board, and errors from hostile text name file:line instead of crashing.
final class BoardFileTOMLTests: XCTestCase {
    let file = "/x/boards/t.toml"

    func parse(_ text: String) throws -> Board {
        try BoardFileParser.parse(text, name: "t", file: file, directory: "/x/boards")
    }

    func error(_ bytes: [UInt8]) -> TOMLError? {
        do {
            _ = try BoardFileParser.parse(bytes: bytes, name: "t", file: file, directory: "/x/boards")
            return nil
        } catch {
            return error as? TOMLError
        }
    }

    let header = "description = \"A board\"\narch = \"arm64\"\nstatus = \"build-only\"\n"

    func testCRLFBoardKeepsLines() throws {
        let text = (header + "[dtb]\nkernel-dtb = \"arm/juno-r2.dtb\"\n[dom0]\nvcpus = 0\n").replacingOccurrences(of: "\n", with: "\r\n")
        let err = try XCTUnwrap(error(Array(text.utf8)))
        XCTAssertEqual(err.line, 7, "\(err)")
        XCTAssertTrue(err.description.hasPrefix(file + ":7:"), "\(err)")
        let board = try parse(text.replacingOccurrences(of: "vcpus = 0", with: "vcpus = 2"))
        XCTAssertEqual(board.dom0VCPUs, 2)
        XCTAssertEqual(board.dtb, .kernelPackage("arm/juno-r2.dtb"))
    }

    func testDottedKeysInlineTablesAndMultiLineArraysMeanTheSameBoard() throws {
        let sections = try parse(header + """
        [dtb]
        kernel-dtb = "arm/juno-r2.dtb"
        [[domu]]
        name = "rtc"
        memory = "128M"
        passthrough = ["/pl031@9010000", "/serial@9000000"]
        """)
        let dotted = try parse(header + """
        dtb.kernel-dtb = 'arm/juno-r2.dtb'
        domu = [ { name = "rtc", memory = "128M", passthrough = [
            "/pl031@9010000",   # the RTC
            "/serial@9000000",
        ] } ]
        """)
        XCTAssertEqual(sections, dotted)
        XCTAssertEqual(dotted.domUs.first?.passthrough, ["/pl031@9010000", "/serial@9000000"])
    }

    func testSchemaErrorsInInlineTablesNameTheLine() throws {
        XCTAssertThrowsError(try parse(header + "\n\ndtb = { kernel-dtb = 1 }")) {
            XCTAssertEqual(($0 as? TOMLError)?.line, 6, "\($0)")
            XCTAssertTrue("\($0)".contains("'kernel-dtb' must be a string"), "\($0)")
        }
        XCTAssertThrowsError(try parse(header + "[dtb]\nkernel-dtb = \"a\"\nsub = { x = 1 }")) {
            XCTAssertEqual(($0 as? TOMLError)?.line, 6, "\($0)")
        }
    }

    func testDeepNestingIsAnErrorNotAStackOverflow() throws {
        for (open, close) in [("[", "]"), ("{a=", "}")] {
            let deep = header + "x = " + String(repeating: open, count: 100_000) + String(repeating: close, count: 100_000)
            let err = try XCTUnwrap(error(Array(deep.utf8)), open)
            XCTAssertEqual(err.line, 4)
            XCTAssertTrue(err.message.contains("nesting deeper than"), "\(err)")
        }
        let headers = header + "[" + Array(repeating: "a", count: 10_000).joined(separator: ".") + "]"
        XCTAssertTrue(try XCTUnwrap(error(Array(headers.utf8))).message.contains("deeper than"))
    }

    func testNonUTF8NamesTheLine() throws {
        let err = try XCTUnwrap(error(Array(header.utf8) + [0x23, 0x20, 0xff, 0x0a]))
        XCTAssertEqual(err.line, 4)
        XCTAssertTrue(err.message.contains("not UTF-8"), "\(err)")
    }

    func testTableDefinedTwiceNamesBothLines() throws {
        XCTAssertThrowsError(try parse(header + "[dtb]\npath = \"a\"\n[dtb]\n")) {
            XCTAssertEqual(($0 as? TOMLError)?.line, 6, "\($0)")
            XCTAssertTrue("\($0)".contains("line 4"), "\($0)")
        }
    }
}
