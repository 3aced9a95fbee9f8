import XenArm

/// What a board file means, checked when it is read (issue 11, part 3): everything decidable from the file alone.
/// What needs the device tree (RAM banks, reserved memory, CPUs, the console node, device identity) is checked
/// when the board is built (`BoardBuild.BoardChecks`). Every error names the file and the line of the key.
public enum BoardSemantics {
    /// A device tree node name is 1 to 31 characters (Devicetree Specification 2.2.1); DomU and pool names
    /// become `domU-NAME` and `cpupool-NAME` under /chosen.
    static let nodeNameLimit = 31

    static func check(_ board: Board) throws {
        try checkRAMWindow(board)
        try checkNames(board)
        try checkMemorySizes(board)
        try checkStaticMemory(board)
        try checkVCPUs(board)
        try BoardVersionChecks.check(board)
        try PlatformSettings.check(board)
    }

    /// The RAM the file states: `[memory]` (bytes), else `[qemu] memory` (MiB); nil when only the tree knows.
    static func statedRAM(_ board: Board) -> (base: UInt64?, size: UInt64, key: String)? {
        if let ram = board.ram { return (ram.base, ram.size, "memory.size") }
        if let q = board.qemu { return (nil, UInt64(q.memoryMiB) << 20, "qemu.memory") }
        return nil
    }

    /// `[memory]` must lie below the architecture's physical address limit (a window at 2^63 is nonsense).
    static func checkRAMWindow(_ board: Board) throws {
        guard let ram = board.ram else { return }
        let limit = board.arch.xenPhysicalAddressLimit
        guard ram.base < limit, ram.size <= limit - ram.base else {
            throw board.error(at: board.lines["memory.base"] != nil ? "memory.base" : "memory.size",
                              "RAM window [\(hex(ram.base)), +\(hex(ram.size))) ends above \(hex(limit)): \(board.arch.rawValue) Xen handles \(board.arch.xenPhysicalAddressBits)-bit physical addresses")
        }
    }

    static func checkNames(_ board: Board) throws {
        var domUs: [String: Int] = [:]
        for d in board.domUs {
            guard d.name.utf8.count + "domU-".count <= nodeNameLimit else {
                throw board.error(line: d.line(of: "name"), "domu name '\(d.name.prefix(40))…' is \(d.name.utf8.count) bytes; at most \(nodeNameLimit - "domU-".count) (its /chosen/domU-NAME node name is limited to \(nodeNameLimit))")
            }
            if let first = domUs[d.name] {
                throw board.error(line: d.line(of: "name"), "domu name '\(d.name)' is already used by the [[domu]] at line \(first)")
            }
            domUs[d.name] = d.line
        }
        var pools: [String: Int] = [:]
        for p in board.cpupools {
            guard !p.name.isEmpty, p.name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else {
                throw board.error(line: p.line, "cpupool name '\(p.name.prefix(40))' must be letters, digits, '-' or '_'")
            }
            guard p.name.utf8.count + "cpupool-".count <= nodeNameLimit else {
                throw board.error(line: p.line, "cpupool name '\(p.name.prefix(40))…' is \(p.name.utf8.count) bytes; at most \(nodeNameLimit - "cpupool-".count) (its /chosen/cpupool-NAME node name is limited to \(nodeNameLimit))")
            }
            if let first = pools[p.name] {
                throw board.error(line: p.line, "duplicate cpupool name '\(p.name)': the [[cpupool]] at line \(first) has it already")
            }
            pools[p.name] = p.line
        }
    }

    /// Dom0's and every DomU's memory: a non-zero number of whole 4 KiB pages (Xen takes DomU memory in KiB and
    /// allocates pages), each and all together within the RAM the file states.
    static func checkMemorySizes(_ board: Board) throws {
        for s in memorySizes(board) where s.bytes == 0 || s.bytes % xenPageSize != 0 {
            throw board.error(line: s.line, "\(s.what) is \(s.bytes) bytes: it must be a non-zero multiple of 4 KiB")
        }
        guard let ram = statedRAM(board) else { return }
        try checkMemory(board, fitsIn: ram.size, ram: "\(ram.key) at line \(board.line(of: ram.key))")
    }

