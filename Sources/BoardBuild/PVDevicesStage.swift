import BoardFile
import Foundation
import ImageComposer
import Infrastructure
import RootFilesystem

/// The PV devices of a board's dom0less guests, made concrete for the build: what Dom0's init attaches (bridges,
/// `xl network-attach` / `xl block-attach` specs, the served files carried in its root filesystem), what each
/// guest's report system checks, and what `boot` then expects (`Manifest.pv`).
struct PVStage {
    var dom0 = PVAttachPlan()
    var guests: [String: GuestPVCheck] = [:]
    var expectations: [Manifest.PVGuest] = []

    /// Where a served disk goes in Dom0's root filesystem.
    static func dom0Path(_ domU: Board.DomU, _ disk: DiskSpec) -> String { "var/lib/xen-board/disks/\(domU.name)-\(disk.vdev).img" }
    /// Served files go into Dom0's RAM (its initramfs): keep them small.
    static let maximumDiskBytes = 64 << 20
}

extension Builder {
    /// `ownInit`: DomUs whose init is not the report system (an ext4 rootfs on a disk): no PV checks expected.
    static func pvDevices(_ board: Board, host: HostStage, ownInit: Set<String> = []) throws -> PVStage {
        var stage = PVStage()
        if let b = board.bridges.first(where: { $0.domain != .dom0 }) {
            throw board.error(line: b.line, "[[bridge]] \(b.name) domain=\(b.domain): driver domains are not built yet; bridges are created in Domain-0 (leave domain out)")
        }
        stage.dom0.bridges = board.bridges.filter { $0.domain == .dom0 }.map { .init(name: $0.name, address: $0.address.description) }
        for (index, d) in board.domUs.enumerated() where !d.vifs.isEmpty || !d.disks.isEmpty {
            try requireDom0Backends(board, d)
            let domain = index + 1   // dom0less DomUs are created in /chosen order, after Dom0
            for (i, vif) in d.vifs.enumerated() { stage.dom0.attachments.append(.init(domain: domain, device: .network(spec: vif.xl, index: i))) }
            var disks: [GuestPVCheck.Disk] = []
            var expectedDisks: [Manifest.PVDisk] = []
            for disk in d.disks {
                let contents = try servedFile(board, d, disk)
                let path = PVStage.dom0Path(d, disk)
                stage.dom0.attachments.append(.init(domain: domain, device: .block(spec: disk.xl(target: "/" + path), vdev: disk.vdev, file: path, contents: contents)))
                let visible = contents.count / 512 * 512   // a loop device has whole sectors
                disks.append(.init(vdev: disk.vdev, bytes: visible))
                expectedDisks.append(.init(vdev: disk.vdev, sha256: try SHA256.hex(Array(contents.prefix(visible))), module: "xen_blkfront"))
            }
            // The guest checks its devices when it runs the report system on Debian's kernel (whose modules it loads).
            // (Not with the user's `rootfs` or `initrd`: their init prints what it likes.)
            let checked = d.rootfs == nil && d.initrd == nil && d.kernel == .debian && !ownInit.contains(d.name)
            let network = checked ? try guestNetwork(board, d) : nil
            if checked { stage.guests[d.name] = GuestPVCheck(modules: try frontendModules(d, host: host), network: network, disks: disks) }
            stage.expectations.append(.init(domain: d.name, domainID: domain, attachments: d.vifs.count + d.disks.count,
                                            network: network.map { .init(address: $0.address, peer: $0.peer, module: "xen_netfront") },
                                            disks: checked ? expectedDisks : []))
        }
        for g in board.guests where !g.vifs.isEmpty {
            try requireDom0Backends(board, vifs: g.vifs, line: g.line(of: "vif"))
            // xl create attaches the vifs; the report system checks eth0 when it is the guest's ramdisk on Debian's kernel.
            guard g.ramdisk == nil, g.kernel == .debian, let vif = g.vifs.first, let ip = vif.ip.first,
                  let bridge = board.bridges.first(where: { $0.name == vif.bridge && $0.domain == vif.backend }) else { continue }
            let network = GuestPVCheck.Network(address: "\(ip.addressText)/\(bridge.address.prefix)", peer: bridge.address.addressText)
            guard let kernel = host.inputs.kernelPackage else { throw BuildError("guest '\(g.name)': its vif check needs Debian's kernel package (xen-netfront)") }
            let modules = try FrontendModules.select([FrontendModules.netfront], kernel: kernel).files.map { ($0.name, $0.contents) }
            stage.guests[g.name] = GuestPVCheck(modules: modules, network: network, disks: [])
            stage.expectations.append(.init(domain: g.name, domainID: nil, attachments: 0,
                                            network: .init(address: network.address, peer: network.peer, module: "xen_netfront"), disks: []))
        }
        return stage
    }

