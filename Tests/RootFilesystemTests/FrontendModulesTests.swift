import Foundation
import Infrastructure
@testable import RootFilesystem
import XCTest

/// Guest frontend modules go to busybox's insmod as plain ELF: Debian 13's `.ko.xz` are decompressed at build time.
final class FrontendModulesTests: XCTestCase {
    func testCompressedModulesAreDecompressed() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("xb-frontends-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let bytes = [UInt8](0x7f...0xff) + Array("ELF module".utf8)
        let plain = dir.appendingPathComponent("xen-netfront.ko")
        try Data(bytes).write(to: plain)
        XCTAssertEqual(try FrontendModules.uncompressed(plain).0, "xen-netfront.ko")
        XCTAssertEqual(try FrontendModules.uncompressed(plain).1, bytes)
        for (tool, suffix) in [("xz", ".xz"), ("zstd", ".zst")] {
            guard ProcessRunner.locate(tool) != nil else { return XCTFail("\(tool) is needed (xz-utils / zstd)") }
            let packed = try ProcessRunner.run(tool, ["-c", plain.path], timeout: 60)
            let file = dir.appendingPathComponent("xen-blkfront.ko" + suffix)
            try Data(packed.stdoutBytes).write(to: file)
            let (name, contents) = try FrontendModules.uncompressed(file)
            XCTAssertEqual(name, "xen-blkfront.ko", tool)
            XCTAssertEqual(contents, bytes, tool)
        }
        try Data([1, 2, 3]).write(to: dir.appendingPathComponent("broken.ko.xz"))
        XCTAssertThrowsError(try FrontendModules.uncompressed(dir.appendingPathComponent("broken.ko.xz"))) { error in
            XCTAssertTrue("\(error)".contains("xz -dc"), "\(error)")
        }
    }
}
