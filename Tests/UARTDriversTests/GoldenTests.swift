import Foundation
import UARTDrivers
import XCTest
import XenArm

/// Every shipped description renders to its golden files (driver C, arm32 and arm64 early printk, tree edits).
/// XEN_BOARD_UPDATE_GOLDEN=1 rewrites them (review the diff before committing).
final class GoldenTests: XCTestCase {
    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    func check(_ name: String, _ text: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let url = Self.golden.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["XEN_BOARD_UPDATE_GOLDEN"] == "1" {
            try Data(text.utf8).write(to: url)
            return
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        XCTAssertEqual(text, expected, "\(name) differs from its golden file", file: file, line: line)
    }

    func testEveryShippedDescriptionMatchesItsGoldenFiles() throws {
        let layout = try XenLayout.shipped("4.17")
        let all = try UARTCatalog.shipped()
        XCTAssertGreaterThanOrEqual(all.count, 2)
        for u in all {
            let port = try UARTDriverPort(u, layout: layout)
            XCTAssertEqual(port.files.count, 3, u.description.name)
            for f in port.files {
                let arch = f.path.contains("/arm32/") ? "arm32." : f.path.contains("/arm64/") ? "arm64." : ""
                try check("\(u.description.name).\(arch)\(URL(fileURLWithPath: f.path).pathExtension)", f.text)
            }
            let edits = port.edits.map { "--- \($0.path) (\($0.purpose))\n\($0.text)\n" }.joined()
            try check("\(u.description.name).edits", edits)
        }
    }

    func testRegisterCompatibleVariantsMatchTheirGoldenEdits() throws {
        let variants = try RegisterCompatibleVariant.shipped()
        XCTAssertEqual(variants.map(\.driver).sorted(), ["imx-lpuart", "imx-lpuart", "meson", "ns16550", "omap", "omap", "omap"])
        for v in variants {
            XCTAssertFalse(v.equivalence.isEmpty || v.sources.isEmpty, "\(v.name) records why its registers are equivalent")
            try check("variant-\(v.name).edits", v.edits.map { "--- \($0.path) (\($0.purpose))\n\($0.text)\n" }.joined())
        }
        let (k3, c) = try XCTUnwrap(RegisterCompatibleVariant.variant(for: ["ti,j721e-uart", "ti,am654-uart"]))
        XCTAssertEqual(k3.name, "ti-k3-omap")
        XCTAssertEqual(c, "ti,j721e-uart")
        XCTAssertNil(RegisterCompatibleVariant.variant(for: ["arm,pl011"]))
        // Xen 4.20 matches ti,am654-uart itself: its variant adds the other K3 UARTs after that entry.
        let (k3new, c420) = try XCTUnwrap(RegisterCompatibleVariant.variant(for: ["ti,j721e-uart", "ti,am654-uart"], version: .v4_20))
        XCTAssertEqual(k3new.name, "ti-k3-omap-4.20")
        XCTAssertEqual(c420, "ti,j721e-uart")
    }
}
