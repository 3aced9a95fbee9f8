/// What passthrough needs to know about the host beyond its tree: the nodes Xen keeps for itself and the
/// IOMMUs it drives. The caller (BoardBuild, from its board model) hands them over; Passthrough does not
/// analyse the board again.
public struct HostFacts: Sendable, Equatable {
    public struct IOMMU: Sendable, Equatable {
        public let path: String
        /// Enabled, and Xen has a driver for it: devices behind it need no `xen,force-assign-without-iommu`.
        public let drivenByXen: Bool

        public init(path: String, drivenByXen: Bool) {
            self.path = path
            self.drivenByXen = drivenByXen
        }
    }

    /// Xen's console UART (never passed through).
    public let consoleUART: String?
    /// The primary GIC (interrupts are normalised to it; never passed through).
    public let gic: String?
    public let iommus: [IOMMU]

    public init(consoleUART: String?, gic: String?, iommus: [IOMMU]) {
        self.consoleUART = consoleUART
        self.gic = gic
        self.iommus = iommus
    }
}
