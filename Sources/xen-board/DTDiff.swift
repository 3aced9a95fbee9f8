import ArgumentParser
import DeviceTree

struct DTDiff: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Semantic diff of two DTBs: nodes and properties added (+), removed (-) or changed (~).",
        discussion: """
        Compares by path and property name, ignoring order and blob layout. Exit status as diff(1):
        0 no differences, 1 differences, 2 when an input is unusable (with the reason on stderr).
        Example: xen-board dt diff board.dtb out/board.dtb
        """
    )

    @Argument(help: "The original .dtb.") var a: String
    @Argument(help: "The changed .dtb.") var b: String
    @Flag(help: "Print the changes as JSON.") var json = false

    func run() throws {
        let ta: DeviceTree, tb: DeviceTree
        do {
            ta = try DTBFile.load(a)
            tb = try DTBFile.load(b)
        } catch {
            printError("Error: \(error)")
            throw ExitCode(2)
        }
        let changes = ta.diff(to: tb)
        if json {
            printJSON(changes.map(jsonObject))
        } else {
            for c in changes { print(c) }
        }
        if !changes.isEmpty { throw ExitCode(1) }
    }
}

private func jsonObject(_ c: DeviceTreeChange) -> [String: Any] {
    func v(_ p: Property) -> String { DTSPrinter.value(p.value) }
    switch c {
    case .nodeAdded(let path): return ["kind": "nodeAdded", "path": path]
    case .nodeRemoved(let path): return ["kind": "nodeRemoved", "path": path]
    case .propertyAdded(let path, let p): return ["kind": "propertyAdded", "path": path, "property": p.name, "new": v(p)]
    case .propertyRemoved(let path, let p): return ["kind": "propertyRemoved", "path": path, "property": p.name, "old": v(p)]
    case .propertyChanged(let path, let o, let n):
        return ["kind": "propertyChanged", "path": path, "property": o.name, "old": v(o), "new": v(n)]
    case .memoryReservationsChanged: return ["kind": "memoryReservationsChanged", "description": c.description]
    case .bootCPUChanged(let o, let n): return ["kind": "bootCPUChanged", "old": Int(o), "new": Int(n)]
    }
}
