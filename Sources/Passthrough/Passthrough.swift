import DeviceTree
import XenArm

/// Partial device trees for passing host devices through to Xen 4.17 guests (dom0less DomUs or xl), following
/// the rules in `passthrough-rules.md`.
public enum Passthrough {
    /// Xen 4.17 builds each dom0less guest device tree in a buffer of this size.
    public static let guestDTBudget = 4096
    /// Above this partial size a warning is given (Xen adds its own nodes to the same buffer).
    public static let guestDTWarning = 2048

    /// Extracts `devices` (absolute paths or aliases, optionally with a sub-path) from `host`.
    ///
    /// - Parameters:
    ///   - guestAddress: `.identity` maps every range 1:1 and fails when that is unsafe; `.auto` relocates only
    ///     the ranges that would collide with Xen 4.17's guest memory map.
    ///   - allowShared: pass a device even when a 4 KiB page or an IRQ of it is used by a device staying in Dom0
    ///     (a warning is given instead).
    ///   - facts: what Xen keeps of the host (console, GIC, IOMMUs), from the caller's board model.
    /// - Throws: `PassthroughError`, naming the node and what was expected.
    public static func extract(host: DeviceTree, facts: HostFacts, devices: [String], guestAddress: GuestAddressPolicy = .auto,
                               allowShared: Bool = false) throws -> PassthroughResult {
        let primaryGIC = facts.gic.flatMap { host.node(at: $0) }
        let normaliser = InterruptNormaliser(host: host, primaryGIC: primaryGIC)
        let selected = try Selection(host: host, facts: facts, devices: devices, normaliser: normaliser)
        var warnings = try selected.sharingWarnings(host: host, primaryGIC: primaryGIC, allowShared: allowShared)
        let (guestRanges, relocated) = try AddressPlanner(policy: guestAddress)
            .plan(selected.nodes.indices.map { (selected.nodes[$0].path, selected.pageRanges[$0]) })
        warnings += relocated

        let builder = PartialBuilder(phandles: host.phandleTable(), normaliser: normaliser)
        let (copies, passed) = try selected.register(in: builder, guestRanges: guestRanges, facts: facts, warnings: &warnings)
        for (node, device) in zip(selected.nodes, passed) { try builder.fill(node, top: device.partialTop) }
        builder.finishPhandles()
        guard builder.phandlesUsed < PartialBuilder.phandleLimit else {
            throw PassthroughError.overBudget(bytes: Int(builder.phandlesUsed), limit: Int(PartialBuilder.phandleLimit))
        }
        let partial = try partialTree(children: builder.clockNodes + copies)
        warnings += builder.warnings
        let blob: [UInt8]
        do { blob = try DTBEncoder.encode(partial) } catch { throw PassthroughError.from(error, node: partial.root) }
        if blob.count > guestDTBudget { throw PassthroughError.overBudget(bytes: blob.count, limit: guestDTBudget) }
        if blob.count > guestDTWarning {
            warnings.append("partial device tree is \(blob.count) bytes; Xen 4.17 fits it and its own nodes in \(guestDTBudget) bytes")
        }
        // The host tree for Xen: each passed node marked.
        let hostOut = host.deepCopy()
        for node in selected.nodes { hostOut.node(at: node.path)?.setProperty("xen,passthrough", .empty) }
        return PassthroughResult(partial: partial, partialBlob: blob, host: hostOut, devices: passed,
                                 warnings: warnings, droppedReferences: builder.dropped)
    }

    /// `/` with 2-cell addresses and a `/passthrough` simple-bus holding the copied nodes (Xen's partial-tree layout).
    static func partialTree(children: [Node]) throws -> DeviceTree {
        let partial = DeviceTree(root: Node(name: ""))
        partial.root.setProperty("#address-cells", .u32([2]))
        partial.root.setProperty("#size-cells", .u32([2]))
        let bus = Node(name: "passthrough")
        bus.setProperty("compatible", .string("simple-bus"))
        bus.setProperty("ranges", .empty)
        bus.setProperty("#address-cells", .u32([2]))
        bus.setProperty("#size-cells", .u32([2]))
        do {
            for c in children { try bus.addChild(c) }
            try partial.root.addChild(bus)
        } catch { throw PassthroughError.from(error, node: partial.root) }
        return partial
    }
}

/// The devices to pass, resolved and refused when they cannot be passed, with their MMIO (regions and whole 4 KiB
/// pages) and SPIs.
struct Selection {
    var nodes: [Node] = []
    var regions: [[PhysicalRegion]] = []
    var pageRanges: [[(UInt64, UInt64)]] = []
    var spis: [[UInt32]] = []

    init(host: DeviceTree, facts: HostFacts, devices: [String], normaliser: InterruptNormaliser) throws {
        for spec in devices {
            guard let node = host.node(at: spec) else { throw PassthroughError.noSuchDevice(spec) }
            guard !nodes.contains(where: { $0 === node }) else { throw PassthroughError.duplicateDevice(path: node.path) }
            try DeviceChecks.check(node, facts: facts)
            nodes.append(node)
        }
        if nodes.isEmpty { throw PassthroughError.noSuchDevice("(no device given)") }
        for node in nodes {
            let r: [PhysicalRegion]
            do { r = try host.physicalRegions(of: node) } catch { throw PassthroughError.from(error, node: node, property: "reg") }
            // Whole 4 KiB pages are mapped: the last page must end within the 64-bit address space.
            if r.contains(where: { $0.end > UInt64.max - (xenPageSize - 1) }) {
                throw PassthroughError.badProperty(path: node.path, property: "reg", expected: "regions whose last 4 KiB page ends below 2^64")
            }
            guard r.contains(where: { $0.size > 0 }) else {
                throw PassthroughError.notADevice(path: node.path, reason: "its reg has no non-empty region")
            }
            regions.append(r)
            pageRanges.append(AddressPlanner.pageRanges(r))
            spis.append(try normaliser.normalise(node).spis)
        }
        try refuseSharedPagesBetweenPassed()
    }

