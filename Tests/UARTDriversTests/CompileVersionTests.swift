import Foundation
import TestSupport
import UARTDrivers
import XCTest
import XenArm
import XenSource

/// The generated drivers, early-printk `.inc` files and tree edits for Xen 4.20's layout compile inside Debian 13's
/// Xen 4.20 source (the `CompileTests` recipe): arm64 for every description; arm32 for those whose early printk 4.20's
/// arm32 head.S leaves a register for (the others' choice entry depends on ARM_64). 4.20's own variant (ti-dra7-omap)
/// is compiled on arm32.
final class CompileVersionTests: XCTestCase {
    func check420(_ arch: Architecture) throws {
        try prerequisite("cross toolchain for \(arch.rawValue)") { try XenBuild.checkTools(arch) }
        let source = try prerequisite("Debian 13's xen 4.20 source package") { try XenSourceTree.obtain(version: .v4_20) }
        let tree = try source.workTree(name: "uartgen-4.20-\(arch.rawValue)")
        let layout = try XenLayout.shipped("4.20")
        let madeUp = try UARTCatalog.parse(Data(MadeUpUART.json.utf8), file: "MadeUpUART.json")
        let uarts = try (UARTCatalog.shipped() + [madeUp]).filter { try UARTDriverPort($0, layout: layout).earlyPrintkArchitectures.contains(arch) }
        XCTAssertFalse(uarts.isEmpty)
        let variants = try RegisterCompatibleVariant.shipped().filter { $0.applies(to: .v4_20) }
        XCTAssertEqual(variants.map(\.name), ["ti-dra7-omap"])
        let objects = try CompileTests.compile(uarts, variants: variants, arch: arch, tree: tree, layout: layout)
        XCTAssertEqual(objects.count, uarts.count * 3 + Set(CompileTests.built(variants, arch).map(\.file)).count)
        for o in objects { XCTAssertTrue(FileManager.default.fileExists(atPath: o.path), o.path) }
    }

    func testEveryDescriptionCompilesInXen420ForArm64() throws { try check420(.arm64) }
    func testDescriptionsWithArm32EarlyPrintkCompileInXen420() throws { try check420(.arm32) }
}
