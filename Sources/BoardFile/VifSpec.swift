/// One network interface of a guest, written in xl's vif syntax (xl-network-configuration(5)):
/// `"bridge=xenbr0,mac=00:16:3e:00:00:01,ip=192.168.100.2/24"`. The backend domain (`backend=`, default Dom0)
/// plugs the backend half into `bridge`; the guest's netfront gets `mac` and configures `ip`.
public struct VifSpec: Equatable, Sendable {
    /// The bridge the backend interface joins (xl's default: xenbr0).
    public var bridge = "xenbr0"
    public var backend: BackendDomain = .dom0
    public var mac: MACAddress?
    /// The guest's addresses (xl: "list of IP networks for the vif, space-separated"). The guest's report system
    /// configures the first on eth0.
    public var ip: [IPv4Interface] = []
    /// The backend interface's name (`vifname=`), the hotplug script (`script=`), the MTU (`mtu=`).
    public var vifname: String?
    public var script: String?
    public var mtu: Int?
    /// `type=vif` (the only kind a PV guest on Arm has), `model=` and `rate=`, as written.
    public var model: String?
    public var rate: String?

    /// Keys xl documents for a vif; each maps to a field (`type` is checked only).
    static let keys = ["mac", "bridge", "ip", "backend", "vifname", "script", "mtu", "type", "model", "rate"]

    public init(_ text: String) throws(XLSpecError) {
        for s in try XLSpec.settings(text) {
            guard let key = s.key else { throw XLSpecError("'\(s.value)' is not key=value (vif keys: \(Self.keys.joined(separator: ", ")))") }
            try set(key, s.value)
        }
    }

    private mutating func set(_ key: String, _ value: String) throws(XLSpecError) {
        switch key {
        case "mac": mac = try MACAddress(value)
        case "bridge": try XLSpec.checkName(value, "bridge"); bridge = value
        case "ip": ip = try value.split(separator: " ").map { s throws(XLSpecError) in try IPv4Interface(String(s)) }
        case "backend": backend = try BackendDomain(value)
        case "vifname": try XLSpec.checkName(value, "vifname"); vifname = value
        case "script": try XLSpec.checkName(value, "script", limit: 64); script = value
        case "mtu":
            guard let n = Int(value), (68...65535).contains(n) else { throw XLSpecError("mtu '\(value)' must be 68 to 65535") }
            mtu = n
        case "type":
            guard value == "vif" else { throw XLSpecError("type '\(value)': a guest on Arm has PV interfaces only (type=vif)") }
        case "model": try XLSpec.checkName(value, "model", limit: 32); model = value
        case "rate":
            guard value.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "/" || $0 == "@") }) else {
                throw XLSpecError("rate '\(value)' must be like 10Mb/s or 10Mb/s@20ms")
            }
            rate = value
        default: throw XLSpecError("unknown vif key '\(key)' (known: \(Self.keys.joined(separator: ", ")))")
        }
    }

    /// The spec as `xl network-attach` takes it (settings in a fixed order; `ip=` is left out: it only feeds
    /// vif-route/vif-nat and iptables rules, while the guest configures its own address).
    public var xl: String {
        var parts = ["bridge=\(bridge)", "backend=\(backend)"]
        if let mac { parts.append("mac=\(mac)") }
        if let vifname { parts.append("vifname=\(vifname)") }
        if let script { parts.append("script=\(script)") }
        if let mtu { parts.append("mtu=\(mtu)") }
        if let model { parts.append("model=\(model)") }
        if let rate { parts.append("rate=\(rate)") }
        return parts.joined(separator: ",")
    }
}

/// A bridge a domain creates at boot (`[[bridge]]`): its name and the address the domain gives it, which guests
/// on it ping.
public struct BridgeSpec: Equatable, Sendable {
    public let name: String
    public let address: IPv4Interface
    /// The domain that creates it (the backend of the vifs on it).
    public let domain: BackendDomain
    public var line: Int = 0

    public init(name: String, address: IPv4Interface, domain: BackendDomain, line: Int = 0) {
        self.name = name
        self.address = address
        self.domain = domain
        self.line = line
    }

    public static func == (a: BridgeSpec, b: BridgeSpec) -> Bool { a.name == b.name && a.address == b.address && a.domain == b.domain }
}
