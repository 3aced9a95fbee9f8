/// An entry of the memory reservation block (`/memreserve/`).
public struct MemoryReservation: Equatable, Sendable {
    public var address: UInt64
    public var size: UInt64
    public init(address: UInt64, size: UInt64) {
        self.address = address
        self.size = size
    }
}

/// A whole device tree: the node tree plus the blob header data that is not part of it.
public final class DeviceTree {
    public var root: Node { didSet { phandleIndex = nil; cachedLabels = nil; compatibleIndex = nil; cachedPreorder = nil } }
    public var memoryReservations: [MemoryReservation]
    /// `boot_cpuid_phys` from the header.
    public var bootCPUID: UInt32
    /// Lookup indexes, built on first use (see `node(phandle:)`, `node(label:)`).
    var phandleIndex: PhandleIndex?
    var cachedLabels: LabelIndex?
    var compatibleIndex: CompatibleIndex?
    var cachedPreorder: (root: Node, revision: UInt64, nodes: [Node])?

    public init(root: Node = Node(name: ""), memoryReservations: [MemoryReservation] = [], bootCPUID: UInt32 = 0) {
        self.root = root
        self.memoryReservations = memoryReservations
        self.bootCPUID = bootCPUID
    }

    /// Every node in pre-order, root first (kept until the tree is edited).
    public var allNodes: [Node] {
        if let known = cachedPreorder, known.root === root, known.revision == root.revision { return known.nodes }
        let nodes = root.subtree
        cachedPreorder = (root, root.revision, nodes)
        return nodes
    }

    /// Calls `body` for every node in pre-order, root first. The walk goes over the nodes the tree had when it
    /// started (`allNodes`, one list per tree revision, since analyses walk the whole tree again and again):
    /// property edits made by `body` are fine; nodes it adds are not visited, nodes it removes still are.
    public func forEachNode(_ body: (Node) throws -> Void) rethrows {
        for node in allNodes { try body(node) }
    }
}
