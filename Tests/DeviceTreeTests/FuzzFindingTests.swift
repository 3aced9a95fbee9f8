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

    /// fuzz-passthrough, 2026-12-02 (long extraction run, out-of-memory after 682,560 executions): an
    /// `interrupt-map` nexus with `#address-cells = <0x23000002>` sized the child unit address from it (2.3 GB).
    func testHugeAddressCellsOnAnInterruptMapNexusIsAnError() throws {
        let tree = try decodeDTS("""
        /dts-v1/; / { #address-cells = <1>; #size-cells = <1>;
          gic: intc { interrupt-controller; #interrupt-cells = <3>; #address-cells = <0>; };
          bus@8000000 { #address-cells = <0x23000002>; #size-cells = <1>; #interrupt-cells = <1>;
            interrupt-map-mask = <0 0 7>; interrupt-map = <0 0 1 &gic 0 0 4 1>;
            d@8000 { reg = <0x8000 0x10>; interrupts = <1>; }; }; };
        """)
        let node = try XCTUnwrap(tree.node(at: "/bus@8000000/d@8000"))
        XCTAssertThrowsError(try tree.interrupts(of: node)) {
            XCTAssertTrue("\($0)".contains("#address-cells") && "\($0)".contains("587202562"), "\($0)")
        }
    }
}
