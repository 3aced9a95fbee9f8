/// `/aliases`: short names for node paths (`serial0 = "/soc/serial@7e201000"`).
extension DeviceTree {
    public var aliasesNode: Node? { root.child(named: "aliases") }

    /// Alias name and target path, in property order.
    public var aliases: [(name: String, path: String)] {
        guard let node = aliasesNode else { return [] }
        return node.properties.compactMap { p in
            guard let target = p.string else { return nil }
            return (p.name, target)
        }
    }

    /// The path an alias points to, as written (not resolved).
    public func aliasTarget(_ alias: String) -> String? {
        aliasesNode?.property(alias)?.string
    }

    /// The node an alias points to, or nil when the alias or its target does not exist.
    public func resolveAlias(_ alias: String) -> Node? {
        guard let target = aliasTarget(alias), target.hasPrefix("/") else { return nil }
        return node(at: target)
    }

    /// Aliases that point at `node`.
    public func aliases(of node: Node) -> [String] {
        let path = node.path
        return aliases.filter { $0.path == path }.map(\.name)
    }
}
