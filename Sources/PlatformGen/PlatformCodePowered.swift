import Foundation
import SoCMechanisms
import XenArm

/// The generated start of secondary CPUs that must be powered up through a power controller first (RK3288,
/// Exynos 5420/5800): a register read helper, the layout's "is on" / "switch on" pair, a bounded power-up wait,
/// `smp_init` (handoff writes shared by every core) and `cpu_up` (power-up, per-core writes, firmware call, wake).
extension PlatformCode {
    /// Milliseconds `cpu_up` waits for the power controller to report the core on (Linux and Xen's exynos5 use 10).
    static let powerUpTimeoutMilliseconds = 10

    static func powered(_ sym: String, _ p: PoweredStart) -> String {
        read32(sym) + corePower(sym, p) + powerUp(sym) + poweredSMPInit(sym, p) + poweredCPUUp(sym, p)
    }

    /// Extra includes the powered start needs (`mdelay`, and `arm_smccc_smc` for a firmware call).
    static func poweredIncludes(_ s: PlatformSpec) -> String {
        guard case .powered(let p) = s.smp else { return "" }
        return "#include <xen/delay.h>\n" + (p.firmwareCall == nil ? "" : "#include <asm/smccc.h>\n")
    }

    private static func read32(_ sym: String) -> String {
        """

        /* Reads one 32-bit register through a temporary mapping of its page. */
        static int \(sym)_read32(paddr_t addr, uint32_t *value)
        {
            void __iomem *page = ioremap_nocache(addr & PAGE_MASK, PAGE_SIZE);

            if ( !page )
            {
                printk(XENLOG_ERR "\(sym): cannot map %"PRIpaddr"\\n", addr);
                return -ENOMEM;
            }
            *value = readl(page + (addr & ~PAGE_MASK));
            iounmap(page);
            return 0;
        }

        """
    }

    /// `SYM_core_is_on` and `SYM_core_switch_on` for the controller's register layout.
    private static func corePower(_ sym: String, _ p: PoweredStart) -> String {
        let isOn: String, switchOn: String
        switch p.layout {
        case .bitPerCoreSetIsOff:
            isOn = "    uint32_t status;\n    int rc = \(sym)_read32(\(hex(p.powerStatus)), &status);\n\n"
                + "    *on = !(status & (1U << core));\n    return rc;\n"
            switchOn = "    uint32_t control;\n    int rc = \(sym)_read32(\(hex(p.powerControl)), &control);\n\n"
                + "    if ( !rc )\n        \(sym)_write32(\(hex(p.powerControl)), control & ~(1U << core));\n    return rc;\n"
        case .registerPerCore(let stride, let value):
            let v = hex(UInt64(value))
            isOn = "    uint32_t status;\n    int rc = \(sym)_read32(\(hex(p.powerStatus)) + \(hex(stride)) * core, &status);\n\n"
                + "    *on = (status & \(v)) == \(v);\n    return rc;\n"
            switchOn = "    \(sym)_write32(\(hex(p.powerControl)) + \(hex(stride)) * core, \(v));\n    return 0;\n"
        case .hiwordResetPerCore:
            isOn = "    uint32_t reset;\n    int rc = \(sym)_read32(\(hex(p.powerStatus)), &reset);\n\n"
                + "    *on = !(reset & (1U << core));\n    return rc;\n"
            switchOn = "    /* Bits 16-31 select the bits a write changes: release the core's reset only. */\n"
                + "    \(sym)_write32(\(hex(p.powerControl)), (1U << core) << 16);\n    return 0;\n"
        }
        var out = "\n/* Whether the controller reports the core on (powered, or out of reset). */\n"
        out += "static int \(sym)_core_is_on(unsigned int core, bool *on)\n{\n\(isOn)}\n"
        out += "\n/* Asks the controller to switch the core on. */\n"
        out += "static int \(sym)_core_switch_on(unsigned int core)\n{\n\(switchOn)}\n"
        return out
    }

