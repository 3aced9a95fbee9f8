/// `compatible` and `status`.
extension Node {
    public var compatibles: [String] { property("compatible")?.strings ?? [] }

    public func isCompatible(with compatible: String) -> Bool {
        compatibles.contains(compatible)
    }

    /// `status` as written; nil when absent.
    public var status: String? { property("status")?.string }

    /// True when `status` is absent, "okay" or "ok" (the devicetree spec and Linux's `of_device_is_available`).
    public var isEnabled: Bool {
        guard let s = status else { return true }
        return s == "okay" || s == "ok"
    }
}

extension DeviceTree {
    /// Nodes with `compatible` in their list, in pre-order.
    public func nodes(compatibleWith compatible: String) -> [Node] {
        var out: [Node] = []
        forEachNode { if $0.isCompatible(with: compatible) { out.append($0) } }
        return out
    }
}
