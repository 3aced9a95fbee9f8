extension Node {
    /// A deep copy of this node and its subtree (property values are shared: they are values). Iterative, so a
    /// deep tree from outside cannot exhaust the stack.
    public func deepCopy() -> Node {
        let top = Node(name: name, properties: properties)
        var stack: [(source: Node, copy: Node)] = [(self, top)]
        while let (source, copy) = stack.popLast() {
            copy.children = source.children.map { child in
                let c = Node(name: child.name, properties: child.properties)
                c.parent = copy
                stack.append((child, c))
                return c
            }
        }
        return top
    }
}

extension DeviceTree {
    /// A deep copy of the whole tree, header data included: edits to the copy never reach this tree. Cheaper
    /// than an encode/decode round trip and without its failure modes.
    public func deepCopy() -> DeviceTree {
        DeviceTree(root: root.deepCopy(), memoryReservations: memoryReservations, bootCPUID: bootCPUID)
    }
}
