import DeviceTree
import Passthrough
import XCTest

/// The validator accepts a good partial tree and rejects a hand-broken copy for each rule.
final class ValidatorTests: XCTestCase {
    /// A correct partial tree for `host()`'s /dev@9100000.
    static let good = """
        #address-cells = <2>; #size-cells = <2>;
        passthrough { compatible = "simple-bus"; ranges; #address-cells = <2>; #size-cells = <2>;
            clk: apb-pclk { compatible = "fixed-clock"; #clock-cells = <0>; clock-frequency = <24000000>; };
            dev@9100000 { compatible = "v,dev"; reg = <0 0x9100000 0 0x100>; interrupt-parent = <0xfde8>; interrupts = <0 5 4>;
                clocks = <&clk>; clock-names = "apb_pclk"; status = "okay";
                xen,reg = <0 0x9100000 0 0x1000 0 0x9100000>; xen,path = "/dev@9100000"; xen,force-assign-without-iommu; };
        };
        """

    func host() throws -> DeviceTree {
        try fixture(board("dev@9100000 { compatible = \"v,dev\"; reg = <0 0x9100000 0 0x100>; interrupts = <0 5 4>; status = \"disabled\"; };"))
    }

    func problems(_ body: String, host: DeviceTree? = nil) throws -> [String] {
        PartialValidator.validate(try fixture(body), host: host)
    }

    func assertRule(_ rule: Int, _ replace: String, with: String, host: DeviceTree? = nil, file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertTrue(Self.good.contains(replace), "fixture text '\(replace)' not found", file: file, line: line)
        let p = try problems(Self.good.replacingOccurrences(of: replace, with: with), host: host)
        XCTAssertTrue(p.contains { $0.hasPrefix("rule \(rule):") }, "rule \(rule) not reported: \(p)", file: file, line: line)
    }

    func testGoodPartialIsValid() throws {
        XCTAssertEqual(try problems(Self.good), [])
        XCTAssertEqual(try problems(Self.good, host: try host()), [])
    }

    func testRule1NotAnFDT() {
        let p = PartialValidator.validate(blob: [0xd0, 0x0d, 0xfe, 0xed, 0, 0, 0, 8], host: nil)
        XCTAssertTrue(p.first?.hasPrefix("rule 1:") ?? false, "\(p)")
    }

    func testRule2And3Structure() throws {
        try assertRule(2, "passthrough {", with: "clocks { };\n other {")
        try assertRule(2, "passthrough {", with: "pt {")
        try assertRule(3, "#address-cells = <2>; #size-cells = <2>;\n", with: "#address-cells = <1>; #size-cells = <1>;\n")
        try assertRule(3, "compatible = \"simple-bus\";", with: "compatible = \"v,bus\";")
        try assertRule(3, "ranges;", with: "ranges = <0 0 0 0 0 0x1000>;")
        try assertRule(3, "simple-bus\"; ranges; #address-cells = <2>; #size-cells = <2>;", with: "simple-bus\"; ranges; #address-cells = <2>;")
    }

    func testRule4XenRegCells() throws {
        try assertRule(4, "xen,reg = <0 0x9100000 0 0x1000 0 0x9100000>", with: "xen,reg = <0 0x9100000 0 0x1000 0>")
    }

    func testRule5Phandles() throws {
        try assertRule(5, "clocks = <&clk>;", with: "clocks = <0x77>;")
        try assertRule(5, "clk: apb-pclk { compatible", with: "clk: apb-pclk { phandle = <65001>; compatible")
        try assertRule(5, "interrupt-parent = <0xfde8>;", with: "interrupt-parent = <0x99>;")
    }

    func testRule6Budget() throws {
        let big = (0..<1100).map { _ in "0x1" }.joined(separator: " ")
        let tree = try fixture(Self.good.replacingOccurrences(of: "status = \"okay\";", with: "status = \"okay\"; v,t = <\(big)>;"))
        let p = PartialValidator.validate(blob: try DTBEncoder.encode(tree), host: nil)
        XCTAssertTrue(p.contains { $0.hasPrefix("rule 6:") }, "\(p)")
    }

