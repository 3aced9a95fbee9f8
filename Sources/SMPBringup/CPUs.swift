import DeviceTree

/// A `/cpus/cpu@N` node as Xen's `dt_smp_init_cpus` reads it.
public struct CPUNode {
    public let node: Node
    /// `reg`, i.e. the MPIDR affinity value (nil when missing or unreadable).
    public let mpidr: UInt64?
    /// First string of `enable-method` (the only one Xen reads).
    public let enableMethod: String?
    public let releaseAddress: UInt64?
    public let compatible: String?
    public let cluster: String?

    public var path: String { node.path }
}

public enum CPUMap {
    /// Children of `/cpus` with `device_type = "cpu"`, in tree order. Nil when there is no `/cpus`.
    public static func cpus(in tree: DeviceTree) -> [CPUNode]? {
        guard let cpusNode = tree.node(at: "/cpus") else { return nil }
        let clusters = clusterMembership(tree, cpusNode)
        let addressCells = cpusNode.childAddressCells
        return cpusNode.children.filter { $0.property("device_type")?.string == "cpu" }.map { node in
            var mpidr: UInt64?
            if let cells = node.property("reg")?.cells, cells.count >= addressCells, (1...2).contains(addressCells) {
                mpidr = CellNumber(Array(cells.prefix(addressCells))).uint64
            }
            var release: UInt64?
            if let p = node.property("cpu-release-addr") {
                release = p.u64 ?? p.u32.map(UInt64.init)
            }
            let ph = node.phandle
            return CPUNode(node: node, mpidr: mpidr, enableMethod: node.property("enable-method")?.strings?.first,
                           releaseAddress: release, compatible: node.compatibles.first,
                           cluster: ph.flatMap { clusters[$0] })
        }
    }

    /// `cpu-map`: cluster path of each CPU (by phandle), e.g. `cluster0/core1`.
    static func clusterMembership(_ tree: DeviceTree, _ cpus: Node) -> [UInt32: String] {
        guard let map = cpus.child(named: "cpu-map") else { return [:] }
        var out: [UInt32: String] = [:]
        var stack: [(Node, String)] = map.children.map { ($0, $0.name) }
        while let (node, path) = stack.popLast() {
            if let ph = node.property("cpu")?.u32 { out[ph] = path }
            stack += node.children.map { ($0, path + "/" + $0.name) }
        }
        return out
    }
}
