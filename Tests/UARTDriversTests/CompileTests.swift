import Foundation
import TestSupport
import UARTDrivers
import XCTest
import XenArm
import XenSource

/// Every shipped description's generated driver, early-printk `.inc` and tree edits compile inside Debian's Xen 4.17
/// for arm32 and arm64: one work tree per architecture, then per description a configure (driver on, early printk
/// through it) and a compile of the driver object, debug.o and head.o (which include the `.inc`). Lean on purpose:
/// objects, not a whole Xen per description. Skipped without the Xen source or the cross toolchains, failing under CI.
final class CompileTests: XCTestCase {
    /// Compiles `uarts` in a fresh work tree named `name`; returns the objects built.
    static func compile(_ uarts: [ResolvedUART], variants: [RegisterCompatibleVariant], arch: Architecture, tree: URL,
                        layout: XenLayout) throws -> [URL] {
        var objects: [URL] = []
        let ports = try uarts.map { try UARTDriverPort($0, layout: layout) }
        // Every driver, variant and edit at once, so the edits also prove they compose.
        var files: [String: String] = [:]
        func read(_ path: String) throws -> String {
            if let t = files[path] { return t }
            return try String(contentsOf: tree.appendingPathComponent(path), encoding: .utf8)
        }
        for port in ports {
            for f in try port.treeFiles(original: read) { files[f.path] = f.text }
        }
        // Variants of drivers Xen builds for this architecture (after any Kconfig widening the variant brings).
        let built = Self.built(variants, arch)
        for v in built {
            for f in try v.treeFiles(original: read) { files[f.path] = f.text }
        }
        var variantObjects = Set(built.map { String($0.file.dropFirst(4).dropLast(2)) + ".o" }).sorted()
        let variantConfig = Set(built.compactMap { DriverCatalog.driver(named: $0.driver).map { "CONFIG_\($0.kconfig)=y" } }).sorted()
        let generated = files.sorted { $0.key < $1.key }.map { GeneratedFile(path: $0.key, text: $0.value) }
        let allDrivers = ports.map { "CONFIG_\($0.kconfigSymbol)=y" } + variantConfig
        for port in ports {
            let base: UInt64 = 0x3086_0000
            let lines = allDrivers + port.configLines(earlyPrintkBase: base).filter { !allDrivers.contains($0) }
            let fragment = try ConfigFragment(parsing: lines.joined(separator: "\n"))
            let dir = "arch/arm/\(arch == .arm64 ? "arm64" : "arm32")"
            let targets = [String(port.files[0].path.dropFirst(4).dropLast(2)) + ".o", "\(dir)/debug.o", "\(dir)/head.o"] + variantObjects
            variantObjects = []
            for t in targets { try? FileManager.default.removeItem(at: tree.appendingPathComponent("xen/" + t)) }
            let r = try XenBuild.compileCheck(tree: tree, arch: arch, files: generated, fragment: fragment, objects: targets)
            objects += r.objects
            let config = try String(contentsOf: r.config, encoding: .utf8)
            XCTAssertTrue(config.contains("CONFIG_EARLY_PRINTK_INC=\"\(EarlyPrintkAsm.includeName(port.uart))\""),
                          "\(port.uart.description.name): Kconfig.debug edits did not select the generated .inc")
        }
        return objects
    }

    static func built(_ variants: [RegisterCompatibleVariant], _ arch: Architecture) -> [RegisterCompatibleVariant] {
        variants.filter { $0.architectures.contains(arch) }
    }

    func check(_ arch: Architecture) throws {
        try prerequisite("cross toolchain for \(arch.rawValue)") { try XenBuild.checkTools(arch) }
        let source = try prerequisite("Debian's xen source package") { try XenSourceTree.obtain() }
        let tree = try source.workTree(name: "uartgen-\(arch.rawValue)")
        let madeUp = try UARTCatalog.parse(Data(MadeUpUART.json.utf8), file: "MadeUpUART.json")
        let uarts = try UARTCatalog.shipped() + [madeUp]
        let start = Date()
        let variants = try RegisterCompatibleVariant.shipped().filter { $0.applies(to: .v4_17) }
        XCTAssertGreaterThanOrEqual(variants.count, 4)
        let objects = try Self.compile(uarts, variants: variants, arch: arch, tree: tree, layout: try XenLayout.shipped("4.17"))
        // omap (widened for arm64), ns16550 and, on arm64, imx-lpuart and meson carry the variants' dt_match entries.
        let built = Self.built(variants, arch)
        XCTAssertEqual(objects.count, uarts.count * 3 + Set(built.map(\.file)).count)
        XCTAssertEqual(Set(built.map(\.driver)), arch == .arm64 ? ["omap", "ns16550", "imx-lpuart", "meson"] : ["omap", "ns16550"])
        for v in built {
            let c = try String(contentsOf: tree.appendingPathComponent(v.file), encoding: .utf8)
            for compatible in v.compatibles { XCTAssertTrue(c.contains("DT_MATCH_COMPATIBLE(\"\(compatible)\")"), "\(v.name): \(compatible)") }
        }
        for o in objects { XCTAssertTrue(FileManager.default.fileExists(atPath: o.path), o.path) }
        print("TIMING: \(uarts.count) UART descriptions (shipped + made-up) compiled for \(arch.rawValue): \(String(format: "%.1f", Date().timeIntervalSince(start))) s")
    }

    func testEveryDescriptionCompilesForArm64() throws { try check(.arm64) }
    func testEveryDescriptionCompilesForArm32() throws { try check(.arm32) }
}
