import Foundation
import UARTDrivers
import XCTest
import XenArm

/// The generated drivers for Xen 4.20's layout (`Data/xen/xen-4.20.json`): golden files under Golden/4.20/, for what
/// differs from 4.17's output (the DT address call and type, the version in each header; arm32 early printk only where
/// the transmit needs no scratch register). XEN_BOARD_UPDATE_GOLDEN=1 rewrites them.
final class GoldenVersionTests: XCTestCase {
    static let golden = GoldenTests.golden.appendingPathComponent("4.20")

    func check(_ name: String, _ text: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let url = Self.golden.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["XEN_BOARD_UPDATE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: Self.golden, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
            return
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        XCTAssertEqual(text, expected, "4.20/\(name) differs from its golden file", file: file, line: line)
    }

    func testEveryShippedDescriptionFor420() throws {
        let old = try XenLayout.shipped("4.17"), new = try XenLayout.shipped("4.20")
        for u in try UARTCatalog.shipped() {
            let port = try UARTDriverPort(u, layout: new), before = try UARTDriverPort(u, layout: old)
            XCTAssertTrue(port.earlyPrintkArchitectures.contains(.arm64), u.description.name)
            for f in port.files {
                let arch = f.path.contains("/arm32/") ? "arm32." : f.path.contains("/arm64/") ? "arm64." : ""
                try check("\(u.description.name).\(arch)\(URL(fileURLWithPath: f.path).pathExtension)", f.text)
                if f.path.hasSuffix(".c") {
                    XCTAssertTrue(f.text.contains("paddr_t addr, size;") && f.text.contains("dt_device_get_paddr(dev, 0, &addr, &size)"), u.description.name)
                }
            }
            let edits = port.edits.map { "--- \($0.path) (\($0.purpose))\n\($0.text)\n" }.joined()
            if port.earlyPrintkArchitectures == before.earlyPrintkArchitectures {
                XCTAssertEqual(edits, before.edits.map { "--- \($0.path) (\($0.purpose))\n\($0.text)\n" }.joined(),
                               "\(u.description.name): 4.20's Kconfig/Makefile anchors are 4.17's")
            } else {
                try check("\(u.description.name).edits", edits)
            }
        }
    }
}
