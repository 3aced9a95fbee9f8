import Foundation
import PlatformQuirks
import TestSupport
import UARTDrivers
import XCTest
import XenArm
import XenSource

/// Every per-version catalog entry checked against that version's Xen source tree (Debian's, from the cache): a
/// compatible really is in its driver's `dt_match`, a Kconfig symbol really exists and is built where the entry says,
/// a platform's `PLATFORM_START` and compatibles are in its file, the layout's anchors are in the files `gen` patches;
/// and the other way: every serial driver and platform of the tree is in the catalog.
///
/// `XEN_BOARD_XEN_TREE_4_20=/path` (a directory holding `xen/`) checks a tree apt cannot deliver (this machine's
/// mirror answers 404 for Debian 13's xen source files; docs/xen-versions.md).
final class CatalogSourceTests: XCTestCase {
    func testXen417CatalogMatchesItsSource() throws { try check(.v4_17) }
    func testXen420CatalogMatchesItsSource() throws { try check(.v4_20) }

    func check(_ version: XenVersion) throws {
        let top = try tree(version)
        var problems: [String] = []
        problems += driverProblems(version, top: top)
        problems += platformProblems(version, top: top)
        problems += layoutProblems(version, top: top)
        problems += bindingProblems(version, top: top)
        XCTAssertEqual(problems, [], "Xen \(version) catalog vs \(top.path)")
    }

    func tree(_ version: XenVersion) throws -> URL {
        let key = "XEN_BOARD_XEN_TREE_" + version.rawValue.replacingOccurrences(of: ".", with: "_")
        if let path = ProcessInfo.processInfo.environment[key], !path.isEmpty { return URL(fileURLWithPath: path) }
        return try prerequisite("Debian's Xen \(version) source (xen-board xen --xen-version \(version))") {
            try XenSourceTree.obtain(version: version).pristine
        }
    }

    func read(_ top: URL, _ path: String) -> String? {
        FileManager.default.contents(atPath: top.appendingPathComponent(path).path).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The `config SYMBOL` block of a Kconfig text (up to the next blank-line-separated entry).
    func block(_ symbol: String, in text: String) -> String? {
        guard let r = text.range(of: "config \(symbol)\n") else { return nil }
        let rest = text[r.upperBound...]
        let end = rest.range(of: "\n\n")?.lowerBound ?? rest.endIndex
        return String(rest[..<end])
    }

    func dependsText(_ archs: Set<Architecture>) -> String? {
        archs == [.arm64] ? "depends on ARM_64" : archs == [.arm32] ? "depends on ARM_32" : nil
    }

    func driverProblems(_ version: XenVersion, top: URL) -> [String] {
        var out: [String] = []
        let kconfig = read(top, "xen/drivers/char/Kconfig") ?? ""
        let debug = read(top, "xen/arch/arm/Kconfig.debug") ?? ""
        let drivers = DriverCatalog.drivers(version)
        for d in drivers {
            guard let text = read(top, d.source) else { out.append("\(d.name): \(d.source) missing"); continue }
            // dt_match entries are written `DT_MATCH_COMPATIBLE("c")` or `{ .compatible = "c", ... }` (scif).
            for c in d.compatibles where !text.contains("DT_MATCH_COMPATIBLE(\"\(c)\")") && !text.contains(".compatible = \"\(c)\"") {
                out.append("\(d.name): \(c) not in \(d.source)'s dt_match")
            }
            if let b = block(d.kconfig, in: kconfig) {
                if let dep = dependsText(d.architectures), !b.contains(dep) { out.append("\(d.name): \(d.kconfig) lacks '\(dep)'") }
                if d.architectures == [.arm32, .arm64], b.contains("depends on ARM_") { out.append("\(d.name): \(d.kconfig) is built for one arch only") }
            } else {
                out.append("\(d.name): no 'config \(d.kconfig)' in xen/drivers/char/Kconfig")
            }
            for (c, e) in d.earlyPrintk.sorted(by: { $0.key < $1.key }) {
                guard let b = block(e.choice, in: debug) else { out.append("\(d.name) \(c): no 'config \(e.choice)' in Kconfig.debug"); continue }
                // The entry may claim less than Kconfig allows (SCIFA: only arm32's .inc knows it), never more.
                if b.contains("depends on ARM_64"), e.architectures.contains(.arm32) { out.append("\(d.name) \(c): \(e.choice) is arm64-only") }
                if b.contains("depends on ARM_32"), e.architectures.contains(.arm64) { out.append("\(d.name) \(c): \(e.choice) is arm32-only") }
                for line in e.extraLines {
                    let symbol = line.replacingOccurrences(of: "CONFIG_", with: "").split(separator: "=")[0]
                    if !debug.contains("config \(symbol)\n") { out.append("\(d.name) \(c): \(symbol) not in Kconfig.debug") }
                }
            }
        }
        // The other way: every DT serial driver of the tree is catalogued.
        let dir = top.appendingPathComponent("xen/drivers/char")
        for f in ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).sorted() where f.hasSuffix(".c") {
            guard let text = read(top, "xen/drivers/char/" + f), text.contains("DEVICE_SERIAL)") else { continue }
            if !drivers.contains(where: { $0.source == "xen/drivers/char/" + f }) { out.append("xen/drivers/char/\(f): serial driver not in the catalog") }
        }
        return out
    }