    static func memorySizes(_ board: Board) -> [(what: String, bytes: UInt64, line: Int)] {
        var sizes: [(what: String, bytes: UInt64, line: Int)] = []
        if board.dom0 { sizes.append(("dom0 memory", BoardFileParser.parseSize(board.dom0Memory) ?? 0, board.line(of: "dom0.memory"))) }
        for d in board.domUs { sizes.append(("domu '\(d.name)' memory", BoardFileParser.parseSize(d.memory) ?? 0, d.line(of: "memory"))) }
        for g in board.guests { sizes.append(("guest '\(g.name)' memory", g.memoryMiB << 20, g.line(of: "memory"))) }
        return sizes
    }

    /// Each domain's memory, and all of them together, within `ramSize` bytes (`ram` says where that figure is from).
    public static func checkMemory(_ board: Board, fitsIn ramSize: UInt64, ram: String) throws {
        var total: UInt64 = 0
        for s in memorySizes(board) {
            guard s.bytes <= ramSize else {
                throw board.error(line: s.line, "\(s.what) (\(s.bytes) bytes) is larger than the board's RAM (\(ramSize) bytes, \(ram))")
            }
            let (sum, overflow) = total.addingReportingOverflow(s.bytes)
            guard !overflow, sum <= ramSize else {
                throw board.error(line: s.line, "dom0, domu and guest memory add up to more than the board's RAM (\(ramSize) bytes, \(ram)) once \(s.what) is counted")
            }
            total = sum
        }
    }

    /// `vcpus` / `cpus` against the CPUs `[qemu] smp` gives (the tree's CPUs are checked when building).
    static func checkVCPUs(_ board: Board) throws {
        guard let smp = board.qemu?.smp else { return }
        if let v = board.dom0VCPUs, v > smp {
            throw board.error(at: "dom0.vcpus", "dom0 vcpus = \(v) but the board has \(smp) CPUs ([qemu] smp)")
        }
        for d in board.domUs where d.cpus > smp {
            throw board.error(line: d.line(of: "cpus"), "domu '\(d.name)' cpus = \(d.cpus) but the board has \(smp) CPUs ([qemu] smp)")
        }
        for g in board.guests where g.vcpus > smp {
            throw board.error(line: g.line(of: "vcpus"), "guest '\(g.name)' vcpus = \(g.vcpus) but the board has \(smp) CPUs ([qemu] smp)")
        }
    }

    /// `static-mem` (Xen's `xen,static-mem`, docs/misc/arm/static-allocation.txt): page-aligned base and size, not
    /// wrapping, below the physical address limit, inside `[memory]` when stated, the DomU's whole memory (Xen
    /// refuses a `memory` that differs from the static banks' sum), and no two DomUs' ranges overlapping.
    static func checkStaticMemory(_ board: Board) throws {
        var seen: [(name: String, base: UInt64, end: UInt64)] = []
        let limit = board.arch.xenPhysicalAddressLimit
        for d in board.domUs {
            guard let sm = d.staticMem else { continue }
            let line = d.line(of: "static-mem")
            let text = "static-mem \(hex(sm.base)):\(hex(sm.size)) of domu '\(d.name)'"
            guard sm.base % xenPageSize == 0, sm.size % xenPageSize == 0 else {
                throw board.error(line: line, "\(text) is not 4 KiB-aligned (Xen maps guest memory in whole pages)")
            }
            let (end, wraps) = sm.base.addingReportingOverflow(sm.size)
            guard !wraps, end <= limit else {
                throw board.error(line: line, "\(text) ends above \(hex(limit))\(wraps ? " (base + size wraps 2^64)" : ""): \(board.arch.rawValue) Xen handles \(board.arch.xenPhysicalAddressBits)-bit physical addresses")
            }
            if let ram = board.ram, sm.base < ram.base || end > ram.base + ram.size {
                throw board.error(line: line, "\(text) is not inside the board's RAM [\(hex(ram.base)), \(hex(ram.base + ram.size))) ([memory] at line \(board.line(of: "memory.base")))")
            }
            if let memory = BoardFileParser.parseSize(d.memory), memory != sm.size {
                throw board.error(line: line, "\(text) holds \(sm.size) bytes but the domu's memory is \(d.memory) (\(memory) bytes): Xen requires them equal")
            }
            if let other = seen.first(where: { sm.base < $0.end && $0.base < end }) {
                throw board.error(line: line, "\(text) overlaps domu '\(other.name)''s static-mem [\(hex(other.base)), \(hex(other.end)))")
            }
            seen.append((d.name, sm.base, end))
        }
    }
}
