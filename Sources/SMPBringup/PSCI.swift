import DeviceTree

/// The PSCI version a `/psci` compatible promises (Xen accepts arm,psci-1.0 / arm,psci-0.2 / arm,psci).
public enum PSCIVersion: String, Codable, Sendable, Comparable, CaseIterable {
    case v0_1 = "0.1", v0_2 = "0.2", v1_0 = "1.0"

    /// PSCI 0.2 added SYSTEM_RESET / SYSTEM_OFF: Xen can reboot the board without a platform hook.
    public var hasSystemReset: Bool { self >= .v0_2 }

    public static func < (a: PSCIVersion, b: PSCIVersion) -> Bool {
        allCases.firstIndex(of: a) ?? 0 < allCases.firstIndex(of: b) ?? 0
    }
}

/// The `method` of `/psci`: how PSCI calls reach the firmware.
public enum PSCIConduit: Equatable, Sendable {
    /// What Xen requires: it runs at EL2 itself, so HVC would trap to itself.
    case smc
    case hvc
    case other(String)

    public init(_ method: String) {
        switch method {
        case "smc": self = .smc
        case "hvc": self = .hvc
        default: self = .other(method)
        }
    }

    public var name: String {
        switch self {
        case .smc: return "smc"
        case .hvc: return "hvc"
        case .other(let m): return m
        }
    }
}

/// The `/psci` node as Xen's `psci_init` reads it.
public struct PSCINode: Equatable, Sendable {
    public let path: String
    public let version: PSCIVersion
    /// `method` (nil when the node has none).
    public let conduit: PSCIConduit?
    /// PSCI 0.1 only: the CPU_ON function ID.
    public let cpuOn: UInt32?

    public var method: String? { conduit?.name }
    public var usable: Bool { conduit == .smc && (version != .v0_1 || cpuOn != nil) }

    public static func find(in tree: DeviceTree) -> PSCINode? {
        var found: PSCINode?
        tree.forEachNode { node in
            guard found == nil else { return }
            let c = node.compatibles
            let version: PSCIVersion
            if c.contains("arm,psci-1.0") { version = .v1_0 } else if c.contains("arm,psci-0.2") { version = .v0_2 } else if c.contains("arm,psci") {
                version = .v0_1
            } else { return }
            found = PSCINode(path: node.path, version: version, conduit: node.property("method")?.string.map(PSCIConduit.init),
                             cpuOn: node.property("cpu_on")?.u32)
        }
        return found
    }
}
