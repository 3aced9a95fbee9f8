import Foundation
import UARTDrivers
import XCTest

/// Variant data is checked against Xen 4.17's driver catalog when loaded: errors name the file and the key.
final class VariantDataTests: XCTestCase {
    func shipped(_ name: String) throws -> String {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/UARTDrivers/Data/variants/\(name).json")
        return try String(contentsOf: url, encoding: .utf8)
    }

    func assertError(_ json: String, key: String, contains text: String, line: UInt = #line) {
        XCTAssertThrowsError(try RegisterCompatibleVariant.parse(Data(json.utf8), file: "bad.json"), line: line) { error in
            guard let e = error as? UARTDescriptionError else { return XCTFail("\(error)", line: line) }
            XCTAssertEqual(e.file, "bad.json", line: line)
            XCTAssertEqual(e.key, key, "\(e)", line: line)
            XCTAssertTrue(e.message.contains(text), "\(e)", line: line)
        }
    }

    func testShippedVariantsParseAndBadOnesNameTheKey() throws {
        let k3 = try shipped("ti-k3-omap"), dra7 = try shipped("ti-dra7-omap")
        let v = try RegisterCompatibleVariant.parse(Data(k3.utf8), file: "k3.json")
        XCTAssertEqual(v.sameAs, "ti,omap4-uart")
        XCTAssertEqual(Set(v.architectures), [.arm32, .arm64])
        assertError(k3.replacingOccurrences(of: "\"sameAs\": \"ti,omap4-uart\"", with: "\"sameAs\": \"ti,omap3-uart\""),
                    key: "sameAs", contains: "not in Xen 4.17 omap's dt_match")
        assertError(k3.replacingOccurrences(of: "\"driver\": \"omap\"", with: "\"driver\": \"omap2\""), key: "driver", contains: "no Xen 4.17 driver 'omap2'")
        // DRA7 changes no Kconfig, so it cannot claim arm64 (Xen 4.17 builds omap-uart.c for arm32 only).
        assertError(dra7.replacingOccurrences(of: "\"architectures\": [\"arm32\"]", with: "\"architectures\": [\"arm32\", \"arm64\"]"),
                    key: "architectures", contains: "builds omap for arm32 only")
        assertError(k3.replacingOccurrences(of: "\"architectures\": [\"arm32\", \"arm64\"]", with: "\"architectures\": [\"riscv\"]"),
                    key: "architectures[0]", contains: "riscv")
        assertError(k3.replacingOccurrences(of: "  \"sameAs\": \"ti,omap4-uart\",\n", with: ""), key: "", contains: "missing key 'sameAs'")
        // Checked against each version it claims: 4.20's omap matches ti,am654-uart, 4.17's does not; 4.18 is no version.
        let k3new = try shipped("ti-k3-omap-4.20")
        assertError(k3new.replacingOccurrences(of: "\"xenVersions\": [\"4.20\"]", with: "\"xenVersions\": [\"4.17\", \"4.20\"]"),
                    key: "sameAs", contains: "'ti,am654-uart' is not in Xen 4.17 omap's dt_match")
        assertError(k3new.replacingOccurrences(of: "\"xenVersions\": [\"4.20\"]", with: "\"xenVersions\": [\"4.18\"]"),
                    key: "xenVersions", contains: "unknown Xen version '4.18'")
    }
}
