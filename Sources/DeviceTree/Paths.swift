/// Path lookup as libfdt and Linux do it: absolute paths, an alias as the first component, and components
/// given without their unit address (`/memory` finds `memory@80000000` when no exact `memory` exists).
extension DeviceTree {
    /// Resolves `/a/b@1/c`, `alias`, or `alias/sub/path`. Returns nil when any component is missing.
    /// An alias resolves only to an absolute path (the devicetree specification, Linux's `of_alias_scan`): an alias
    /// naming another alias or a relative path resolves to nothing, so alias cycles cannot recurse.
    public func node(at path: String) -> Node? {
        let start: Node
        let rest: Substring
        if path.hasPrefix("/") {
            start = root
            rest = path.dropFirst()
        } else {
            let aliasEnd = path.firstIndex(of: "/") ?? path.endIndex
            guard let target = aliasTarget(String(path[..<aliasEnd])), target.hasPrefix("/"), let aliased = node(at: target) else {
                return nil
            }
            start = aliased
            rest = path[aliasEnd...].drop { $0 == "/" }
        }
        return descend(from: start, rest)
    }

    private func descend(from start: Node, _ rest: Substring) -> Node? {
        var start = start
        for component in rest.split(separator: "/") {
            guard let next = start.child(matching: component) else { return nil }
            start = next
        }
        return start
    }
}

extension Node {
    /// The child whose full name is `component`, or, when `component` has no `@`, the first child whose name
    /// before `@` equals it.
    public func child(matching component: Substring) -> Node? {
        if let exact = children.first(where: { $0.name == component }) { return exact }
        if component.contains("@") { return nil }
        return children.first { $0.baseName == component }
    }
}
