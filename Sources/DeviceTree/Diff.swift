/// A semantic diff of two trees: nodes and properties added, removed or changed, compared by path and name
/// (order-insensitive), plus memory reservation and boot CPU changes.
public enum DeviceTreeChange: Equatable, CustomStringConvertible {
    case nodeAdded(path: String)
    case nodeRemoved(path: String)
    case propertyAdded(path: String, property: Property)
    case propertyRemoved(path: String, property: Property)
    case propertyChanged(path: String, old: Property, new: Property)
    case memoryReservationsChanged(old: [MemoryReservation], new: [MemoryReservation])
    case bootCPUChanged(old: UInt32, new: UInt32)

    public var description: String {
        switch self {
        case .nodeAdded(let path): return "+ \(path)"
        case .nodeRemoved(let path): return "- \(path)"
        case .propertyAdded(let path, let p): return "+ \(path): \(DTSPrinter.line(p))"
        case .propertyRemoved(let path, let p): return "- \(path): \(DTSPrinter.line(p))"
        case .propertyChanged(let path, let old, let new):
            return "~ \(path): \(old.name): \(old.value.isEmpty ? "(empty)" : DTSPrinter.value(old.value)) -> \(new.value.isEmpty ? "(empty)" : DTSPrinter.value(new.value))"
        case .memoryReservationsChanged(let old, let new):
            func f(_ r: [MemoryReservation]) -> String {
                "[" + r.map { "0x\(String($0.address, radix: 16))+0x\(String($0.size, radix: 16))" }.joined(separator: ", ") + "]"
            }
            return "~ /memreserve/: \(f(old)) -> \(f(new))"
        case .bootCPUChanged(let old, let new): return "~ boot_cpuid_phys: \(old) -> \(new)"
        }
    }
}

extension DeviceTree {
    /// Changes that turn `self` into `other`, in pre-order of the paths.
    public func diff(to other: DeviceTree) -> [DeviceTreeChange] {
        var changes: [DeviceTreeChange] = []
        if memoryReservations != other.memoryReservations {
            changes.append(.memoryReservationsChanged(old: memoryReservations, new: other.memoryReservations))
        }
        if bootCPUID != other.bootCPUID { changes.append(.bootCPUChanged(old: bootCPUID, new: other.bootCPUID)) }
        Self.diff(root, other.root, path: "/", into: &changes)
        return changes
    }

    private static func diff(_ a: Node, _ b: Node, path: String, into changes: inout [DeviceTreeChange]) {
        var bProps: [String: Property] = [:]
        for p in b.properties where bProps[p.name] == nil { bProps[p.name] = p }
        var seen = Set<String>()
        for p in a.properties {
            seen.insert(p.name)
            if let q = bProps[p.name] {
                if q.value != p.value { changes.append(.propertyChanged(path: path, old: p, new: q)) }
            } else {
                changes.append(.propertyRemoved(path: path, property: p))
            }
        }
        for q in b.properties where !seen.contains(q.name) {
            changes.append(.propertyAdded(path: path, property: q))
        }
        func childPath(_ n: Node) -> String { path == "/" ? "/" + n.name : path + "/" + n.name }
        var bKids: [String: Node] = [:]
        for c in b.children where bKids[c.name] == nil { bKids[c.name] = c }
        var seenKids = Set<String>()
        for c in a.children {
            seenKids.insert(c.name)
            if let d = bKids[c.name] {
                diff(c, d, path: childPath(c), into: &changes)
            } else {
                changes.append(.nodeRemoved(path: childPath(c)))
            }
        }
        for d in b.children where !seenKids.contains(d.name) {
            added(d, path: childPath(d), into: &changes)
        }
    }

    /// A new node is listed with its properties and descendants, so the diff shows what it holds.
    private static func added(_ node: Node, path: String, into changes: inout [DeviceTreeChange]) {
        changes.append(.nodeAdded(path: path))
        for p in node.properties { changes.append(.propertyAdded(path: path, property: p)) }
        for c in node.children { added(c, path: path + "/" + c.name, into: &changes) }
    }
}
