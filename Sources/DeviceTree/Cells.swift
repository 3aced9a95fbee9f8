/// `#address-cells` / `#size-cells`.
///
/// The spec says they are not inherited, but Linux (`of_n_addr_cells`) and Xen (`dt_n_addr_cells`) look at the
/// parent and then further ancestors; xen-board follows the implementations, since those decide what boots.
/// When no ancestor has the property the spec defaults apply: 2 address cells, 1 size cell.
extension Node {
    public static let defaultAddressCells = 2
    public static let defaultSizeCells = 1

    /// `#address-cells` of this node for its children, inherited from ancestors when absent.
    public var childAddressCells: Int { inheritedCells("#address-cells") ?? Node.defaultAddressCells }

    /// `#size-cells` of this node for its children, inherited from ancestors when absent.
    public var childSizeCells: Int { inheritedCells("#size-cells") ?? Node.defaultSizeCells }

    private func inheritedCells(_ property: String) -> Int? {
        var node: Node? = self
        while let n = node {
            if let v = n.property(property)?.u32 { return Int(v) }
            node = n.parent
        }
        return nil
    }

    /// The cell counts used to encode this node's own `reg`: its parent's (root: its own).
    public var regCells: (address: Int, size: Int) {
        let bus = parent ?? self
        return (bus.childAddressCells, bus.childSizeCells)
    }
}
