import Foundation
import XCTest

/// `dt check` rejects what dtc rejects on phandles, names and cell sizes, naming dtc's check; `dt set` refuses to
/// write such a tree (issue 11, accepted-nonsense class).
extension CLITests {
    func checkFails(_ body: String, _ check: String, file: StaticString = #filePath, line: UInt = #line) throws {
        // dtc -f forces output despite the errors, so the blob carries exactly the fault.
        let r = try exec("dtc", ["-q", "-f", "-I", "dts", "-O", "dtb", "-o", path("bad.dtb")], stdin: "/dts-v1/;\n/ { \(body) };\n")
        XCTAssertTrue(FileManager.default.fileExists(atPath: path("bad.dtb")), r.stderr, file: file, line: line)
        let c = try xb("dt", "check", path("bad.dtb"))
        XCTAssertEqual(c.status, 1, "dt check accepted \(body)", file: file, line: line)
        XCTAssertTrue(c.stderr.contains("[\(check)]"), c.stderr, file: file, line: line)
    }

    func testCheckIsAsStrictAsDTCOnPhandles() throws {
        try checkFails("a { phandle = <0>; };", "explicit_phandles")
        try checkFails("a { phandle = <0xffffffff>; };", "explicit_phandles")
        try checkFails("a { phandle = <5>; }; b { phandle = <5>; };", "explicit_phandles")
        try checkFails("a { phandle = <5>; linux,phandle = <6>; };", "explicit_phandles")
        try checkFails("#address-cells = <1 2>; a { };", "address_cells_is_cell")
    }

    func testSetRefusesNamesAndValuesCheckRejects() throws {
        let dtb = path("board.dtb")
        for args in [["/..", "x", "1", "--create"], ["/a b", "x", "1", "--create"], ["/chosen", "", "1"],
                     ["/chosen", "bad name", "1"], ["/chosen", "phandle", "0"], ["/chosen", "#size-cells", "1", "2"]] {
            let r = try exec(binary.path, ["dt", "set", dtb] + args + ["-o", path("out.dtb")])
            XCTAssertEqual(r.status, 1, "dt set accepted \(args)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: path("out.dtb")), "\(args) wrote a file")
        }
        XCTAssertEqual(try xb("dt", "set", dtb, "/chosen", "x", "1", "-o", path("out.dtb")).status, 0)
        XCTAssertEqual(try xb("dt", "check", path("out.dtb")).status, 0)
    }
}
