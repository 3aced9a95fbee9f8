import Foundation
import Infrastructure
import XCTest

/// `inspect --xen-version`: the same tree answered per Xen version, versions compared side by side, bad versions named.
final class InspectVersionTests: XCTestCase {
    var work: URL!
    var binary: URL { Bundle.main.bundleURL.appendingPathComponent("xen-board") }

    /// A TI K3 (AM654-like) arm64 board whose console is `ti,am654-uart`: 4.17's omap driver does not match it
    /// (xen-board adds the compatible), 4.20's does.
    static let k3 = """
    /dts-v1/;
    / {
        #address-cells = <2>; #size-cells = <2>; compatible = "ti,am654-evm", "ti,am654"; interrupt-parent = <&gic>;
        chosen { stdout-path = "serial2:115200n8"; };
        aliases { serial2 = &uart; };
        cpus { #address-cells = <1>; #size-cells = <0>;
            cpu@0 { device_type = "cpu"; compatible = "arm,cortex-a53"; reg = <0>; enable-method = "psci"; }; };
        psci { compatible = "arm,psci-1.0"; method = "smc"; };
        memory@80000000 { device_type = "memory"; reg = <0 0x80000000 0 0x80000000>; };
        gic: interrupt-controller@1800000 { compatible = "arm,gic-v3"; #interrupt-cells = <3>; interrupt-controller;
            reg = <0 0x1800000 0 0x10000>, <0 0x1880000 0 0x90000>; interrupts = <1 9 4>; };
        timer { compatible = "arm,armv8-timer"; interrupts = <1 13 8>, <1 14 8>, <1 11 8>, <1 10 8>; };
        uart: serial@2800000 { compatible = "ti,am654-uart"; reg = <0 0x2800000 0 0x100>; interrupts = <0 192 4>;
            clock-frequency = <48000000>; };
    };
    """

    override func setUpWithError() throws {
        work = FileManager.default.temporaryDirectory.appendingPathComponent("xb-inspect-version-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work.appendingPathComponent("corpus"), withIntermediateDirectories: true)
        let r = try ProcessRunner.run("dtc", ["-q", "-I", "dts", "-O", "dtb", "-o", path("corpus/k3.dtb")], stdin: Array(Self.k3.utf8), timeout: 60)
        XCTAssertEqual(r.status, 0, r.stderr)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: work) }

    func path(_ name: String) -> String { work.appendingPathComponent(name).path }

    func xb(_ args: String...) throws -> (status: Int32, stdout: String, stderr: String) {
        let r = try ProcessRunner.run(binary.path, args, timeout: 600)
        return (r.status, r.stdout, r.stderr)
    }

    func console(_ args: String...) throws -> [String: Any] {
        let r = try ProcessRunner.run(binary.path, ["inspect", path("corpus/k3.dtb"), "--json"] + args, timeout: 600)
        XCTAssertEqual(r.status, 0, r.stderr)
        let j = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        var c = try XCTUnwrap(j["console"] as? [String: Any])
        c["xenVersion"] = j["xenVersion"]
        return c
    }

    func testK3ConsoleIsSupportedOn420NotOn417() throws {
        let old = try console("--xen-version", "4.17")
        XCTAssertEqual(old["xenVersion"] as? String, "4.17")
        XCTAssertEqual(old["verdict"] as? String, "compatible-added")
        let new = try console("--xen-version", "4.20")
        XCTAssertEqual(new["xenVersion"] as? String, "4.20")
        XCTAssertEqual(new["verdict"] as? String, "supported")
        XCTAssertEqual(new["xenDriver"] as? String, "omap")
        // arm64's default is the newest Xen Debian ships prebuilt for it.
        XCTAssertEqual(try console()["xenVersion"] as? String, "4.20")
        let text = try xb("inspect", path("corpus/k3.dtb"), "--xen-version", "4.17")
        XCTAssertTrue(text.stdout.contains("no Xen 4.17 driver matches \"ti,am654-uart\""), text.stdout)
    }

    func testSummaryComparesVersionsSideBySide() throws {
        let r = try xb("inspect", "--summary", path("corpus"), "--xen-version", "4.17,4.20")
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("Xen 4.17  Xen 4.20"), r.stdout)
        XCTAssertTrue(r.stdout.contains("k3.dtb: 4.17 compatible-added (compatible-added) -> 4.20 xen-driver (supported)"), r.stdout)
        let j = try xb("inspect", "--summary", path("corpus"), "--xen-version", "4.17,4.20", "--json")
        let parsed = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(j.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(parsed["versions"] as? [String], ["4.17", "4.20"])
        XCTAssertEqual((parsed["summaries"] as? [[String: Any]])?.map { $0["xenVersion"] as? String }, ["4.17", "4.20"])
    }

    func testUnknownVersionNamesTheSupportedOnes() throws {
        let r = try xb("inspect", path("corpus/k3.dtb"), "--xen-version", "4.18")
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("unknown Xen version \"4.18\": supported versions are 4.17 (Debian 12), 4.20 (Debian 13)"), r.stderr)
        let list = try xb("inspect", path("corpus/k3.dtb"), "--xen-version", "4.17,4.20")
        XCTAssertNotEqual(list.status, 0)
        XCTAssertTrue(list.stderr.contains("a list compares versions with --summary"), list.stderr)
    }

    /// Debian 13 ships no arm32 hypervisor: asking for a prebuilt 4.20 on vexpress names the version, the package that
    /// does not exist, the source build and the versions that do have one; with `--xen source` no package is needed.
    func testPrebuiltVersionDebianDoesNotShipForTheArch() throws {
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let r = try ProcessRunner.run(binary.path, ["build", repo.appendingPathComponent("boards/vexpress.toml").path,
                                                    "--xen-version", "4.20", "--out", path("out")], timeout: 600)
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("Debian 13 ships no prebuilt Xen 4.20 for arm32 (xen-hypervisor-4.20-armhf does not exist)"), r.stderr)
        XCTAssertTrue(r.stderr.contains("build Xen 4.20 from Debian's source") && r.stderr.contains("hypervisor: 4.17"), r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("out")), "nothing written")
    }
}
