import BoardModel
import PlatformQuirks
import XenArm
import XCTest

final class PlatformTests: XCTestCase {
    func testGICv2Checks() throws {
        var b = Board()
        b.gic = """
        gic: interrupt-controller@2c001000 { compatible = "arm,cortex-a15-gic"; interrupt-controller; #interrupt-cells = <3>;
            reg = <0 0x2c001000 0 0x1000>, <0 0x2c002000 0 0x2000>, <0 0x2c004000 0 0x2000>, <0 0x2c006000 0 0x2000>;
            interrupts = <1 9 0xf04>; };
        """
        var r = try b.model()
        XCTAssertEqual(r.gic.version, 2)
        XCTAssertEqual(r.gic.regions.map(\.name), ["GICD", "GICC", "GICH", "GICV"])
        XCTAssertEqual(r.gic.maintenanceIRQ, 25)
        XCTAssertTrue(r.ready, "\(r.findings)")
        // No virtualization regions.
        let twoRegions = b.gic.replacingOccurrences(of: ", <0 0x2c004000 0 0x2000>, <0 0x2c006000 0 0x2000>", with: "")
        var c = b
        c.gic = twoRegions
        r = try c.model()
        XCTAssertTrue(r.hasBlocker(.gicNoVirtualization))
        // GICC 4K is forced to 8K; a 4K GICV then no longer matches.
        c.gic = b.gic.replacingOccurrences(of: "<0 0x2c002000 0 0x2000>", with: "<0 0x2c002000 0 0x1000>")
            .replacingOccurrences(of: "<0 0x2c006000 0 0x2000>", with: "<0 0x2c006000 0 0x1000>")
        r = try c.model()
        XCTAssertTrue(r.hasWarning(.giccTooSmall))
        XCTAssertTrue(r.hasBlocker(.gicGiccGicvSize))
        // Maintenance interrupt missing.
        c.gic = b.gic.replacingOccurrences(of: "interrupts = <1 9 0xf04>;", with: "")
        r = try c.model()
        XCTAssertTrue(r.hasBlocker(.gicNoMaintenanceIRQ))
    }

    func testGICv3AndUnsupportedControllers() throws {
        var b = Board()
        var r = try b.model()
        XCTAssertEqual(r.gic.version, 3)
        XCTAssertEqual(r.gic.regions.map(\.name), ["GICD", "GICR0"])
        r = try b.model(arch: .arm32)
        XCTAssertTrue(r.hasBlocker(.gicv3Arm32))
        b.gic = """
        gic: interrupt-controller@1000 { compatible = "arm,cortex-a9-gic"; interrupt-controller; #interrupt-cells = <3>; reg = <0 0x1000 0 0x1000>; };
        """
        r = try b.model()
        XCTAssertNil(r.gic.version)
        XCTAssertTrue(r.hasBlocker(.gicUnsupported))
    }

    func testTimer() throws {
        var b = Board()
        XCTAssertEqual(try b.model().timer.interrupts, [29, 30, 27, 26])
        b.timer = "timer { compatible = \"arm,armv8-timer\"; interrupts = <1 13 4>, <1 14 4>, <1 11 4>; clock-frequency = <24000000>; };"
        var r = try b.model()
        XCTAssertTrue(r.hasBlocker(.timerInterrupts))
        XCTAssertTrue(r.hasWarning(.timerClockFrequency))
        b.timer = ""
        r = try b.model()
        XCTAssertNil(r.timer.path)
        XCTAssertTrue(r.hasBlocker(.timerMissing))
    }

    func testMemoryAndReservations() throws {
        var b = Board()
        b.memory = """
        memory@40000000 { device_type = "memory"; reg = <0 0x40000000 0 0x40000000>, <0 0 0 0>; };
        memory@100000000 { device_type = "memory"; reg = <1 0 0 0x40000000>; };
        reserved-memory { #address-cells = <2>; #size-cells = <2>; ranges;
            optee@7e000000 { reg = <0 0x7e000000 0 0x2000000>; no-map; };
            cma { compatible = "shared-dma-pool"; size = <0 0x1000000>; reusable; }; };
        """
        var r = try b.model(memreserve: "/memreserve/ 0x48000000 0x10000;")
        XCTAssertEqual(r.memory.banks.map(\.address), [0x4000_0000, 0x1_0000_0000], "zero-sized banks skipped, sorted")
        XCTAssertEqual(r.memory.reserved.map(\.source), ["/memreserve/", "/reserved-memory/optee@7e000000"])
        XCTAssertEqual(r.memory.reserved.last?.noMap, true)
        b.memory = "memory@0 { device_type = \"memory\"; reg = <0 0 0 0>; };"
        r = try b.model()
        XCTAssertTrue(r.hasWarning(.memoryFilledByFirmware))
        b.memory = "memory@0 { reg = <0 0 0 0x40000000>; }; memory@20000000 { reg = <0 0x20000000 0 0x1000>; };"
        r = try b.model()
        XCTAssertTrue(r.hasBlocker(.memoryOverlap))
    }

