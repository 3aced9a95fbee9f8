import Foundation
import Infrastructure

/// The repeated sections of a board file: `[[cpupool]]` and `[[domu]]` (dom0less guests), each checked against
/// the others (a device goes to one DomU only; a DomU's cpupool must be defined).
extension BoardFileParser {
    static func cpupools(_ v: BoardFileSections) throws -> [Board.CPUPool] {
        try (v.instances["cpupool"] ?? []).map { inst in
            let i = Instance(inst.line, inst.entries)
            let cpus = (i.string("cpus") ?? "").split(separator: ",").map { String($0).trimmingCharacters(in: CharacterSet(charactersIn: " \t")) }.filter { !$0.isEmpty }
            guard !cpus.isEmpty else { throw v.fail(inst.line, "[[cpupool]] needs at least one CPU path in cpus") }
            return Board.CPUPool(name: i.string("name") ?? "", cpus: cpus, scheduler: i.string("scheduler") ?? "credit2", line: inst.line)
        }
    }

    static func domUs(_ v: BoardFileSections, cpupools: [Board.CPUPool]) throws -> [Board.DomU] {
        var owners: [String: String] = [:]
        return try (v.instances["domu"] ?? []).map { inst in
            try domU(Instance(inst.line, inst.entries), v, cpupools: cpupools, owners: &owners)
        }
    }

    /// One `[[domu]]`; `owners` maps each passed-through device to the DomU that took it so far.
    static func domU(_ i: Instance, _ v: BoardFileSections, cpupools: [Board.CPUPool], owners: inout [String: String]) throws -> Board.DomU {
        let name = i.string("name") ?? ""
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
            throw v.fail(i.line, "domu name '\(name)' must be letters, digits, '-' or '_'")
        }
        if let m = i.string("memory"), parseSize(m) == nil { throw v.fail(i.line(of: "memory"), "domu memory '\(m)' is not a size like 128M") }
        var cpus = 1
        if case .integer(let c)? = i.entries["cpus"]?.value {
            guard (1...8).contains(c) else { throw v.fail(i.line(of: "cpus"), "domu cpus must be 1 to 8, got \(c)") }
            cpus = Int(c)
        }
        let passthrough = try passthrough(i, v, domU: name, owners: &owners)
        let staticMem = try staticMem(i, v)
        let directMap = i.bool("direct-map") ?? false
        if directMap && staticMem == nil {
            throw v.fail(i.line(of: "direct-map"), "direct-map needs static-mem (Xen: \"direct-map is not valid ... without static allocation\")")
        }
        let pool = i.string("cpupool")
        if let pool, !cpupools.contains(where: { $0.name == pool }) {
            throw v.fail(i.line(of: "cpupool"), "cpupool '\(pool)' is not defined by a [[cpupool]]")
        }
        let kernel: Board.ImageSource = i.string("kernel").map { $0 == "debian" ? .debian : .path(v.absolute($0)) } ?? .debian
        var domU = Board.DomU(name: name, memory: i.string("memory") ?? "128M", cpus: cpus, kernel: kernel, bootargs: i.string("bootargs") ?? "",
                              vpl011: i.bool("vpl011") ?? true, enhanced: i.string("enhanced"), passthrough: passthrough, staticMem: staticMem,
                              directMap: directMap, cpupool: pool, line: i.line, lines: i.entries.mapValues(\.line))
        if let r = i.string("rootfs") {
            guard !r.isEmpty, !r.utf8.contains(0) else { throw v.fail(i.line(of: "rootfs"), "domu rootfs must be the path of a cpio(.gz) initramfs") }
            domU.rootfs = v.absolute(r)
        }
        if let r = i.string("initrd") {
            guard !r.isEmpty, !r.utf8.contains(0) else { throw v.fail(i.line(of: "initrd"), "domu initrd must be the path of a cpio(.gz) initramfs") }
            domU.initrd = v.absolute(r)
        }
        (domU.vifs, domU.disks) = try pvDevices(i, v)
        domU.llcColors = try llcColors(i, v)
        domU.maxGrantFrames = try maxGrantFrames(i, v)
        return domU
    }

    /// `passthrough`: device paths, none already given to another DomU.
    static func passthrough(_ i: Instance, _ v: BoardFileSections, domU name: String, owners: inout [String: String]) throws -> [String] {
        var devices: [String] = []
        if case .array(let items)? = i.entries["passthrough"]?.value {
            devices = items.compactMap { if case .string(let s) = $0 { return s }; return nil }
        }
        for dev in devices {
            if let other = owners[dev] {
                throw v.fail(i.line(of: "passthrough"), "device \(dev) is given to both domu '\(other)' and domu '\(name)'")
            }
            owners[dev] = name
        }
        return devices
    }

    /// `static-mem = "BASE:SIZE"` (numbers through Infrastructure's `Numbers`), size above zero.
    static func staticMem(_ i: Instance, _ v: BoardFileSections) throws -> (UInt64, UInt64)? {
        guard let sm = i.string("static-mem") else { return nil }
        let parts = sm.split(separator: ":").map { Numbers.optional(String($0)) }
        guard parts.count == 2, let base = parts[0], let size = parts[1], size > 0 else {
            throw v.fail(i.line(of: "static-mem"), "static-mem '\(sm)' must be BASE:SIZE, e.g. 0x50000000:0x8000000")
        }
        return (base, size)
    }

    /// One instance of a repeated section: its entries by key and the line of its header.
    struct Instance {
        let line: Int
        let entries: [String: TOMLEntry]
        init(_ line: Int, _ entries: [String: TOMLEntry]) { self.line = line; self.entries = entries }

        func string(_ k: String) -> String? { if case .string(let s)? = entries[k]?.value { return s }; return nil }
        func bool(_ k: String) -> Bool? { if case .boolean(let b)? = entries[k]?.value { return b }; return nil }
        /// The line of key `k`, else the section's.
        func line(of k: String) -> Int { entries[k]?.line ?? line }
    }
}
