import Foundation

/// The functions of a generated driver, one method each. `p` prefixes functions (`xb_imx_uart`), `P` macros.
struct Emitter {
    let u: ResolvedUART
    let p: String
    let P: String
    /// Whether IRQ handlers and `serial_{rx,tx}_interrupt` take `struct cpu_user_regs *` (4.17; gone in 4.20).
    var passesRegs = true
    var regsParameter: String { passesRegs ? ", struct cpu_user_regs *regs" : "" }
    var regsArgument: String { passesRegs ? ", regs" : "" }

    init(_ u: ResolvedUART) {
        self.u = u
        p = u.symbol
        P = u.macroPrefix
    }

    var label: String { DriverC.fileStem(u) }
    func hex(_ v: UInt32) -> String { DriverC.hex(v) + "U" }
    func reg(_ name: String) -> String { "\(P)_\(name)" }

    func state() -> String {
        """
        static struct \(p) {
            void __iomem *regs;
            /* The DT interrupt, or -1: then a timer polls. */
            int irq;
            /* The IRQ is set up: RX and TX go through interrupts. */
            bool interrupts;
            struct irqaction irqaction;
            struct timer poll_timer;
            struct vuart_info vuart;
        } \(p)_com;

        """
    }

    func accessors() -> String {
        let (r, w, t): (String, String, String)
        switch u.description.accessWidth {
        case 8: (r, w, t) = ("readb", "writeb", "uint8_t")
        case 16: (r, w, t) = ("readw", "writew", "uint16_t")
        default: (r, w, t) = ("readl", "writel", "uint32_t")
        }
        return """
        static inline uint32_t \(p)_read(const struct \(p) *uart, unsigned int off)
        {
            return \(r)(uart->regs + off);
        }

        static inline void \(p)_write(struct \(p) *uart, unsigned int off, uint32_t val)
        {
            \(w)((\(t))val, uart->regs + off);
        }

        static inline void \(p)_modify(struct \(p) *uart, unsigned int off, uint32_t clear, uint32_t set)
        {
            \(p)_write(uart, off, (\(p)_read(uart, off) & ~clear) | set);
        }

        /* ALL: every bit of mask set; NONE: all clear; ANY: at least one set. */
        static inline bool \(p)_test(const struct \(p) *uart, unsigned int off, uint32_t mask, int test)
        {
            uint32_t v = \(p)_read(uart, off) & mask;

            return test == \(P)_ALL ? v == mask : test == \(P)_NONE ? v == 0 : v != 0;
        }

        /* Polls a condition for up to us microseconds. */
        static inline bool \(p)_wait(const struct \(p) *uart, unsigned int off, uint32_t mask, int test, unsigned int us)
        {
            while ( !\(p)_test(uart, off, mask, test) )
            {
                if ( us-- == 0 )
                    return false;
                udelay(1);
            }
            return true;
        }

        """
    }

    func condition(_ c: ResolvedCondition) -> String {
        let test = c.test == .all ? "ALL" : c.test == .none ? "NONE" : "ANY"
        return "\(p)_test(uart, \(reg(c.register)), \(hex(c.mask)), \(P)_\(test))"
    }

    /// C statements for operations; `charExpr` names the character for `writeChar`; timeouts warn when `warn`.
    func statements(_ ops: [ResolvedOperation], indent: String = "    ", warn: Bool = false) -> String {
        var s = ""
        for op in ops {
            switch op {
            case let .write(r, _, v, terms):
                s += "\(indent)\(p)_write(uart, \(reg(r)), \(hex(v)));\(comment(terms))\n"
            case let .modify(r, _, clear, set, terms):
                s += "\(indent)\(p)_modify(uart, \(reg(r)), \(hex(clear)), \(hex(set)));\(comment(terms))\n"
            case let .wait(c, us):
                let call = "\(p)_wait(uart, \(reg(c.register)), \(hex(c.mask)), \(P)_\(c.test == .all ? "ALL" : c.test == .none ? "NONE" : "ANY"), \(us))"
                let what = "\(c.register) \(c.test.rawValue) of \(c.bits.joined(separator: "|"))"
                if warn {
                    s += "\(indent)if ( !\(call) )\n\(indent)    printk(XENLOG_WARNING \"\(label): timed out waiting for \(what)\\n\");\n"
                } else {
                    s += "\(indent)(void)\(call); /* \(what) */\n"
                }
            case let .writeChar(r, _, v):
                s += "\(indent)\(p)_write(uart, \(reg(r)), (uint32_t)(unsigned char)c\(v == 0 ? "" : " | \(hex(v))"));\n"
            case let .read(r, _):
                s += "\(indent)(void)\(p)_read(uart, \(reg(r)));\n"
            }
        }
        return s
    }

    func comment(_ terms: [String]) -> String { terms.isEmpty ? "" : " /* \(terms.joined(separator: " ")) */" }

    /// Groups (register -> OR of masks) in first-seen order.
    func grouped(_ items: [(register: String, mask: UInt32)]) -> [(register: String, mask: UInt32)] {
        var out: [(register: String, mask: UInt32)] = []
        for i in items {
            if let k = out.firstIndex(where: { $0.register == i.register }) { out[k].mask |= i.mask } else { out.append(i) }
        }
        return out
    }

    func enables(_ kinds: [UARTDescription.InterruptSource.Kind]) -> [(register: String, mask: UInt32)] {
        grouped(u.sources.filter { kinds.contains($0.kind) }.map { ($0.enable.register, $0.enable.mask) })
    }
}