    /// Driver domains come next: until they are built, every backend is Dom0.
    static func requireDom0Backends(_ board: Board, _ d: Board.DomU) throws {
        try requireDom0Backends(board, vifs: d.vifs, line: d.line(of: "vif"))
        if let disk = d.disks.first(where: { $0.backend != .dom0 }) {
            throw board.error(line: d.line(of: "disk"), "disk \(disk.vdev) backend=\(disk.backend): driver domains are not built yet; backends run in Domain-0 (leave backend out)")
        }
    }

    static func requireDom0Backends(_ board: Board, vifs: [VifSpec], line: Int) throws {
        if let vif = vifs.first(where: { $0.backend != .dom0 }) {
            throw board.error(line: line, "vif backend=\(vif.backend): driver domains are not built yet; backends run in Domain-0 (leave backend out)")
        }
    }

    /// The file a disk serves: a regular file of 512 bytes to `PVStage.maximumDiskBytes`.
    static func servedFile(_ board: Board, _ d: Board.DomU, _ disk: DiskSpec) throws -> [UInt8] {
        let line = d.line(of: "disk")
        var st = stat()
        guard stat(disk.target, &st) == 0 else {
            throw board.error(line: line, "disk \(disk.vdev) target \(disk.target) does not exist (\(String(cString: strerror(errno))))")
        }
        guard UInt32(st.st_mode) & UInt32(S_IFMT) == UInt32(S_IFREG) else {
            throw board.error(line: line, "disk \(disk.vdev) target \(disk.target) is not a regular file (a disk image file is served from Dom0's root filesystem)")
        }
        guard st.st_size >= 512, st.st_size <= PVStage.maximumDiskBytes else {
            throw board.error(line: line, "disk \(disk.vdev) target \(disk.target) has \(st.st_size) bytes; 512 bytes to \(PVStage.maximumDiskBytes >> 20) MiB are served (it is carried in Dom0's RAM)")
        }
        guard let data = FileManager.default.contents(atPath: disk.target) else {
            throw board.error(line: line, "disk \(disk.vdev) target \(disk.target) cannot be read")
        }
        return [UInt8](data)
    }

    /// eth0 (the first vif) with its first `ip=` address, pinging its bridge's address; nil without an address.
    static func guestNetwork(_ board: Board, _ d: Board.DomU) throws -> GuestPVCheck.Network? {
        guard let vif = d.vifs.first, let ip = vif.ip.first else { return nil }
        guard let bridge = board.bridges.first(where: { $0.name == vif.bridge && $0.domain == vif.backend }) else {
            throw board.error(line: d.line(of: "vif"), "vif on bridge '\(vif.bridge)': no [[bridge]] creates it")
        }
        return .init(address: "\(ip.addressText)/\(bridge.address.prefix)", peer: bridge.address.addressText)
    }

    /// xen-netfront and xen-blkfront (as needed) from Debian's kernel package, which the guest runs too.
    static func frontendModules(_ d: Board.DomU, host: HostStage) throws -> [(name: String, contents: [UInt8])] {
        guard let kernel = host.inputs.kernelPackage else {
            throw BuildError("domu '\(d.name)': PV devices need Debian's kernel package (its xen-netfront / xen-blkfront modules)")
        }
        let wanted = (d.vifs.isEmpty ? [] : [FrontendModules.netfront]) + (d.disks.isEmpty ? [] : [FrontendModules.blkfront])
        return try FrontendModules.select(wanted, kernel: kernel).files.map { ($0.name, $0.contents) }
    }
}
