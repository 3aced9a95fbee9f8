import Foundation
import XenArm

/// The secondary-CPU part of a generated platform file: `smp_init` and `cpu_up` for a mailbox, a spin-table or a
/// boot-ROM pen (the descriptor names them under `CONFIG_ARM_32`, the only build whose platform hooks start CPUs).
extension PlatformCode {
    static func smp(_ s: PlatformSpec) -> String {
        let sym = s.symbol
        switch s.smp {
        case .none:
            return ""
        case .mailbox(let set, let clear, let wake):
            var out = "\n/* Secondary CPUs wait for an entry address in a mailbox register. */\n"
            out += "static int __init \(sym)_smp_init(void)\n{\n"
            if let clear { out += "    \(sym)_write32(\(hex(clear)), ~0U);\n" }
            out += "    \(sym)_write32(\(hex(set)), __pa(init_secondary));\n"
            out += "    printk(\"\(sym): secondary entry %\"PRIpaddr\" written to \(hex(set))\\n\", __pa(init_secondary));\n"
            out += "    return 0;\n}\n"
            return out + (wake == .sev ? sevCPUUp(sym) : "")
        case .bootPen(let entry, let signal, let go, let park):
            return bootPen(sym, entry: entry, signal: signal, go: go, park: park)
        case .powered(let p):
            return powered(sym, p)
        case .spinTable(let release):
            var out = "\n/* Secondary CPUs spin on a release address (spin-table). */\n"
            out += "static int __init \(sym)_smp_init(void)\n{\n"
            out += "    \(sym)_write32(\(hex(release)), __pa(init_secondary));\n    return 0;\n}\n"
            return out + sevCPUUp(sym)
        }
    }

    private static func sevCPUUp(_ sym: String) -> String {
        "\n/* Wake the waiting CPUs with an event. */\nstatic int __init \(sym)_cpu_up(int cpu)\n{\n    sev();\n    return 0;\n}\n"
    }

    /// A boot-ROM pen: the CPUs wait in `wfe` for `go | (MPIDR & 0xff)` in the signal register, then jump to the
    /// entry register's address (Linux's aspeed_g6_boot_secondary does the same writes).
    private static func bootPen(_ sym: String, entry: UInt64, signal: UInt64, go: UInt32, park: UInt32?) -> String {
        var out = "\n/* Secondary CPUs wait in the boot ROM's pen for a go signal, then jump to the entry address. */\n"
        out += "static int __init \(sym)_smp_init(void)\n{\n"
        if let park { out += "    \(sym)_write32(\(hex(signal)), \(hex(UInt64(park))));\n" }
        out += "    return 0;\n}\n"
        out += "\nstatic int __init \(sym)_cpu_up(int cpu)\n{\n"
        out += "    uint32_t id = cpu_logical_map(cpu) & 0xff;\n\n"
        // Printed before the go signal: once released, CPU1's early printk shares the UART and would interleave.
        out += "    printk(\"\(sym): releasing CPU%d (id %u) from the boot pen, entry %\"PRIpaddr\"\\n\", cpu, id, __pa(init_secondary));\n"
        out += "    \(sym)_write32(\(hex(entry)), 0);\n"
        out += "    \(sym)_write32(\(hex(entry)), __pa(init_secondary));\n"
        out += "    \(sym)_write32(\(hex(signal)), \(hex(UInt64(go))) | id);\n"
        out += "    sev();\n    return 0;\n}\n"
        return out
    }
}
