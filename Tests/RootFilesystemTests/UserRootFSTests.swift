import Foundation
import ImageComposer
import XCTest
@testable import RootFilesystem

/// `[dom0] rootfs = PATH`: cpio, gzip-compressed cpio and ext4 are told apart by their bytes; anything else is an
/// error naming the path and the board file's line.
final class UserRootFSTests: XCTestCase {
    func newc() throws -> [UInt8] {
        var a = CPIOArchive()
        try a.addDirectory("bin")
        try a.addFile("init", contents: Array("#!/bin/sh\n".utf8), permissions: 0o755)
        return a.encoded()
    }

    func testDetectsCPIOAndGzippedCPIO() throws {
        let cpio = try newc()
        XCTAssertEqual(UserRootFS.detect(cpio), .cpio)
        XCTAssertEqual(UserRootFS.detect(try Gzip.compress(cpio)), .gzipCPIO)
    }

    func testDetectsExt4BySuperblockMagic() {
        var image = [UInt8](repeating: 0, count: 4096)
        image[1080] = 0x53
        image[1081] = 0xEF
        XCTAssertEqual(UserRootFS.detect(image), .ext4)
        image[1081] = 0xEE
        XCTAssertNil(UserRootFS.detect(image))
    }

    func testRejectsOtherBytes() throws {
        XCTAssertNil(UserRootFS.detect(Array("hello, world".utf8)))
        XCTAssertNil(UserRootFS.detect([]))
        XCTAssertNil(UserRootFS.detect(try Gzip.compress(Array("not a cpio archive".utf8))), "gzip of something else")
        XCTAssertNil(UserRootFS.detect(Array("07070".utf8)), "a truncated magic")
    }

    func file(_ bytes: [UInt8]) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("rootfs-\(UUID().uuidString)")
        try Data(bytes).write(to: url)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url.path
    }

    func testRamdiskIsTheFileAsItIs() throws {
        let gz = try Gzip.compress(try newc())
        let (bytes, kind) = try UserRootFS.ramdisk(path: try file(gz), origin: "b.toml:9")
        XCTAssertEqual(bytes, gz)
        XCTAssertEqual(kind, .gzipCPIO)
    }

    func testErrorsNameThePathAndLine() throws {
        let junk = try file(Array("#!/bin/sh\necho hi\n".utf8))
        XCTAssertThrowsError(try UserRootFS.ramdisk(path: junk, origin: "boards/x.toml:12")) { error in
            let text = "\(error)"
            XCTAssertTrue(text.hasPrefix("boards/x.toml:12: rootfs \(junk) is neither a cpio"), text)
        }
        var ext4 = [UInt8](repeating: 0, count: 2048)
        ext4[1080] = 0x53
        ext4[1081] = 0xEF
        let e = try file(ext4)
        XCTAssertThrowsError(try UserRootFS.ramdisk(path: e, origin: "x.toml:3")) { error in
            XCTAssertTrue("\(error)".contains("\(e) is an ext4 image"), "\(error)")
        }
        XCTAssertThrowsError(try UserRootFS.ramdisk(path: "/nonexistent/root.cpio", origin: "x.toml:3")) { error in
            XCTAssertEqual("\(error)", "x.toml:3: rootfs /nonexistent/root.cpio cannot be read")
        }
    }
}
