import DeviceTree
import Foundation
import XenArm

/// `inspect --summary DIR`: every `.dtb` below a directory decoded and modelled in parallel, kept as summary rows.
extension InspectionSummary {
    public struct ScanError: Error, CustomStringConvertible, Sendable {
        public let directory: String
        public let detail: String
        public var description: String { "\(directory): \(detail)" }
    }

    /// Rows name each file relative to `directory`; blobs that do not decode count as unreadable.
    /// With `reach` (a tree, its file name and model -> its reach row, nil when not virt-capable), the summary also
    /// has the reach shares, counted against `compileChecks` when given.
    public static func scan(directory: String, arch: Architecture?, version: XenVersion = .v4_17,
                            reach: (@Sendable (DeviceTree, String, BoardModel) -> ReachRow?)? = nil,
                            compileChecks: CompileCheckResults? = nil) throws(ScanError) -> InspectionSummary {
        let reachRows = ReachSlots()
        var visit: (@Sendable (DeviceTree, String, BoardModel) -> Void)?
        if let reach {
            visit = { tree, name, model in
                if let r = reach(tree, name, model) { reachRows.append(r) }
            }
        }
        let (rows, unreadable) = try scanRows(directory: directory, arch: arch, versions: [version], visit: visit)
        var summary = InspectionSummary(rows: rows[0], unreadable: unreadable, version: version)
        if reach != nil { summary.reach = ReachSummary(rows: reachRows.all, results: compileChecks, version: version) }
        return summary
    }

    /// Each tree decoded once and modelled for every version: one row list per version (same order), and the
    /// number of files that did not decode. `visit` sees each tree with its model for the first version.
    static func scanRows(directory: String, arch: Architecture?, versions: [XenVersion],
                         visit: (@Sendable (DeviceTree, String, BoardModel) -> Void)? = nil) throws(ScanError) -> ([[Row]], Int) {
        let files = try dtbFiles(under: directory)
        guard !files.isEmpty else { throw ScanError(directory: directory, detail: "no .dtb files below this directory") }
        let slots = versions.map { _ in RowSlots(count: files.count) }
        let prefix = directory + "/"
        DispatchQueue.concurrentPerform(iterations: files.count) { i in
            guard let data = FileManager.default.contents(atPath: files[i]),
                  let tree = try? DTBDecoder.decode([UInt8](data)) else { return }
            let name = files[i].hasPrefix(prefix) ? String(files[i].dropFirst(prefix.count)) : files[i]
            for (v, version) in versions.enumerated() {
                let model = BoardModel(tree: tree, file: name, arch: arch, version: version)
                slots[v].set(i, Row(model))
                if v == 0 { visit?(tree, name, model) }
            }
        }
        let rows = slots.map { $0.all.compactMap { $0 } }
        return (rows, files.count - (rows.first?.count ?? 0))
    }

    /// Every `.dtb` below `dir`, following symlinked directories (the corpus is a directory of links), sorted.
    public static func dtbFiles(under dir: String) throws(ScanError) -> [String] {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDir), isDir.boolValue else {
            throw ScanError(directory: dir, detail: "not a directory")
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
}

/// One slot per file, filled from concurrent workers.
private final class RowSlots: @unchecked Sendable {
    private var items: [InspectionSummary.Row?]
    private let lock = NSLock()
    init(count: Int) { items = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ r: InspectionSummary.Row) { lock.lock(); items[i] = r; lock.unlock() }
    var all: [InspectionSummary.Row?] { lock.lock(); defer { lock.unlock() }; return items }
}

/// Reach rows appended from concurrent workers (the summary sorts them).
private final class ReachSlots: @unchecked Sendable {
    private var items: [ReachRow] = []
    private let lock = NSLock()
    func append(_ r: ReachRow) { lock.lock(); items.append(r); lock.unlock() }
    var all: [ReachRow] { lock.lock(); defer { lock.unlock() }; return items }
}
