import Foundation
import Infrastructure
import TestSupport
import XCTest

/// Board semantics that need the device tree fail `xen-board build` itself (issue 11, part 3): non-zero exit, the
/// board file and line of the key in the message, no output left. BoardChecksTests covers each check; this proves
/// `build` runs them.
final class BoardSemanticsBuildTests: XCTestCase {
    var work: URL!

    override func setUpWithError() throws {
        work = FileManager.default.temporaryDirectory.appendingPathComponent("xb-sem-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        let dts = """
        /dts-v1/; / { #address-cells = <2>; #size-cells = <2>; compatible = "test,board";
          aliases { serial0 = "/uart@9000000"; rtc = "/pl031@9010000"; };
          cpus { #address-cells = <1>; #size-cells = <0>;
            cpu@0 { device_type = "cpu"; reg = <0>; compatible = "arm,cortex-a57"; enable-method = "psci"; }; };
          psci { compatible = "arm,psci-1.0"; method = "hvc"; };
          memory@40000000 { device_type = "memory"; reg = <0x0 0x40000000 0x0 0x40000000>; };
          reserved-memory { #address-cells = <2>; #size-cells = <2>; ranges; fw@50000000 { reg = <0x0 0x50000000 0x0 0x100000>; no-map; }; };
          uart@9000000 { compatible = "arm,pl011", "arm,primecell"; reg = <0x0 0x9000000 0x0 0x1000>; };
          pl031@9010000 { compatible = "arm,pl031", "arm,primecell"; reg = <0x0 0x9010000 0x0 0x1000>; };
          chosen { stdout-path = "serial0"; };
        };
        """
        try Data(compileDTS(dts)).write(to: work.appendingPathComponent("board.dtb"))
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: work) }

    func testBoardSemanticsFailTheBuildNamingTheBoardFileLine() throws {
        _ = try requireTool("mkimage")
        let head = "description = \"t\"\narch = \"arm64\"\nstatus = \"build-only\"\n[dtb]\npath = \"board.dtb\"\n[xen]\nversion = \"4.17\"\n"
        let cases: [(name: String, text: String, line: Int, fragment: String)] = [
            ("console", head + "console = \"/memory@40000000\"\n", 8, "is /memory@40000000 (a memory node), not a UART"),
            ("twice", head + "[[domu]]\nname = \"a\"\nmemory = \"64M\"\npassthrough = [\"/pl031@9010000\"]\n"
                + "[[domu]]\nname = \"b\"\nmemory = \"64M\"\npassthrough = [\"rtc\"]\n", 15, "is given to both domu 'a' and domu 'b'"),
            ("vcpus", head + "[dom0]\nvcpus = 4\n", 9, "dom0 vcpus = 4 but the device tree has 1 CPU(s)"),
            ("static", head + "[[domu]]\nname = \"s\"\nmemory = \"64M\"\nstatic-mem = \"0x4e000000:0x4000000\"\n", 11,
             "overlaps reserved memory /reserved-memory/fw@50000000"),
        ]
        for c in cases {
            let file = work.appendingPathComponent(c.name + ".toml")
            try Data(c.text.utf8).write(to: file)
            let out = work.appendingPathComponent("out-" + c.name)
            let r = try XenBoardCLI.run(["build", file.path, "--out", out.path], in: work)
            XCTAssertNotEqual(r.status, 0, c.name)
            XCTAssertTrue(r.stderr.contains("\(file.path):\(c.line): ") && r.stderr.contains(c.fragment), "\(c.name): \(r.stderr)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: out.path), "\(c.name): output left behind")
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: work.path).filter { $0.hasPrefix(".xb-") }, [], c.name)
        }
    }
}
