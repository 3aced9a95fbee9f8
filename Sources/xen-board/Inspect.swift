import ArgumentParser
import BoardModel
import DeviceTree
import Foundation
import XenArm

extension Architecture: ExpressibleByArgument {}

struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Tell what Xen 4.17 needs from a board's device tree: console, CPUs, GIC, timer, memory, platform.",
        discussion: """
        Reports the console UART and its Xen driver (with the Xen bootargs and early-printk Kconfig lines), how each
        secondary CPU will be started, the GIC and timer as Xen checks them, RAM and reserved memory, IOMMUs, the
        built-in Xen platform that matches, devices Dom0 must not get, whether a platform file is needed, and the
        blockers. Exit status 0 when the analysis ran (see "ready"), 1 on unusable input.

        Examples:
          xen-board inspect vexpress-v2p-ca15-tc1.dtb
          xen-board inspect board.dtb --json | jq .console
          xen-board inspect --summary ~/.cache/xen-board/dtbs/corpus
        """
    )

    @Argument(help: "The .dtb file (or, with --summary, a directory searched recursively).") var path: String
    @Flag(help: "Summarise every .dtb below the directory PATH.") var summary = false
    @Flag(help: "Print JSON.") var json = false
    @Option(help: "Xen build to analyse for (default: inferred, ARMv8 cores or timer mean arm64).") var arch: Architecture?

    func run() throws {
        if summary { return try runSummary() }
        let tree = try DTBFile.load(path)
        let report = BoardReport(tree: tree, file: path, arch: arch)
        if json {
            print(try encodeJSON(report))
        } else {
            print(report.text, terminator: "")
        }
    }

    private func runSummary() throws {
        let files = try dtbFiles(under: path)
        guard !files.isEmpty else { throw InputError(file: path, detail: "no .dtb files below this directory") }
        let results = Results(count: files.count)
        let arch = self.arch
        DispatchQueue.concurrentPerform(iterations: files.count) { i in
            guard let data = FileManager.default.contents(atPath: files[i]),
                  let tree = try? DTBDecoder.decode([UInt8](data)) else { return }
            results.set(i, InspectionSummary.Row(BoardModel(tree: tree, file: files[i].dropPrefix(path + "/"), arch: arch)))
        }
        let rows = results.all.compactMap { $0 }
        let s = InspectionSummary(rows: rows, unreadable: files.count - rows.count)
        if json { print(try encodeJSON(s)) } else { print(s.text, terminator: "") }
    }
}

/// Every `.dtb` below `dir`, following symlinked directories (the corpus is a directory of links), sorted.
func dtbFiles(under dir: String) throws -> [String] {
    var isDir: ObjCBool = false
    guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDir), isDir.boolValue else {
        throw InputError(file: dir, detail: "not a directory")
    }
    var out: [String] = []
    var stack = [dir]
    var visited = Set<String>()
    while let d = stack.popLast() {
        let real = URL(fileURLWithPath: d).resolvingSymlinksInPath().path
        guard visited.insert(real).inserted, let entries = try? FileManager.default.contentsOfDirectory(atPath: d) else { continue }
        for e in entries {
            let p = d + "/" + e
            var sub: ObjCBool = false
            guard FileManager.default.fileExists(atPath: p, isDirectory: &sub) else { continue }
            if sub.boolValue { stack.append(p) } else if e.hasSuffix(".dtb") { out.append(p) }
        }
    }
    return out.sorted()
}

func encodeJSON<T: Encodable>(_ value: T) throws -> String {
    let enc = JSONEncoder()
    enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try enc.encode(value), as: UTF8.self)
}

final class Results: @unchecked Sendable {
    private var items: [InspectionSummary.Row?]
    private let lock = NSLock()
    init(count: Int) { items = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ r: InspectionSummary.Row) { lock.lock(); items[i] = r; lock.unlock() }
    var all: [InspectionSummary.Row?] { lock.lock(); defer { lock.unlock() }; return items }
}

extension String {
    func dropPrefix(_ p: String) -> String { hasPrefix(p) ? String(dropFirst(p.count)) : self }
}
