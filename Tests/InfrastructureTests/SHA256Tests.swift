import Foundation
import Infrastructure
import XCTest

final class SHA256Tests: XCTestCase {
    /// FIPS 180-2 test vectors.
    func testKnownVectors() throws {
        XCTAssertEqual(try SHA256.hex([UInt8]()), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(try SHA256.hex(Array("abc".utf8)), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(try SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)),
                       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    /// A file larger than one read piece hashes as its bytes do, and as coreutils' sha256sum says.
    func testFileMatchesBytesAndCoreutils() throws {
        var bytes = [UInt8](repeating: 0, count: (9 << 20) + 17)
        for i in bytes.indices { bytes[i] = UInt8(truncatingIfNeeded: i &* 2_654_435_761 >> 13) }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("sha-\(UUID().uuidString)")
        try Data(bytes).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let fromFile = try SHA256.hex(ofFile: url)
        XCTAssertEqual(fromFile, try SHA256.hex(bytes))
        let sum = try ProcessRunner.run("sha256sum", [url.path])
        XCTAssertEqual(String(sum.stdout.prefix(64)), fromFile)
        XCTAssertTrue(SHA256.isHexDigest(fromFile))
        XCTAssertFalse(SHA256.isHexDigest(fromFile.uppercased()))
    }

    func testUnreadableFileNamesThePath() {
        XCTAssertThrowsError(try SHA256.hex(ofFile: URL(fileURLWithPath: "/nonexistent/x"))) {
            XCTAssertTrue("\($0)".hasPrefix("/nonexistent/x: "), "\($0)")
        }
    }
}
