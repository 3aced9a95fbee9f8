/// PV devices in a board file: `[[domu]] vif` / `disk` (xl's spec syntax, parsed into `VifSpec` / `DiskSpec`) and
/// `[[bridge]]`; errors name the file and the line of the key.
extension BoardFileParser {
    /// `[[bridge]]`: name, address (IPv4 with prefix), domain (default Dom0).
    static func bridges(_ v: BoardFileSections) throws -> [BridgeSpec] {
        try (v.instances["bridge"] ?? []).map { inst in
            let i = Instance(inst.line, inst.entries)
            do throws(XLSpecError) {
                let name = i.string("name") ?? ""
                try XLSpec.checkName(name, "bridge name")
                let address = try IPv4Interface(i.string("address") ?? "", defaultPrefix: 0)
                let domain = try BackendDomain(i.string("domain") ?? "dom0")
                return BridgeSpec(name: name, address: address, domain: domain, line: inst.line)
            } catch {
                let hint = error.description.contains("not an IPv4") ? " (with its prefix, e.g. 192.168.100.1/24)" : ""
                throw v.fail(inst.line, "[[bridge]]: \(error)\(hint)")
            }
        }
    }

    /// A `[[domu]]`'s `vif` and `disk` arrays, each spec parsed (an error names the key's line and the spec).
    static func pvDevices(_ i: Instance, _ v: BoardFileSections) throws -> ([VifSpec], [DiskSpec]) {
        func specs(_ key: String) -> [String] {
            guard case .array(let items)? = i.entries[key]?.value else { return [] }
            return items.compactMap { if case .string(let s) = $0 { return s }; return nil }
        }
        let vifs = try specs("vif").map { text in
            do { return try VifSpec(text) } catch { throw v.fail(i.line(of: "vif"), "vif \"\(text)\": \(error)") }
        }
        let disks = try specs("disk").map { text in
            do { return try DiskSpec(text, absolute: v.absolute) } catch { throw v.fail(i.line(of: "disk"), "disk \"\(text)\": \(error)") }
        }
        return (vifs, disks)
    }
}

/// What PV devices need from the rest of the board: a backend domain that exists and runs the toolstack, a
/// xenstore connection in the guest, a bridge someone creates, distinct devices and addresses.
enum PVDeviceChecks {
    static func check(_ board: Board) throws {
        var macs: [String: String] = [:]
        var bridges: Set<String> = []
        for b in board.bridges {
            try checkDomain(b.domain, board, line: b.line, what: "[[bridge]] \(b.name) domain")
            guard bridges.insert("\(b.domain) \(b.name)").inserted else {
                throw board.error(line: b.line, "bridge '\(b.name)' of \(b.domain) is declared twice")
            }
        }
        for g in board.guests {
            for vif in g.vifs {
                try checkVif(vif, line: g.line(of: "vif"), board)
                if let mac = vif.mac {
                    if let other = macs[mac.description] { throw board.error(line: g.line(of: "vif"), "mac \(mac) is used by '\(other)' too") }
                    macs[mac.description] = g.name
                }
            }
        }
        for d in board.domUs where !d.vifs.isEmpty || !d.disks.isEmpty {
            let key = d.vifs.isEmpty ? "disk" : "vif"
            guard d.enhanced == "enabled" else {
                throw board.error(line: d.line(of: key), "domu '\(d.name)': PV devices need xenstore in the guest: set enhanced = \"enabled\"")
            }
            for vif in d.vifs {
                try checkVif(vif, d, board)
                if let mac = vif.mac {
                    if let other = macs[mac.description] { throw board.error(line: d.line(of: "vif"), "mac \(mac) is used by domu '\(other)' too") }
                    macs[mac.description] = d.name
                }
            }
            var vdevs: Set<String> = []  // per domain
            for disk in d.disks {
                try checkDomain(disk.backend, board, line: d.line(of: "disk"), what: "disk \(disk.vdev) backend")
                guard vdevs.insert(disk.vdev).inserted else { throw board.error(line: d.line(of: "disk"), "domu '\(d.name)': vdev \(disk.vdev) is given twice") }
            }
        }
    }

    static func checkVif(_ vif: VifSpec, _ d: Board.DomU, _ board: Board) throws {
        try checkVif(vif, line: d.line(of: "vif"), board)
    }

    static func checkVif(_ vif: VifSpec, line: Int, _ board: Board) throws {
        try checkDomain(vif.backend, board, line: line, what: "vif backend")
        guard let bridge = board.bridges.first(where: { $0.name == vif.bridge && $0.domain == vif.backend }) else {
            let known = board.bridges.map { "\($0.name) in \($0.domain)" }.joined(separator: ", ")
            throw board.error(line: line, "vif on bridge '\(vif.bridge)' of \(vif.backend): no [[bridge]] creates it (add [[bridge]] name = \"\(vif.bridge)\" with an address; declared: \(known.isEmpty ? "none" : known))")
        }
        if let ip = vif.ip.first, !bridge.address.contains(ip) || ip.address == bridge.address.address {
            throw board.error(line: line, "vif ip \(ip.addressText) must be another address in bridge \(bridge.name)'s network \(bridge.address) (line \(bridge.line))")
        }
    }

    /// A backend or bridge domain: Dom0 running the toolstack, or a `[[domu]]` of the board.
    static func checkDomain(_ domain: BackendDomain, _ board: Board, line: Int, what: String) throws {
        switch domain {
        case .dom0:
            guard board.dom0, board.dom0RootFS == .toolstack else {
                throw board.error(line: line, "\(what) is Domain-0, which must run Xen's toolstack to attach it: set [dom0] rootfs = \"toolstack\"")
            }
        case .domain(let name):
            guard board.domUs.contains(where: { $0.name == name }) || board.guests.contains(where: { $0.name == name }) else {
                let names = (board.dom0 ? ["Domain-0"] : []) + board.domUs.map(\.name) + board.guests.map(\.name)
                throw board.error(line: line, "\(what) '\(name)' names no domain of this board (domains: \(names.joined(separator: ", ")))")
            }
        }
    }
}
