extension DeviceTree {
    /// The one bound on every chain a lookup follows through references the tree itself makes: `interrupt-parent`
    /// hops, `interrupt-map` nexus hops, phandle references followed transitively (passthrough's closure). A chain
    /// longer than this is a cycle (or nonsense no real tree has), and the lookup fails with an error naming the
    /// node instead of looping or recursing. Aliases do not chain at all (see `node(at:)`); tree depth is bounded by
    /// the decoder (`FDT.maxDepth`).
    public static let resolutionLimit = 64
}
