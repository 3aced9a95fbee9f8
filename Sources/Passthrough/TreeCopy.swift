import DeviceTree

extension Node {
    /// A deep copy of this node and its subtree (property values are shared, they are immutable).
    func deepCopy() -> Node {
        Node(name: name, properties: properties, children: children.map { $0.deepCopy() })
    }
}

extension DeviceTree {
    /// A deep copy of the whole tree, header data included.
    func deepCopy() -> DeviceTree {
        DeviceTree(root: root.deepCopy(), memoryReservations: memoryReservations, bootCPUID: bootCPUID)
    }
}
