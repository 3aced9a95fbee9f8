import ImageComposer

/// The PV part of a boot's verdict (`Manifest.pv`): Dom0 attached every device, and each guest saw them: eth0
/// driven by xen-netfront with its address and answering pings, each disk driven by xen-blkfront and reading back
/// the served file's checksum.
extension BootVerdict {
    /// The first PV expectation the reports do not meet, as text naming the domain (nil: all met).
    static func pvProblem(_ expectations: [Manifest.PVGuest], dom0: BootReport?, domains: [Domain]) -> String? {
        for e in expectations {
            let attached = e.domainID.map { id in dom0?.pvAttachments.filter { $0.domain == id } ?? [] } ?? []
            if let failed = attached.first(where: { !$0.ok }) { return "Dom0 could not attach \(failed.device) to \(e.domain) (xl said failed)" }
            if attached.count != e.attachments { return "Dom0 attached \(attached.count) of \(e.attachments) PV devices to \(e.domain)" }
            guard let report = domains.first(where: { $0.name == e.domain })?.report else { return "\(e.domain) printed no report" }
            if let problem = networkProblem(e, report) ?? diskProblem(e, report) { return problem }
        }
        return nil
    }

    static func networkProblem(_ e: Manifest.PVGuest, _ report: BootReport) -> String? {
        guard let net = e.network else { return nil }
        let module = report.value("net_eth0_module") ?? "none"
        if module != net.module { return "\(e.domain): eth0 is driven by \(module), expected \(net.module)" }
        let address = report.value("net_eth0_address") ?? "none"
        if address != net.address { return "\(e.domain): eth0 has address \(address), expected \(net.address)" }
        guard let ping = report.ping, ping.peer == net.peer else { return "\(e.domain): no ping of \(net.peer) reported" }
        return ping.replies > 0 ? nil : "\(e.domain): \(net.peer) answered none of 3 pings"
    }

    static func diskProblem(_ e: Manifest.PVGuest, _ report: BootReport) -> String? {
        for d in e.disks {
            let module = report.value("disk_\(d.vdev)_module") ?? "none"
            if module != d.module { return "\(e.domain): \(d.vdev) is driven by \(module), expected \(d.module)" }
            let sum = report.value("disk_\(d.vdev)_sha256") ?? "none"
            if sum != d.sha256 { return "\(e.domain): \(d.vdev) reads back SHA-256 \(sum.prefix(16))..., the served file has \(d.sha256.prefix(16))..." }
        }
        return nil
    }
}