    /// One page cannot be mapped for two passed devices.
    func refuseSharedPagesBetweenPassed() throws {
        for i in nodes.indices {
            for j in nodes.indices where j > i {
                for a in pageRanges[i] {
                    if let b = pageRanges[j].first(where: { a.0 < $0.1 && $0.0 < a.1 }) {
                        throw PassthroughError.sharedPage(path: nodes[j].path, page: max(a.0, b.0),
                                                          other: "\(nodes[i].path) (also passed: one page cannot be mapped for two devices)")
                    }
                }
            }
        }
    }

    /// Pages and IRQs shared with devices staying in Dom0 (refused unless `allowShared`), and regions rounded to pages.
    func sharingWarnings(host: DeviceTree, primaryGIC: Node?, allowShared: Bool) throws -> [String] {
        var warnings: [String] = []
        let sharing = SharingCheck(host: host, primaryGIC: primaryGIC, passed: nodes)
        let others = sharing.others()
        for (i, node) in nodes.enumerated() {
            if let (page, other) = sharing.pageSharer(of: pageRanges[i], among: others) {
                guard allowShared else { throw PassthroughError.sharedPage(path: node.path, page: page, other: other.path) }
                warnings.append("\(node.path): page \(hex(page)) is shared with \(other.path), which stays in Dom0; the guest can reach its registers")
            }
            for intid in spis[i] {
                if let other = sharing.irqSharer(of: intid, among: others) {
                    guard allowShared else { throw PassthroughError.sharedIRQ(path: node.path, intid: intid, other: other.path) }
                    warnings.append("\(node.path): INTID \(intid) is shared with \(other.path); Xen routes it to one domain only")
                }
            }
            for r in regions[i] where r.size % xenPageSize != 0 || r.address % xenPageSize != 0 {
                warnings.append("\(node.path): reg \(hex(r.address)) +\(hex(r.size)) is rounded to whole 4 KiB pages in xen,reg")
            }
        }
        return warnings
    }

    /// Each device's copy in the partial tree, named by its first guest address, and what was passed.
    func register(in builder: PartialBuilder, guestRanges: [[UInt64]], facts: HostFacts,
                  warnings: inout [String]) throws -> ([Node], [PassedDevice]) {
        var copies: [Node] = []
        var passed: [PassedDevice] = []
        for (i, node) in nodes.enumerated() {
            let mapped = zip(pageRanges[i], guestRanges[i]).map { MappedRange(host: $0.0.0, size: $0.0.1 - $0.0.0, guest: $0.1) }
            let guestRegions = regions[i].map { r -> PhysicalRegion in
                let m = mapped.first { r.address >= $0.host && r.address < $0.host + $0.size }
                return PhysicalRegion(address: m.map { $0.guest + (r.address - $0.host) } ?? r.address, size: r.size)
            }
            guard let first = guestRegions.first(where: { $0.size > 0 })?.address else {
                throw PassthroughError.notADevice(path: node.path, reason: "its reg has no non-empty region")
            }
            let name = "\(node.baseName)@\(String(first, radix: 16))"
            guard !copies.contains(where: { $0.name == name }) else { throw PassthroughError.duplicateDevice(path: node.path) }
            copies.append(builder.register(node, name: name))
            let protected = DeviceChecks.isIOMMUProtected(node, facts: facts, phandles: builder.phandles)
            if !protected {
                warnings.append("\(node.path): not behind an IOMMU Xen drives; xen,force-assign-without-iommu set (the guest can DMA anywhere)")
            }
            passed.append(PassedDevice(hostPath: node.path, partialPath: "/passthrough/\(name)", ranges: mapped,
                                       hostRegions: regions[i], guestRegions: guestRegions, spis: spis[i], iommuProtected: protected))
        }
        return (copies, passed)
    }
}

extension PassedDevice {
    /// The copy's `reg` (guest addresses, 2+2 cells) and its xen,reg / xen,path / xen,force-assign-without-iommu.
    var partialTop: (reg: [UInt32], xen: [Property]) {
        let reg = guestRegions.flatMap { r in
            [UInt32(truncatingIfNeeded: r.address >> 32), UInt32(truncatingIfNeeded: r.address),
             UInt32(truncatingIfNeeded: r.size >> 32), UInt32(truncatingIfNeeded: r.size)]
        }
        var xen: [Property] = [
            Property(name: "xen,reg", .u64(ranges.flatMap { [$0.host, $0.size, $0.guest] })),
            Property(name: "xen,path", .string(hostPath)),
        ]
        if !iommuProtected { xen.append(Property(name: "xen,force-assign-without-iommu", .empty)) }
        return (reg, xen)
    }
}
