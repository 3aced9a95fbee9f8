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
    public var root: Node { didSet { phandleIndex = nil; cachedLabels = nil } }
    public var memoryReservations: [MemoryReservation]
    /// `boot_cpuid_phys` from the header.
    public var bootCPUID: UInt32
    /// Lookup indexes, built on first use (see `node(phandle:)`, `node(label:)`).
    var phandleIndex: PhandleIndex?
    var cachedLabels: LabelIndex?

    public init(root: Node = Node(name: ""), memoryReservations: [MemoryReservation] = [], bootCPUID: UInt32 = 0) {
        self.root = root
        self.memoryReservations = memoryReservations
        self.bootCPUID = bootCPUID
    }

    /// Every node in pre-order, root first.
    public var allNodes: [Node] { root.subtree }

    public func forEachNode(_ body: (Node) throws -> Void) rethrows {
        try root.forEachNode(body)
    }
}