    func platformProblems(_ version: XenVersion, top: URL) -> [String] {
        var out: [String] = []
        let makefile = read(top, "xen/arch/arm/platforms/Makefile") ?? ""
        let platforms = PlatformCatalog.all(version)
        for p in platforms {
            guard let text = read(top, p.source) else { out.append("\(p.symbol): \(p.source) missing"); continue }
            if !text.contains("PLATFORM_START(\(p.symbol), \"\(p.name)\")") { out.append("\(p.symbol): no PLATFORM_START(\(p.symbol), \"\(p.name)\") in \(p.source)") }
            for c in p.compatibles where !text.contains("\"\(c)\"") { out.append("\(p.symbol): \(c) not in \(p.source)") }
            let object = URL(fileURLWithPath: p.source).deletingPathExtension().lastPathComponent + ".o"
            if !makefile.split(separator: "\n").contains(where: { $0.contains("CONFIG_\(p.kconfig))") && $0.hasSuffix(object) }) {
                out.append("\(p.symbol): Makefile does not build \(object) under \(p.kconfig)")
            }
        }
        // Every platform of the tree is catalogued (for one of the architectures).
        let dir = top.appendingPathComponent("xen/arch/arm/platforms")
        for f in ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).sorted() where f.hasSuffix(".c") {
            let text = read(top, "xen/arch/arm/platforms/" + f) ?? ""
            for line in text.split(separator: "\n") where line.hasPrefix("PLATFORM_START(") {
                let symbol = line.dropFirst("PLATFORM_START(".count).split(separator: ",")[0]
                if !platforms.contains(where: { $0.symbol == symbol }) { out.append("\(f): platform \(symbol) not in the catalog") }
            }
        }
        return out
    }

    func layoutProblems(_ version: XenVersion, top: URL) -> [String] {
        guard let layout = try? XenLayout.shipped(version.rawValue) else { return ["no shipped layout for \(version)"] }
        var out: [String] = []
        let debug = read(top, layout.debugKconfig) ?? ""
        for (name, anchor) in [("earlyChoiceEnd", layout.earlyChoiceEnd), ("earlyPrintkSymbol", layout.earlyPrintkSymbol),
                               ("earlyIncludeDefaults", layout.earlyIncludeDefaults)] where !debug.contains(anchor) {
            out.append("layout \(name) not in \(layout.debugKconfig)")
        }
        for path in [layout.driverKconfig, layout.driverMakefile] + [Architecture.arm32, .arm64].map({ layout.includeDirectory($0) + "/debug.S" })
        where read(top, path) == nil {
            out.append("layout: \(path) missing")
        }
        let function = String(layout.addressCall.prefix { $0 != "(" })
        let header = read(top, "xen/include/xen/device_tree.h") ?? ""
        if !header.contains("int \(function)(") { out.append("layout: \(function) not declared in device_tree.h") }
        if !header.contains("\(layout.addressType) *addr") { out.append("layout: \(function) does not take \(layout.addressType) *addr") }
        let irq = read(top, "xen/include/xen/irq.h") ?? ""
        // struct irqaction's handler: `void (*handler)(int, void *, struct cpu_user_regs *);` (4.17) or without regs.
        let handler = irq.split(separator: "\n").first { $0.contains("void (*handler)(") } ?? ""
        let handlerTakesRegs = handler.contains("cpu_user_regs")
        if handlerTakesRegs != (layout.interruptRegs ?? true) { out.append("layout: interruptRegs is \(layout.interruptRegs ?? true), irq.h's handler \(handlerTakesRegs ? "takes" : "does not take") regs") }
        return out
    }

    /// Each dom0less property a version claims is documented (`- name` in its binding doc, or a `name = ` example)
    /// and read as a string literal in the code file the entry names; a property a version does not claim is in
    /// neither that version's dom0less code nor its booting.txt (so `llc-colors` really is absent from 4.17).
    func bindingProblems(_ version: XenVersion, top: URL) -> [String] {
        var out: [String] = []
        let domainCode = ["xen/arch/arm/domain_build.c", "xen/arch/arm/dom0less-build.c"].compactMap { read(top, $0) }.joined()
        let booting = read(top, "docs/misc/arm/device-tree/booting.txt") ?? ""
        for b in Dom0lessBindings.all {
            guard let source = b.sources[version] else {
                if domainCode.contains("\"\(b.property)\"") || booting.contains("- \(b.property)\n") {
                    out.append("\(b.boardKey): '\(b.property)' is in Xen \(version)'s tree, but the catalog says \(b.versions.map(\.rawValue)) only")
                }
                continue
            }
            guard let doc = read(top, source.doc), let code = read(top, source.code) else {
                out.append("\(b.boardKey): \(source.doc) or \(source.code) missing"); continue
            }
            if !doc.contains("- \(b.property)") && !doc.contains("\(b.property) = ") { out.append("\(b.boardKey): '\(b.property)' not documented in \(source.doc)") }
            if !code.contains("\"\(b.property)\"") { out.append("\(b.boardKey): \"\(b.property)\" not read in \(source.code)") }
            if let k = b.kconfig, !((read(top, "xen/common/Kconfig") ?? "") + (read(top, "xen/arch/arm/Kconfig") ?? "")).contains("config \(k)\n") {
                out.append("\(b.boardKey): no 'config \(k)' in xen/common/Kconfig or xen/arch/arm/Kconfig")
            }
            if let arg = b.xenBootargs?.split(separator: "=").first, !xenOptions(top).contains("_param(\"\(arg)\"") {
                out.append("\(b.boardKey): no Xen command-line option '\(arg)' (`*_param(\"\(arg)\"`) in xen/common or xen/arch/arm")
            }
        }
        return out
    }

    /// The C files of xen/common and xen/arch/arm, where Xen declares its command-line options (`boolean_param`, ...).
    func xenOptions(_ top: URL) -> String {
        ["xen/common", "xen/arch/arm"].flatMap { dir in
            ((try? FileManager.default.contentsOfDirectory(atPath: top.appendingPathComponent(dir).path)) ?? []).sorted()
                .filter { $0.hasSuffix(".c") }.compactMap { read(top, dir + "/" + $0) }
        }.joined()
    }
}