    func testPlatformMatchingFollowsLinkOrderAndIgnoresCase() throws {
        var b = Board()
        b.root = b.root.replacingOccurrences(of: "\"vendor,board\"", with: "\"pine64,pine64\", \"Allwinner,SUN50I-A64\"")
        var r = try b.model()
        XCTAssertEqual(r.platform?.name, "Allwinner ARMv8")
        XCTAssertEqual(r.platform?.blacklist, ["snps,dw-apb-uart"])
        b.root = b.root.replacingOccurrences(of: "\"Allwinner,SUN50I-A64\"", with: "\"brcm,bcm2711\"")
        r = try b.model()
        XCTAssertEqual(r.platform?.name, "Raspberry Pi 4")
        XCTAssertEqual(r.platform?.dmaBitsize, 30)
        r = try b.model(arch: .arm32)
        XCTAssertNil(r.platform, "rpi4 is built for arm64 only")
        b.root = b.root.replacingOccurrences(of: "\"brcm,bcm2711\"", with: "\"samsung,exynos5250\"")
        r = try b.model(arch: .arm32)
        XCTAssertEqual(r.platform?.symbol, "exynos5250")
        XCTAssertEqual(r.platform?.specificMappings.count, 2)
        XCTAssertEqual(r.platform?.hooks.contains(.specificMapping), true)
    }

    func testDevicesSharingTheConsolePageAndIOMMUs() throws {
        var b = Board()
        b.extra = """
        gpio@9000800 { compatible = "vendor,gpio"; reg = <0 0x9000800 0 0x100>; };
        smmu: iommu@5000000 { compatible = "arm,mmu-500"; reg = <0 0x5000000 0 0x10000>; #iommu-cells = <1>; };
        other-iommu@6000000 { compatible = "vendor,iommu"; reg = <0 0x6000000 0 0x1000>; #iommu-cells = <0>; };
        dma@7000000 { reg = <0 0x7000000 0 0x1000>; iommus = <&smmu 3>; };
        pmu { compatible = "arm,armv8-pmuv3"; };
        """
        let r = try b.model()
        XCTAssertTrue(r.hasWarning(.deviceSharesConsolePage))
        XCTAssertTrue(r.platformFile.needed)
        XCTAssertTrue(r.platformFile.reasons.contains { if case .devicesToHide(let paths) = $0 { return paths == ["/gpio@9000800"] } else { return false } },
                      "\(r.platformFile.reasons)")
        XCTAssertEqual(r.iommus.map(\.xenDriver), ["arm-smmu", nil])
        XCTAssertEqual(r.iommus.first?.masters, 1)
        let hidden = Dictionary(uniqueKeysWithValues: r.hiddenDevices.map { ($0.path, $0.kind) })
        XCTAssertEqual(hidden["/serial@9000000"], .consoleUART)
        XCTAssertEqual(hidden["/gpio@9000800"], .sharesConsolePage(page: 0x900_0000))
        XCTAssertEqual(hidden["/iommu@5000000"], .xenIOMMU(driver: "arm-smmu"))
        XCTAssertNil(hidden["/other-iommu@6000000"])
        XCTAssertEqual(hidden["/pmu"], .hostOnly(compatible: "arm,armv8-pmuv3"))
        XCTAssertEqual(r.devicesToBlacklist.map(\.path), ["/gpio@9000800"], "only the device sharing the console page")
    }

    func testMissingEverythingStillReports() throws {
        let r = try model("compatible = \"bare\";")
        XCTAssertFalse(r.ready)
        XCTAssertNil(r.console.path)
        XCTAssertTrue(r.cpus.isEmpty)
        XCTAssertNil(r.psci)
        XCTAssertNil(r.gic.version)
        XCTAssertNil(r.timer.path)
        XCTAssertTrue(r.memory.banks.isEmpty)
        for code: FindingCode in [.consoleNone, .gicUnsupported, .timerMissing] { XCTAssertTrue(r.hasBlocker(code), code.rawValue) }
        XCTAssertTrue(r.hasWarning(.noCpusNode))
        XCTAssertTrue(r.hasWarning(.memoryFromBootloader))
    }
}
