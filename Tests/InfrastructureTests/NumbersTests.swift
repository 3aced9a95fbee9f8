import Infrastructure
import XCTest

final class NumbersTests: XCTestCase {
    func testDecimalHexAndSeparators() throws {
        XCTAssertEqual(try Numbers.parse("42"), 42)
        XCTAssertEqual(try Numbers.parse("0x2A"), 42)
        XCTAssertEqual(try Numbers.parse(" 0X1_0000 "), 0x10000)
        XCTAssertEqual(try Numbers.parse("18446744073709551615"), UInt64.max)
        XCTAssertEqual(try Numbers.parse("0xffffffffffffffff"), UInt64.max)
    }

    func testRejectsOverflowSignsAndJunk() {
        for bad in ["", "0x", "18446744073709551616", "0x1_0000_0000_0000_0000", "-1", "+1", "1a", "0x-1", "_1", "1_", "1__0", "0xg", "１"] {
            XCTAssertThrowsError(try Numbers.parse(bad), bad) { XCTAssertTrue("\($0)".contains("'\(bad)'"), "\($0)") }
        }
        XCTAssertThrowsError(try Numbers.parse("0x100000000", limit: UInt64(UInt32.max)))
        XCTAssertEqual(try Numbers.parse("0xffffffff", limit: UInt64(UInt32.max)), 0xffff_ffff)
    }

    func testSizesWithSuffixes() throws {
        XCTAssertEqual(try Numbers.size("512M"), 512 << 20)
        XCTAssertEqual(try Numbers.size("1g"), 1 << 30)
        XCTAssertEqual(try Numbers.size("65536K"), 65536 << 10)
        XCTAssertEqual(try Numbers.size("0x100M"), 0x100 << 20)
        XCTAssertEqual(try Numbers.size("4096"), 4096)
        XCTAssertThrowsError(try Numbers.size("17179869184G"), "2^34 GiB = 2^64 bytes overflows")
        XCTAssertEqual(try Numbers.size("17179869183G"), 17_179_869_183 << 30)
        XCTAssertThrowsError(try Numbers.size("M"))
        XCTAssertThrowsError(try Numbers.size("12T"))
    }
}
