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
    public static func scan(directory: String, arch: Architecture?,
                            reach: (@Sendable (DeviceTree, String, BoardModel) -> ReachRow?)? = nil,
                            compileChecks: CompileCheckResults? = nil) throws(ScanError) -> InspectionSummary {
        let files = try dtbFiles(under: directory)
        guard !files.isEmpty else { throw ScanError(directory: directory, detail: "no .dtb files below this directory") }
        let rows = RowSlots<Row>(count: files.count)
        let reachRows = RowSlots<ReachRow>(count: reach == nil ? 0 : files.count)
        let prefix = directory + "/"
        DispatchQueue.concurrentPerform(iterations: files.count) { i in
            guard let data = FileManager.default.contents(atPath: files[i]),
                  let tree = try? DTBDecoder.decode([UInt8](data)) else { return }
            let name = files[i].hasPrefix(prefix) ? String(files[i].dropFirst(prefix.count)) : files[i]
            let model = BoardModel(tree: tree, file: name, arch: arch)
            rows.set(i, Row(model))
            if let reach, let r = reach(tree, name, model) { reachRows.set(i, r) }
        }
        let read = rows.all.compactMap { $0 }
        var summary = InspectionSummary(rows: read, unreadable: files.count - read.count)
        if reach != nil { summary.reach = ReachSummary(rows: reachRows.all.compactMap { $0 }, results: compileChecks) }
        return summary
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
private final class RowSlots<Item>: @unchecked Sendable {
    private var items: [Item?]
    private let lock = NSLock()
    init(count: Int) { items = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ r: Item) { lock.lock(); items[i] = r; lock.unlock() }
    var all: [Item?] { lock.lock(); defer { lock.unlock() }; return items }
}
