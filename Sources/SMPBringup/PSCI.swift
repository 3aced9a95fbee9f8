import DeviceTree

/// The `/psci` node as Xen's `psci_init` reads it.
public struct PSCINode: Equatable {
    public let path: String
    /// "1.0", "0.2" or "0.1" (from the compatible: Xen accepts arm,psci-1.0 / arm,psci-0.2 / arm,psci).
    public let version: String
    /// `method`: Xen requires "smc" (it runs at EL2 itself, so HVC would trap to itself).
    public let method: String?
    /// PSCI 0.1 only: the CPU_ON function ID.
    public let cpuOn: UInt32?

    public var usable: Bool { method == "smc" && (version != "0.1" || cpuOn != nil) }

    public static func find(in tree: DeviceTree) -> PSCINode? {
        var found: PSCINode?
        tree.forEachNode { node in
            guard found == nil else { return }
            let c = node.compatibles
            let version: String
            if c.contains("arm,psci-1.0") { version = "1.0" } else if c.contains("arm,psci-0.2") { version = "0.2" } else if c.contains("arm,psci") {
                version = "0.1"
            } else { return }
            found = PSCINode(path: node.path, version: version, method: node.property("method")?.string,
                             cpuOn: node.property("cpu_on")?.u32)
        }
        return found
    }
}
