/// `manifest.json`: everything a build produced and where it goes in memory.
public struct Manifest: Codable, Equatable, Sendable {
    public struct Input: Codable, Equatable, Sendable {
        public let role: String
        /// "debian:<package> <version> <arch>" or the user's path.
        public let source: String
        public let sha256: String
    }

    public struct Module: Codable, Equatable, Sendable {
        public let name: String
        public let file: String
        public let loadAddress: UInt64
        public let size: UInt64
        public let end: UInt64
        public let sha256: String
        /// Who loads it: "u-boot", "qemu -kernel", "qemu loader".
        public let loadedBy: String
    }

    public let board: String
    public let arch: String
    public let status: String
    public let consoleUART: String?
    public let xenBootargs: String
    public let dom0Bootargs: String
    public let inputs: [Input]
    public let modules: [Module]
    public let ram: [MemoryRange]
    public let reserved: [MemoryRange]
    public let files: [String]
    public let qemu: [String]?
    public let expectedCPUs: Int?
    public let warnings: [String]
    /// Domains that print a report at boot: "dom0" and the DomU names, in domain-ID order.
    public let domains: [String]?
    /// True when Dom0 asks for a reboot after its report (`[dom0] after-report = "reboot"`): `boot` then waits for
    /// the machine to reset (Xen's banner a second time).
    public var expectsReset: Bool? = nil
    /// True when Dom0 runs the toolstack root filesystem (`[dom0] rootfs = "toolstack"`): `boot` then also requires
    /// xenstored running and Domain-0 in `xl list`.
    public var toolstack: Bool? = nil
    /// The `[[guest]]`s Dom0's toolstack starts with `xl create`, in file order: `boot` then requires each one's report
    /// (relayed by Dom0, `XLGuestConsole`) and each name in Dom0's `xl list`.
    public var guests: [String]? = nil
    /// The dom0less guests' PV devices (`[[domu]] vif` / `disk`): what `boot` requires of Dom0's and each guest's report.
    public var pv: [PVGuest]? = nil

    /// One guest's PV devices, as the boot verdict checks them.
    public struct PVGuest: Codable, Equatable, Sendable {
        public let domain: String
        /// The dom0less guest's ID (nil for a `[[guest]]`: xl create attaches its vifs, its ID is xl's choice).
        public let domainID: Int?
        /// Devices Dom0 attaches to it (each needs `pv_attach=ID ... ok` in Dom0's report).
        public let attachments: Int
        /// eth0: bound to `module`, configured with `address`, `peer` answering pings (nil: not checked).
        public let network: PVNetwork?
        public let disks: [PVDisk]
    }

    public struct PVNetwork: Codable, Equatable, Sendable {
        public let address: String
        public let peer: String
        public let module: String
    }

    /// A disk the guest reads: the SHA-256 of the served file's whole sectors, and the module that drives it.
    public struct PVDisk: Codable, Equatable, Sendable {
        public let vdev: String
        public let sha256: String
        public let module: String
    }
}
