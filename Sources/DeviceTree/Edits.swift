/// Editing: nodes and properties can be added, removed, renamed and set; blobs have no fixed size, so edits
/// never run out of space (the encoder lays the blob out anew).
extension Node {
    /// Sets (replacing in place, or appending) a property.
    public func setProperty(_ name: String, _ value: PropertyValue) {
        setProperty(Property(name: name, value: value.encoded))
    }

    public func setProperty(_ property: Property) {
        if let i = properties.firstIndex(where: { $0.name == property.name }) {
            properties[i] = property
        } else {
            properties.append(property)
        }
    }

    @discardableResult
    public func removeProperty(_ name: String) -> Property? {
        guard let i = properties.firstIndex(where: { $0.name == name }) else { return nil }
        return properties.remove(at: i)
    }

    public func renameProperty(_ name: String, to newName: String) throws {
        try Node.checkName(newName, what: "property", at: self)
        guard let i = properties.firstIndex(where: { $0.name == name }) else {
            throw DeviceTreeError(self, property: name, "no such property")
        }
        guard !hasProperty(newName) else {
            throw DeviceTreeError(self, property: newName, "already exists")
        }
        properties[i].name = newName
    }

    /// Adds a new, empty child. Throws when a child of that name exists or the name is not a valid node name.
    @discardableResult
    public func addChild(named name: String) throws -> Node {
        let child = Node(name: name)
        try addChild(child)
        return child
    }

    /// Attaches `child` (detaching it from any previous parent) as the last child.
    public func addChild(_ child: Node) throws {
        try Node.checkName(child.name, what: "node", at: self)
        guard self.child(named: child.name) == nil else {
            throw DeviceTreeError(self, "child node '\(child.name)' already exists")
        }
        var ancestor: Node? = self
        while let a = ancestor {
            if a === child { throw DeviceTreeError(self, "cannot make \(child.path) a child of its own descendant") }
            ancestor = a.parent
        }
        child.removeFromParent()
        children.append(child)
        child.parent = self
    }

    /// The child with that name, created if missing.
    public func child(orCreate name: String) throws -> Node {
        if let c = child(named: name) { return c }
        return try addChild(named: name)
    }

    public func removeFromParent() {
        guard let p = parent else { return }
        p.children.removeAll { $0 === self }
        parent = nil
    }

    public func rename(to newName: String) throws {
        guard let p = parent else { throw DeviceTreeError(self, "the root node cannot be renamed") }
        try Node.checkName(newName, what: "node", at: p)
        if newName != name, p.child(named: newName) != nil {
            throw DeviceTreeError(p, "child node '\(newName)' already exists")
        }
        name = newName
    }

    static func checkName(_ name: String, what: String, at node: Node) throws {
        guard !name.isEmpty, !name.contains("/"), !name.utf8.contains(0) else {
            throw DeviceTreeError(node, "invalid \(what) name '\(name)': must be non-empty, without '/' or NUL")
        }
    }
}

extension DeviceTree {
    /// Creates every missing node along an absolute path (like `fdtput -p`) and returns the last one.
    public func createNode(at path: String) throws -> Node {
        guard path.hasPrefix("/") else { throw DeviceTreeError(node: path, "not an absolute path") }
        var node = root
        for component in path.split(separator: "/") {
            if let existing = node.child(matching: component) { node = existing; continue }
            if let why = TreeChecks.nodeNameProblem(String(component)) { throw DeviceTreeError(node: path, why) }
            node = try node.addChild(named: String(component))
        }
        return node
    }

    /// Removes the node at `path`; throws when it does not exist or is the root.
    public func removeNode(at path: String) throws {
        guard let node = node(at: path) else { throw DeviceTreeError(node: path, "no such node") }
        guard !node.isRoot else { throw DeviceTreeError(node: path, "the root node cannot be removed") }
        node.removeFromParent()
    }
}
