import DeviceTree
import Foundation
import TestSupport
import XenArm
import XCTest

/// Every DTB of Debian's arm64 and armmp-lpae kernel packages (`xen-board fetch --corpus`), checked against dtc and
/// libfdt. Skipped locally when the corpus was never fetched; a failure in CI (CI=true), where it must be present.
final class CorpusTests: XCTestCase {
    static func corpusFiles() throws -> [String] {
        // The corpus directory holds one symlink per kernel package; the enumerator does not follow symlinks.
        let fm = FileManager.default
        let roots = try TestInputs.corpusRoots()
        let files = roots.flatMap { root in
            (fm.enumerator(atPath: root)?.compactMap { $0 as? String } ?? [])
                .filter { $0.hasSuffix(".dtb") }.map { root + "/" + $0 }
        }.sorted()
        if files.isEmpty {
            try missing("DTBs in the corpus at \(TestInputs.corpusDirectory) (xen-board fetch --corpus)")
        }
        return files
    }

    struct Outcome {
        var dtcIdentical = false
        var oursIdentical = false
        var oursEqualsDTC = false
        var failure: String?
    }

    func testWholeCorpusAgainstDTCAndLibfdt() throws {
        let files = try Self.corpusFiles()
        XCTAssertGreaterThan(files.count, 1400, "expected the whole Debian corpus (~1474 files)")
        let results = Results(count: files.count)
        DispatchQueue.concurrentPerform(iterations: files.count) { i in
            results.set(i, Self.check(files[i]))
        }
        let outcomes = results.all
        let failures = zip(files, outcomes).compactMap { f, o in o.failure.map { "\(f): \($0)" } }
        XCTAssertEqual(failures.count, 0, failures.prefix(10).joined(separator: "\n"))
        let dtcSame = outcomes.filter(\.dtcIdentical).count
        let oursSame = outcomes.filter(\.oursIdentical).count
        XCTAssertEqual(oursSame, dtcSame, "byte-identical wherever dtc is")
        XCTAssertEqual(outcomes.filter(\.oursEqualsDTC).count, files.count, "same bytes as dtc -I dtb -O dtb")
        print("corpus: \(files.count) files; dtc reproduces \(dtcSame), xen-board reproduces \(oursSame); output equals dtc's for \(outcomes.filter(\.oursEqualsDTC).count)")
    }

    final class Results: @unchecked Sendable {
        private var items: [Outcome]
        private let lock = NSLock()
        init(count: Int) { items = Array(repeating: Outcome(), count: count) }
        func set(_ i: Int, _ o: Outcome) { lock.lock(); items[i] = o; lock.unlock() }
        var all: [Outcome] { lock.lock(); defer { lock.unlock() }; return items }
    }

    static func check(_ path: String) -> Outcome {
        var o = Outcome()
        do {
            let input = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
            let tree = try DTBDecoder.decode(input)
            let ours = try DTBEncoder.encode(tree)            // validated by libfdt
            let viaDTC = try runTool("dtc", ["-q", "-I", "dtb", "-O", "dtb", path])
            o.dtcIdentical = viaDTC == input
            o.oursIdentical = ours == input
            o.oursEqualsDTC = ours == viaDTC
            // DTS round trip: dtc compiles our DTS back into the same tree. boot_cpuid_phys is a header field DTS
            // cannot carry (the printer shows it as a comment); dtc takes it as -b.
            let dts = DTSPrinter.dts(tree)
            let recompiled = try runTool("dtc", ["-q", "-I", "dts", "-O", "dtb", "-b", String(tree.bootCPUID)], stdin: Array(dts.utf8))
            let again = try DTBDecoder.decode(recompiled)
            if try DTBEncoder.encode(again) != ours {
                o.failure = "DTS round trip changed the tree: \(tree.diff(to: again).prefix(3).map(\.description))"
            }
            try exerciseViews(tree)
        } catch {
            o.failure = "\(error)"
        }
        return o
    }

    /// Every view on every node: results or typed `DeviceTreeError`s, never a crash.
    static func exerciseViews(_ tree: DeviceTree) throws {
        let phandles = tree.phandleTable()
        _ = tree.aliases.map { tree.resolveAlias($0.name) }
        _ = tree.labels.map { tree.node(label: $0.label) }
        try tree.forEachNode { node in
            guard tree.node(at: node.path) === node || node.name.contains("/") || hasTwin(node) else {
                throw DeviceTreeError(node, "path lookup does not find the node itself")
            }
            _ = node.compatibles
            _ = node.isEnabled
            do { _ = try tree.physicalRegions(of: node) } catch is DeviceTreeError {}
            do { _ = try node.ranges() } catch is DeviceTreeError {}
            if node.hasProperty("interrupts") || node.hasProperty("interrupts-extended") {
                do { _ = try tree.interrupts(of: node).map(GICInterrupt.init) } catch is DeviceTreeError {}
            }
            if let ph = node.phandle, phandles[ph] !== node, tree.duplicatePhandles()[ph] == nil {
                throw DeviceTreeError(node, property: "phandle", "phandle table lookup mismatch")
            }
        }
    }

    /// Trees may hold two siblings with the same name (dtc warns); the first wins path lookup.
    static func hasTwin(_ node: Node) -> Bool {
        (node.parent?.children.filter { $0.name == node.name }.count ?? 0) > 1
    }
}
