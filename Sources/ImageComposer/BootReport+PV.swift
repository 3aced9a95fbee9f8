/// The PV lines of a boot report (see `PVAttachPlan` for Dom0's, `GuestPVCheck` for a guest's).
extension BootReport {
    /// One `pv_attach=DOMID KIND NAME ok|failed` line of a toolstack Dom0.
    public struct PVAttachment: Sendable, Equatable {
        public let domain: Int
        /// `vif 0`, `disk xvda`.
        public let device: String
        public let ok: Bool
        public init(domain: Int, device: String, ok: Bool) { self.domain = domain; self.device = device; self.ok = ok }
    }

    public var pvAttachments: [PVAttachment] {
        values("pv_attach").compactMap { line in
            let parts = line.split(separator: " ")
            guard parts.count == 4, let id = Int(parts[0]), parts[3] == "ok" || parts[3] == "failed" else { return nil }
            return PVAttachment(domain: id, device: "\(parts[1]) \(parts[2])", ok: parts[3] == "ok")
        }
    }

    /// `ping=PEER REPLIES`: the peer pinged and how many of 3 pings it answered.
    public var ping: (peer: String, replies: Int)? {
        guard let parts = value("ping")?.split(separator: " "), parts.count == 2, let n = Int(parts[1]) else { return nil }
        return (String(parts[0]), n)
    }

    /// `bridge=NAME ADDRESS` lines of a backend domain: its bridges and their addresses.
    public var bridges: [String: String] {
        var result: [String: String] = [:]
        for line in values("bridge") {
            let parts = line.split(separator: " ")
            if parts.count == 2 { result[String(parts[0])] = String(parts[1]) }
        }
        return result
    }
}
