/// One node of a device tree: a name (with optional `@unit-address`), ordered properties and ordered children.
///
/// Nodes are reference types so that views and edits can hold on to a node while walking up through `parent`.
/// A node holds its parent weakly (the tree owns nodes top-down), so keep the `DeviceTree` alive while using
/// its nodes: a node outlives its tree only as a detached subtree.
public final class Node {
    /// Full node name as stored in the blob, e.g. `serial@fe201000`. The root's name is empty.
    public internal(set) var name: String { didSet { noteEdit() } }
    public internal(set) var properties: [Property] { didSet { cachedCompatibles = nil; noteEdit() } }
    public internal(set) var children: [Node] { didSet { noteEdit() } }
    public internal(set) weak var parent: Node?
    /// Edits made anywhere in the tree this node is the top of (see `noteEdit`): per-tree indexes compare it.
    var revision: UInt64 = 0
    /// `compatible` split into its strings, kept until the properties change (see `compatibles`).
    var cachedCompatibles: [String]?

    public init(name: String, properties: [Property] = [], children: [Node] = []) {
        self.name = name
        self.properties = properties
        self.children = children
        for child in children { child.parent = self }
    }

    /// Counts an edit at the top of the tree (the root, or the top of a detached subtree), so indexes built
    /// from the tree (`DeviceTree.nodes(compatibleWith:)`) see edits made through any API. Every edit to a
    /// node's name, properties or children passes here; initialisers do not (a new node is in no index).
    func noteEdit() {
        var top = self
        while let p = top.parent { top = p }
        top.revision &+= 1
    }

    /// The part of the name before `@`.
    public var baseName: Substring {
        if let at = name.firstIndex(of: "@") { return name[..<at] }
        return name[...]
    }

    /// The part of the name after `@`, if any.
    public var unitAddress: Substring? {
        guard let at = name.firstIndex(of: "@") else { return nil }
        return name[name.index(after: at)...]
    }

    public var isRoot: Bool { parent == nil }

    /// Absolute path, `/` for the root.
    public var path: String {
        var parts: [String] = []
        var node: Node? = self
        while let n = node, let p = n.parent {
            parts.append(n.name)
            node = p
        }
        return "/" + parts.reversed().joined(separator: "/")
    }

    /// Depth below the root (root = 0).
    public var depth: Int {
        var d = 0
        var node = parent
        while let n = node { d += 1; node = n.parent }
        return d
    }

    public func property(_ name: String) -> Property? {
        properties.first { sameName($0.name, name) }
    }

    public func hasProperty(_ name: String) -> Bool {
        properties.contains { sameName($0.name, name) }
    }

    public func child(named name: String) -> Node? {
        children.first { sameName($0.name, name) }
    }

    /// Pre-order walk of this node and every descendant.
    public func forEachNode(_ body: (Node) throws -> Void) rethrows {
        var stack: [Node] = [self]
        while let node = stack.popLast() {
            try body(node)
            stack.append(contentsOf: node.children.reversed())
        }
    }

    /// This node and every descendant in pre-order.
    public var subtree: [Node] {
        var all: [Node] = []
        forEachNode { all.append($0) }
        return all
    }
}

extension Node: CustomStringConvertible {
    public var description: String { path }
}

/// Name equality with the byte length compared first: most names a lookup passes differ
/// in length, and this is the innermost loop of every property lookup.
@inline(__always)
func sameName(_ a: String, _ b: String) -> Bool {
    a.utf8.count == b.utf8.count && a == b
}
