@testable import ImageComposer
import XCTest

final class FATNameTests: XCTestCase {
    func short(_ s: String) -> [UInt8] { Array(s.utf8) }

    func testExactShortNamesAndCaseFlags() throws {
        let names = try FATName.assign(["BOOT.SCR", "boot.cmd", "xen", "IMAGE", "DTB.dtb", "A~1.X"])
        XCTAssertEqual(names.map(\.shortName), [short("BOOT    SCR"), short("BOOT    CMD"), short("XEN        "),
                                                short("IMAGE      "), short("DTB     DTB"), short("A~1     X  ")])
        XCTAssertEqual(names.map(\.caseFlags), [0, 0x18, 0x08, 0, 0x10, 0])
        XCTAssertTrue(names.allSatisfy { $0.longName == nil && $0.entryCount == 1 })
    }

    func testLongNamesGetGeneratedShortNames() throws {
        let names = try FATName.assign(["Image", "xen-4.17-arm64", "initramfs.cpio.gz", "board.dtb.orig", "Image2", "a b.txt", "IMAGE~1"])
        XCTAssertEqual(names[0].shortName, short("IMAGE~2    "), "IMAGE~1 is taken by an exact 8.3 name")
        XCTAssertEqual(names[1].shortName, short("XEN-4~1 17-"), "the extension is what follows the last dot, as Windows does")
        XCTAssertEqual(names[2].shortName, short("INITRA~1GZ "))
        XCTAssertEqual(names[3].shortName, short("BOARDD~1ORI"))
        XCTAssertEqual(names[4].shortName, short("IMAGE2~1   "))
        XCTAssertEqual(names[5].shortName, short("AB~1    TXT"))
        XCTAssertEqual(names[6].shortName, short("IMAGE~1    "))
        XCTAssertEqual(names[0].longName, Array("Image".utf16))
        XCTAssertEqual(names[2].entryCount, 3, "17 characters: two long-name entries + the short one")
    }

    func testLongNameEntries() throws {
        let name = try XCTUnwrap(FATName.assign(["initramfs.cpio.gz"]).first)
        let entries = name.longNameEntries()
        XCTAssertEqual(entries.count, 2)
        XCTAssertEqual(entries[0][0], 0x42, "last part first, with 0x40")
        XCTAssertEqual(entries[1][0], 0x01)
        XCTAssertTrue(entries.allSatisfy { $0[11] == 0x0F && $0[12] == 0 && $0[26] == 0 && $0[27] == 0 })
        XCTAssertTrue(entries.allSatisfy { $0[13] == FATName.checksum(name.shortName) })
        // Part 2 holds "o.gz" (characters 13-16), then 0x0000, then 0xFFFF padding.
        let part2 = entries[0]
        XCTAssertEqual(Array(part2[1..<11]), [0x6F, 0, 0x2E, 0, 0x67, 0, 0x7A, 0, 0, 0], "o.gz then the terminator")
        XCTAssertEqual(Array(part2[14..<16]), [0xFF, 0xFF])
        XCTAssertEqual(Array(part2[30..<32]), [0xFF, 0xFF])
        XCTAssertEqual(Array(entries[1][1..<3]), [0x69, 0], "part 1 starts with 'i'")
        // A known checksum: the one Linux computes for "FOO     BAR".
        var sum: UInt8 = 0
        for b in short("FOO     BAR") { sum = (sum & 1 != 0 ? 0x80 : 0) &+ (sum >> 1) &+ b }
        XCTAssertEqual(FATName.checksum(short("FOO     BAR")), sum)
    }

    func testInvalidAndDuplicateNames() {
        for bad in ["", ".", "..", "a/b", "a:b", "x?", "trailing.", "trailing ", " lead", "tab\t", String(repeating: "x", count: 256)] {
            XCTAssertThrowsError(try FATName.assign([bad]), bad) {
                guard case .invalidName = $0 as? DiskImageError else { return XCTFail("\(bad): \($0)") }
            }
        }
        XCTAssertThrowsError(try FATName.assign(["boot.scr", "BOOT.SCR"])) {
            XCTAssertEqual($0 as? DiskImageError, .duplicateName("BOOT.SCR", existing: "boot.scr"))
        }
    }

    func testTimestamps() {
        XCTAssertEqual(FATTimestamp(.zero), FATTimestamp(SourceDateEpoch(seconds: FATTimestamp.earliest)), "before 1980 clamps")
        let t = FATTimestamp(SourceDateEpoch(seconds: 1_700_000_000))   // 2023-11-14 22:13:20 UTC
        XCTAssertEqual(t.date, UInt16((2023 - 1980) << 9 | 11 << 5 | 14))
        XCTAssertEqual(t.time, UInt16(22 << 11 | 13 << 5 | 10))
        let leap = FATTimestamp(SourceDateEpoch(seconds: 951_782_400))   // 2000-02-29 00:00:00 UTC
        XCTAssertEqual(leap.date, UInt16(20 << 9 | 2 << 5 | 29))
        XCTAssertEqual(FATTimestamp(SourceDateEpoch(seconds: UInt64.max)).date, UInt16(127 << 9 | 12 << 5 | 31))
    }
}