    func testRule7XenPath() throws {
        try assertRule(7, "xen,path = \"/dev@9100000\"", with: "xen,path = \"/gone@1\"", host: try host())
        try assertRule(7, "xen,path = \"/dev@9100000\"", with: "xen,path = \"dev\"")
        // xen,reg host ranges must match the host's translated reg.
        try assertRule(7, "xen,reg = <0 0x9100000 0 0x1000 0 0x9100000>", with: "xen,reg = <0 0x9200000 0 0x1000 0 0x9100000>", host: try host())
    }

    func testRule8Alignment() throws {
        try assertRule(8, "xen,reg = <0 0x9100000 0 0x1000 0 0x9100000>", with: "xen,reg = <0 0x9100000 0 0x100 0 0x9100000>")
        try assertRule(8, "xen,reg = <0 0x9100000 0 0x1000 0 0x9100000>", with: "xen,reg = <0 0x9100000 0 0x1000 0 0x9100800>")
    }

    func testRule9Combinations() throws {
        try assertRule(9, "xen,reg = <0 0x9100000 0 0x1000 0 0x9100000>;", with: "")
        try assertRule(9, "xen,path = \"/dev@9100000\"; xen,force-assign-without-iommu;", with: "")
        try assertRule(9, "#clock-cells = <0>;", with: "#clock-cells = <0>; xen,reg = <0 0x9200000 0 0x1000 0 0x9200000>; xen,path = \"/x\";")
    }

    func testRule10ForceAssign() throws {
        try assertRule(10, " xen,force-assign-without-iommu;", with: "", host: try host())
    }

    func testRule11Reg() throws {
        try assertRule(11, "reg = <0 0x9100000 0 0x100>;", with: "reg = <0 0x9300000 0 0x100>;")
        try assertRule(11, "reg = <0 0x9100000 0 0x100>;", with: "")
    }

    func testRule12Status() throws {
        try assertRule(12, "status = \"okay\";", with: "status = \"disabled\";")
    }

    func testRule13Interrupts() throws {
        try assertRule(13, "interrupts = <0 5 4>;", with: "interrupts = <1 5 4>;")
        try assertRule(13, "interrupts = <0 5 4>;", with: "interrupts = <0 5 4 0>;")
    }

    func testRule14InterruptParent() throws {
        try assertRule(14, "interrupt-parent = <0xfde8>;", with: "")
    }

    func testRule17And18GuestMap() throws {
        try assertRule(17, "xen,reg = <0 0x9100000 0 0x1000 0 0x9100000>", with: "xen,reg = <0 0x9100000 0 0x1000 0 0x3001000>")
        try assertRule(18, "xen,reg = <0 0x9100000 0 0x1000 0 0x9100000>", with: "xen,reg = <0 0x9100000 0 0x1000 0 0xfe201000>")
    }

    func testRule19Overlaps() throws {
        try assertRule(19, "interrupts = <0 5 4>;", with: "interrupts = <0 0 4>;")
        let twice = Self.good.replacingOccurrences(of: "        };\n        \"\"\"", with: "")
        let second = """
            dev2@9100000 { compatible = "v,dev"; reg = <0 0x9100000 0 0x100>; status = "okay";
                xen,reg = <0 0x9200000 0 0x1000 0 0x9100000>; xen,force-assign-without-iommu; };
            };
            """
        let body = twice.replacingOccurrences(of: "xen,force-assign-without-iommu; };\n};", with: "xen,force-assign-without-iommu; };\n\(second)")
        let p = try problems(body)
        XCTAssertTrue(p.contains { $0.hasPrefix("rule 19:") }, "\(p)")
    }

    /// The CLI-facing blob entry point agrees with the tree one on an extraction result.
    func testExtractionResultsValidate() throws {
        let h = try host()
        let r = try Passthrough.extract(host: h, devices: ["/dev@9100000"])
        XCTAssertEqual(PartialValidator.validate(blob: r.partialBlob, host: h), [])
        XCTAssertEqual(r.partial.node(at: "/passthrough/dev@9100000")?.property("status")?.string, "okay")
    }
}
