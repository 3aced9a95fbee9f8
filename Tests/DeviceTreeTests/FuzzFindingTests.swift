import DeviceTree
import TestSupport
import XCTest

/// Regression tests for what the libFuzzer targets found (docs/fuzzing.md).
final class FuzzFindingTests: XCTestCase {
    /// fuzz-passthrough, 2026-12-01 (5 out-of-memory findings): an identity `ranges` under a parent whose
    /// `#address-cells` is huge sized a cell array from it (0x10000000 cells: 2.8 GB) before any check.
    func testHugeAddressCellsAboveAnIdentityRangesIsAnError() throws {
        let tree = try decodeDTS("""
        /dts-v1/; / { #address-cells = <0x10000000>; #size-cells = <1>;
          bus { compatible = "simple-bus"; #address-cells = <1>; #size-cells = <1>; ranges;
            d@8000 { reg = <0x8000 0x10>; }; }; };
        """)
        let node = try XCTUnwrap(tree.node(at: "/bus/d@8000"))
        XCTAssertThrowsError(try tree.physicalRegions(of: node)) {
            XCTAssertTrue("\($0)".contains("#address-cells") && "\($0)".contains("268435456"), "\($0)")
        }
    }
}
