import BoardModel
import SMPBringup
import XenArm
import XCTest

final class SMPTests: XCTestCase {
    func testPSCIBringUp() throws {
        let r = try Board().model()
        XCTAssertEqual(r.cpus.map(\.method), [.bootCPU, .psci])
        XCTAssertEqual(r.cpus.map(\.cpu.mpidr), [0, 1])
        XCTAssertEqual(r.psci?.version, .v1_0)
        XCTAssertEqual(r.psci?.conduit, .smc)
    }

    func testHVCConduitAndMissingPSCI() throws {
        var b = Board()
        b.psci = "psci { compatible = \"arm,psci-0.2\"; method = \"hvc\"; };"
        var r = try b.model()
        XCTAssertTrue(r.hasBlocker(.psciNotSmc))
        XCTAssertTrue(r.hasBlocker(.cpuPSCIUnavailable))
        XCTAssertEqual(r.cpus.last?.isOffline, true)
        b.psci = ""
        r = try b.model()
        XCTAssertNil(r.psci)
        XCTAssertTrue(r.hasBlocker(.cpuPSCIUnavailable))
    }

    func testSpinTable() throws {
        var b = Board()
        b.cpus = """
        cpus { #address-cells = <2>; #size-cells = <0>;
            cpu@0 { device_type = "cpu"; compatible = "arm,cortex-a53"; reg = <0 0>; enable-method = "spin-table"; cpu-release-addr = <0 0xd8>; };
            cpu@1 { device_type = "cpu"; compatible = "arm,cortex-a53"; reg = <0 1>; enable-method = "spin-table"; cpu-release-addr = <0 0xe0>; };
            cpu@2 { device_type = "cpu"; compatible = "arm,cortex-a53"; reg = <0 2>; enable-method = "spin-table"; };
        };
        """
        var r = try b.model()
        XCTAssertEqual(r.cpus.prefix(2).map(\.method), [.bootCPU, .spinTable(releaseAddress: 0xe0)])
        XCTAssertEqual(r.cpus.last?.isOffline, true)
        XCTAssertTrue(r.hasBlocker(.cpuNoReleaseAddr))
        XCTAssertTrue(r.hasWarning(.spinTableNotReserved))
        r = try b.model(memreserve: "/memreserve/ 0x0 0x1000;")
        XCTAssertFalse(r.hasWarning(.spinTableNotReserved))
    }

    func testBadCPUNodes() throws {
        var b = Board()
        b.cpus = """
        cpus { #address-cells = <1>; #size-cells = <0>;
            cpu@0 { device_type = "cpu"; reg = <0>; enable-method = "psci"; };
            cpu@1 { device_type = "cpu"; reg = <0>; enable-method = "psci"; };
            cpu@2 { device_type = "cpu"; reg = <2>; enable-method = "acme,magic"; };
            cpu@3 { device_type = "cpu"; reg = <3>; };
            cpu@4 { device_type = "cpu"; reg = <0xff000000>; enable-method = "psci"; };
            l2 { compatible = "cache"; };
        };
        """
        let r = try b.model()
        XCTAssertEqual(r.cpus.count, 5, "only device_type = cpu nodes")
        XCTAssertTrue(r.hasBlocker(.cpuDuplicateMPIDR))
        XCTAssertTrue(r.hasBlocker(.cpuUnknownEnableMethod))
        XCTAssertTrue(r.hasBlocker(.cpuNoEnableMethod))
        XCTAssertTrue(r.hasBlocker(.cpuInvalidHwid), "bits 24-31 are outside MPIDR_HWID_MASK")
    }

    func testArm32UsesPSCIOrThePlatformHook() throws {
        var b = Board()
        b.psci = ""
        b.cpus = b.cpus.replacingOccurrences(of: "enable-method = \"psci\";", with: "")
        var r = try b.model(arch: .arm32)
        XCTAssertTrue(r.hasBlocker(.cpuNoBringup), "arm32, no PSCI, no platform")
        XCTAssertTrue(r.platformFile.needed)
        b.root = b.root.replacingOccurrences(of: "\"vendor,board\"", with: "\"vendor,board\", \"arm,vexpress\"")
        r = try b.model(arch: .arm32)
        XCTAssertEqual(r.platform?.name, "VERSATILE EXPRESS")
        guard case .platformHook = r.cpus.last?.method else { return XCTFail("CPU 1: \(String(describing: r.cpus.last?.method))") }
        XCTAssertFalse(r.platformFile.needed)
    }

    func testHeterogeneousCoresAndClusters() throws {
        var b = Board()
        b.cpus = """
        cpus { #address-cells = <1>; #size-cells = <0>;
            cpu-map { cluster0 { core0 { cpu = <&c0>; }; }; cluster1 { core0 { cpu = <&c1>; }; }; };
            c0: cpu@0 { device_type = "cpu"; compatible = "arm,cortex-a53"; reg = <0>; enable-method = "psci"; };
            c1: cpu@100 { device_type = "cpu"; compatible = "arm,cortex-a72"; reg = <0x100>; enable-method = "psci"; };
        };
        """
        let r = try b.model()
        XCTAssertTrue(r.hasWarning(.heterogeneousCpus))
        XCTAssertEqual(r.cpus.map(\.cpu.cluster), ["cluster0/core0", "cluster1/core0"])
        XCTAssertTrue(r.ready)
    }
}