    private static func powerUp(_ sym: String) -> String {
        """

        /* Powers the core up unless it is on, waiting at most \(powerUpTimeoutMilliseconds) ms for the controller to say so. */
        static int \(sym)_core_power_up(unsigned int core)
        {
            unsigned int ms;
            bool on;
            int rc = \(sym)_core_is_on(core, &on);

            if ( rc || on )
                return rc;
            rc = \(sym)_core_switch_on(core);
            for ( ms = 0; !rc && ms < \(powerUpTimeoutMilliseconds); ms++ )
            {
                mdelay(1);
                rc = \(sym)_core_is_on(core, &on);
                if ( !rc && on )
                    return 0;
            }
            return rc ? rc : -ETIMEDOUT;
        }

        """
    }

    private static func handoffWrites(_ sym: String, _ p: PoweredStart) -> String {
        p.writes.map { w in
            let value: String
            switch w.value {
            case .entryPoint: value = "__pa(init_secondary)"
            case .constant(let c): value = hex(UInt64(c))
            }
            return "    \(sym)_write32(\(hex(w.address)), \(value));\n"
        }.joined()
    }

    private static func poweredSMPInit(_ sym: String, _ p: PoweredStart) -> String {
        var out = "\nstatic int __init \(sym)_smp_init(void)\n{\n"
        if !p.perCore {
            out += "    /* The boot ROM of every secondary core reads the same boot address. */\n" + handoffWrites(sym, p)
            out += "    printk(\"\(sym): secondary entry %\"PRIpaddr\" written for the boot ROM\\n\", __pa(init_secondary));\n"
        }
        return out + "    return 0;\n}\n"
    }

    private static func poweredCPUUp(_ sym: String, _ p: PoweredStart) -> String {
        let index = p.coresPerCluster.map { "MPIDR_AFFINITY_LEVEL(mpidr, 1) * \($0) + MPIDR_AFFINITY_LEVEL(mpidr, 0)" } ?? "MPIDR_AFFINITY_LEVEL(mpidr, 0)"
        var out = "\n/* Powers the CPU's core up, hands its boot ROM Xen's entry point and wakes it. */\n"
        out += "static int \(sym)_cpu_up(int cpu)\n{\n    register_t mpidr = cpu_logical_map(cpu);\n"
        out += "    unsigned int core = \(index);\n    int rc;\n\n"
        out += "    if ( core >= \(p.cores) )\n    {\n"
        out += "        printk(XENLOG_ERR \"\(sym): CPU%d (MPIDR %\"PRIregister\") is core %u; the power controller has \(p.cores)\\n\", cpu, mpidr, core);\n"
        out += "        return -ENODEV;\n    }\n"
        out += "    rc = \(sym)_core_power_up(core);\n    if ( rc )\n    {\n"
        out += "        printk(XENLOG_ERR \"\(sym): CPU%d: core %u did not power up (%d)\\n\", cpu, core, rc);\n        return rc;\n    }\n"
        // Printed before the handoff: once released, the CPU's early printk shares the UART and would interleave.
        out += "    printk(\"\(sym): starting CPU%d (core %u), entry %\"PRIpaddr\"\\n\", cpu, core, __pa(init_secondary));\n"
        if p.settleMilliseconds > 0 { out += "    mdelay(\(p.settleMilliseconds)); /* the boot ROM's own start-up on the core */\n" }
        if p.perCore { out += handoffWrites(sym, p) }
        if let call = p.firmwareCall { out += "    arm_smccc_smc(\(hex(UInt64(call))), core, NULL); /* the secure firmware's CPU boot call */\n" }
        switch p.wake {
        case .sgi: out += "    return cpu_up_send_sgi(cpu);\n}\n"
        case .sev: out += "    dsb(sy);\n    sev();\n    return 0;\n}\n"
        }
        return out
    }
}
