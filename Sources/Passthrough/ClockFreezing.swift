import DeviceTree

/// Freezes a device's clocks into constant rates (rule 16): a guest has no clock controller, so each clock becomes
/// an in-tree `fixed-clock`. Rates come from the clock tree, walked cycle-safely (Raspberry Pi 4's firmware clocks
/// reference each other): `fixed-clock` and `fixed-factor-clock` are exact; `assigned-clock-rates` on the device is
/// taken as exact; otherwise the first rate found among the provider's parents is used, with a warning.
struct ClockFreezer {
    let phandles: [UInt32: Node]
    /// Bound on how deep the walk goes, in addition to the visited set.
    static let maxDepth = 32

    struct Rate {
        let hz: UInt64
        let exact: Bool
        /// How the rate was found, for warnings.
        let source: String
    }

    /// The rate of clock `specifier` of `provider`, as used by `device`.
    func rate(provider: Node, specifier: [UInt32], device: Node) -> Rate? {
        if let assigned = assignedRate(provider: provider, specifier: specifier, device: device) {
            return Rate(hz: assigned, exact: true, source: "\(device.path)'s assigned-clock-rates")
        }
        var visited = Set<ObjectIdentifier>()
        return walk(provider, depth: 0, visited: &visited)
    }

    private func assignedRate(provider: Node, specifier: [UInt32], device: Node) -> UInt64? {
        guard let p = device.property("assigned-clocks"), let rates = device.property("assigned-clock-rates")?.cells,
              let refs = try? PhandleProperties.references(p, layout: .specifiers(cellsProperty: "#clock-cells"), of: device, phandles: phandles)
        else { return nil }
        for (i, r) in refs.enumerated() where r.target === provider && r.specifier == specifier && i < rates.count && rates[i] != 0 {
            return UInt64(rates[i])
        }
        return nil
    }

    private func walk(_ node: Node, depth: Int, visited: inout Set<ObjectIdentifier>) -> Rate? {
        guard depth < Self.maxDepth, visited.insert(ObjectIdentifier(node)).inserted else { return nil }
        let compatibles = node.compatibles
        let frequency = node.property("clock-frequency").flatMap { $0.u32.map(UInt64.init) ?? $0.u64 }
        if compatibles.contains("fixed-clock") {
            return frequency.map { Rate(hz: $0, exact: true, source: "fixed-clock \(node.path)") }
        }
        let parents = parentClocks(of: node)
        if compatibles.contains("fixed-factor-clock"), let mult = node.property("clock-mult")?.u32,
           let div = node.property("clock-div")?.u32, div != 0, let parent = parents.first,
           let p = walk(parent, depth: depth + 1, visited: &visited) {
            return Rate(hz: p.hz * UInt64(mult) / UInt64(div), exact: p.exact, source: "fixed-factor-clock \(node.path)")
        }
        if let frequency, node.property("#clock-cells")?.u32 == 0 {
            return Rate(hz: frequency, exact: true, source: "clock-frequency of \(node.path)")
        }
        for parent in parents {
            if let p = walk(parent, depth: depth + 1, visited: &visited) {
                return Rate(hz: p.hz, exact: false, source: "\(p.source), a parent of \(node.path)")
            }
        }
        return nil
    }

    private func parentClocks(of node: Node) -> [Node] {
        guard let p = node.property("clocks"),
              let refs = try? PhandleProperties.references(p, layout: .specifiers(cellsProperty: "#clock-cells"), of: node, phandles: phandles)
        else { return [] }
        return refs.compactMap(\.target)
    }
}
