import BoardFile
import BoardModel
import DeviceTree
import UARTDrivers
import XenArm

/// Board semantics that need the device tree, checked when the board is built (issue 11, part 3); what the board
/// file alone decides is checked when it is read (BoardFile's `BoardSemantics`). Errors name the board file and
/// line of the key (`TOMLError`), and the node or range of the tree involved.
enum BoardChecks {
    /// Console, CPUs and devices: before anything is extracted or planned.
    static func check(_ board: Board, tree: DeviceTree, model: BoardModel) throws {
        try checkConsole(board, tree: tree, model: model)
        try checkVCPUs(board, cpus: model.cpus.count)
        try checkCPUPools(board, tree: tree)
        try checkDeviceIdentity(board, tree: tree)
    }

    /// `[xen] console` must name a node (path or alias) and that node must be a UART.
    static func checkConsole(_ board: Board, tree: DeviceTree, model: BoardModel) throws {
        guard let requested = board.console else { return }
        guard model.console.source == .boardFile, let path = model.console.path, let node = tree.node(at: path) else {
            throw board.error(at: "xen.console", "console \"\(requested)\" names no node or alias in the device tree")
        }
        guard isUART(node, model.console) else {
            let what = node.property("device_type")?.string.map { "a \($0) node" } ?? "compatible \(node.compatibles.map { "\"\($0)\"" }.joined(separator: ", "))"
            throw board.error(at: "xen.console", "console \"\(requested)\" is \(path) (\(what.isEmpty ? "no compatible" : what)), not a UART")
        }
    }

    /// A UART: one a Xen driver, a register-compatible entry or a UART description knows, or one the tree calls a
    /// serial port (`device_type = "serial"`, a compatible naming a UART or serial controller).
    static func isUART(_ node: Node, _ console: ConsoleAnalysis) -> Bool {
        if console.driver != nil || console.generatedDriver != nil { return true }
        let compatibles = node.compatibles
        if DriverCatalog.drivers(console.xenVersion).contains(where: { d in compatibles.contains { d.compatibles.contains($0) } }) { return true }
        if RegisterCompatibility.lookup(compatibles) != nil { return true }
        if node.property("device_type")?.string == "memory" || node.property("device_type")?.string == "cpu" { return false }
        if node.property("device_type")?.string == "serial" { return true }
        return compatibles.contains { c in ["uart", "serial", "usart", "scif"].contains { c.lowercased().contains($0) } }
    }

    /// Dom0's `vcpus` and each DomU's `cpus` against the tree's CPUs (Xen would run more vCPUs than CPUs, but
    /// a board file asking for that is a mistake).
    static func checkVCPUs(_ board: Board, cpus: Int) throws {
        guard cpus > 0 else { return }
        if let v = board.dom0VCPUs, v > cpus {
            throw board.error(at: "dom0.vcpus", "dom0 vcpus = \(v) but the device tree has \(cpus) CPU(s)")
        }
        for d in board.domUs where d.cpus > cpus {
            throw board.error(line: d.line(of: "cpus"), "domu '\(d.name)' cpus = \(d.cpus) but the device tree has \(cpus) CPU(s)")
        }
    }

    /// Every pool CPU is a CPU node, and no CPU is in two pools (by node, however it is spelt).
    static func checkCPUPools(_ board: Board, tree: DeviceTree) throws {
        var owner: [ObjectIdentifier: String] = [:]
        for pool in board.cpupools {
            for path in pool.cpus {
                guard let cpu = tree.node(at: path), cpu.property("device_type")?.string == "cpu" else {
                    throw board.error(line: pool.line, "cpupool '\(pool.name)': \(path) is not a CPU node in the device tree")
                }
                if let other = owner[ObjectIdentifier(cpu)] {
                    throw board.error(line: pool.line, "cpupool '\(pool.name)': \(cpu.path) is already in cpupool '\(other)'")
                }
                owner[ObjectIdentifier(cpu)] = pool.name
            }
        }
    }

    /// Each passed-through device exists and belongs to one DomU, compared by node: "/a/b@1000", an alias of it
    /// and "/a/b" (unit address left out) are the same device.
    static func checkDeviceIdentity(_ board: Board, tree: DeviceTree) throws {
        var owner: [ObjectIdentifier: (domU: String, spelling: String)] = [:]
        for d in board.domUs {
            for spec in d.passthrough {
                guard let node = tree.node(at: spec) else {
                    throw board.error(line: d.line(of: "passthrough"), "domu '\(d.name)': no device \(spec) in the device tree")
                }
                if let other = owner[ObjectIdentifier(node)] {
                    let same = other.spelling == spec ? "" : " (\"\(other.spelling)\" and \"\(spec)\" are both \(node.path))"
                    let whom = other.domU == d.name ? "listed twice for domu '\(d.name)'" : "given to both domu '\(other.domU)' and domu '\(d.name)'"
                    throw board.error(line: d.line(of: "passthrough"), "device \(node.path) is \(whom)\(same)")
                }
                owner[ObjectIdentifier(node)] = (d.name, spec)
            }
        }
    }

    /// RAM below the physical address limit (so no window wraps 2^64) and Dom0 and DomU memory within it.
    static func checkRAM(_ board: Board, ram: [MemoryRange], dtb: String) throws {
        let limit = board.arch.xenPhysicalAddressLimit
        var total: UInt64 = 0
        for r in ram {
            guard r.base < limit, r.size <= limit - r.base else {
                let message = "RAM \(r.name) [\(hex(r.base)), +\(hex(r.size))) ends above \(hex(limit)): \(board.arch.rawValue) Xen handles \(board.arch.xenPhysicalAddressBits)-bit physical addresses"
                if board.ram != nil { throw board.error(at: "memory.base", message) }
                throw Builder.BuildError("\(dtb): \(message) (set the RAM window in [memory] of \(board.file))")
            }
            let (sum, overflow) = total.addingReportingOverflow(r.size)
            total = overflow ? .max : sum
        }
        try BoardSemantics.checkMemory(board, fitsIn: total, ram: board.ram != nil ? "[memory]" : "the memory banks of \(dtb)")
    }

    /// Each DomU's static memory inside one RAM bank and clear of reserved memory (the tree's, and the windows
    /// QEMU and U-Boot use); the planner then keeps every module off it.
    static func checkStaticMemory(_ board: Board, ram: [MemoryRange], reserved: [MemoryRange]) throws {
        for d in board.domUs {
            guard let sm = d.staticMem else { continue }
            let range = MemoryRange(name: "static-mem \(d.name)", base: sm.base, size: sm.size)
            guard ram.contains(where: { range.base >= $0.base && range.end <= $0.end }) else {
                throw board.error(line: d.line(of: "static-mem"), "domu '\(d.name)': static-mem \(range.text) is not inside one RAM bank (\(ram.map(\.text).joined(separator: ", ")))")
            }
            if let clash = reserved.first(where: { $0.size > 0 && $0.overlaps(range) }) {
                throw board.error(line: d.line(of: "static-mem"), "domu '\(d.name)': static-mem \(range.text) overlaps reserved memory \(clash.name) \(clash.text)")
            }
        }
    }
}
