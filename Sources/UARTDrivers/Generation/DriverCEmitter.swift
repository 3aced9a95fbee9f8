import Foundation

/// The functions of a generated driver, one method each. `p` prefixes functions (`xb_imx_uart`), `P` macros.
struct Emitter {
    let u: ResolvedUART
    let p: String
    let P: String

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

    func receiveLoop() -> String {
        """
        /* Hands every waiting character to Xen's console (bounded by the FIFO depth). */
        static void \(p)_receive(struct serial_port *port, struct cpu_user_regs *regs)
        {
            struct \(p) *uart = port->uart;
            unsigned int n;

            for ( n = 0; n < \(P)_FIFO_DEPTH && \(condition(u.rxReady)); n++ )
                serial_rx_interrupt(port, regs);
        }

        """
    }

    func initPreirq() -> String {
        var s = "static void __init \(p)_init_preirq(struct serial_port *port)\n{\n    struct \(p) *uart = port->uart;\n\n"
        let masks = enables([.rx, .tx, .error])
        if !masks.isEmpty {
            s += "    /* Every interrupt source masked until init_postirq. */\n"
            for m in masks { s += "    \(p)_modify(uart, \(reg(m.register)), \(hex(m.mask)), 0);\n" }
        }
        s += "    /* The described start-up sequence (the firmware's baud rate is kept). */\n"
        s += statements(u.initialize, warn: true)
        let acks = grouped(u.sources.compactMap { $0.acknowledge.map { ($0.register, $0.mask) } })
        if !acks.isEmpty {
            s += "    /* Nothing pending. */\n"
            for a in acks { s += "    \(p)_write(uart, \(reg(a.register)), \(hex(a.mask)));\n" }
        }
        return s + "}\n"
    }
}

extension Emitter {
    func interrupt() -> String {
        var statusRegs: [String] = [], enableRegs: [String] = []
        for s in u.sources {
            if !statusRegs.contains(s.status.register) { statusRegs.append(s.status.register) }
            if !enableRegs.contains(s.enable.register) { enableRegs.append(s.enable.register) }
        }
        let kinds = [UARTDescription.InterruptSource.Kind.rx, .tx].filter { !u.sources($0).isEmpty }
        var s = "static void \(p)_interrupt(int irq, void *data, struct cpu_user_regs *regs)\n{\n"
        s += "    struct serial_port *port = data;\n    struct \(p) *uart = port->uart;\n    unsigned int round;\n\n"
        s += "    for ( round = 0; round <= \(P)_FIFO_DEPTH; round++ )\n    {\n"
        for (i, r) in statusRegs.enumerated() { s += "        uint32_t status\(i) = \(p)_read(uart, \(reg(r)));\n" }
        for (i, r) in enableRegs.enumerated() { s += "        uint32_t enable\(i) = \(p)_read(uart, \(reg(r)));\n" }
        s += "        bool pending = false" + kinds.map { ", \($0.rawValue) = false" }.joined() + ";\n\n"
        for src in u.sources {
            let si = statusRegs.firstIndex(of: src.status.register) ?? 0, ei = enableRegs.firstIndex(of: src.enable.register) ?? 0
            s += "        /* \(src.kind.rawValue): \(src.status.register) status, \(src.enable.register) enable */\n"
            s += "        if ( (status\(si) & \(hex(src.status.mask))) && (enable\(ei) & \(hex(src.enable.mask))) )\n        {\n"
            s += "            pending = true;\n"
            if src.kind != .error { s += "            \(src.kind.rawValue) = true;\n" }
            if let a = src.acknowledge { s += "            \(p)_write(uart, \(reg(a.register)), \(hex(a.mask)));\n" }
            s += "        }\n"
        }
        s += "        if ( !pending )\n            break;\n"
        if kinds.contains(.rx) { s += "        if ( rx )\n            \(p)_receive(port, regs);\n" }
        if kinds.contains(.tx) { s += "        if ( tx )\n            serial_tx_interrupt(port, regs);\n" }
        return s + "    }\n}\n"
    }

    func poll() -> String {
        """
        /* Without a usable interrupt: a timer hands received characters to the console. */
        static void \(p)_poll(void *data)
        {
            struct serial_port *port = data;
            struct \(p) *uart = port->uart;

            \(p)_receive(port, guest_cpu_user_regs());
            set_timer(&uart->poll_timer, NOW() + MILLISECS(\(P)_POLL_MS));
        }

        """
    }

    var startPolling: String {
        "    init_timer(&uart->poll_timer, \(p)_poll, port, 0);\n    set_timer(&uart->poll_timer, NOW() + MILLISECS(\(P)_POLL_MS));\n"
    }

    func initPostirq() -> String {
        var s = "static void __init \(p)_init_postirq(struct serial_port *port)\n{\n    struct \(p) *uart = port->uart;\n\n"
        s += "    if ( uart->irq > 0 )\n    {\n"
        s += "        uart->irqaction.handler = \(p)_interrupt;\n        uart->irqaction.name = \"\(label)\";\n"
        s += "        uart->irqaction.dev_id = port;\n        if ( setup_irq(uart->irq, 0, &uart->irqaction) == 0 )\n        {\n"
        s += "            uart->interrupts = true;\n"
        // Transmission stays synchronous, as in Xen's own pl011 and imx-lpuart drivers: with serial_async_transmit
        // the i.MX driver hung Xen's machine_restart under QEMU (mcimx7d-sabre). The TX interrupt still calls
        // serial_tx_interrupt, which masks it again through stop_tx.
        let on = enables([.rx, .error])
        if !on.isEmpty { s += "            /* Receive and error interrupts on. */\n" }
        for m in on { s += "            \(p)_modify(uart, \(reg(m.register)), 0, \(hex(m.mask)));\n" }
        s += "            return;\n        }\n"
        s += "        printk(XENLOG_ERR \"\(label): cannot set up IRQ %d, polling instead\\n\", uart->irq);\n"
        s += "        uart->irq = -1;\n    }\n"
        return s + startPolling + "}\n"
    }

    func initPostirqPolling() -> String {
        "/* The description has no interrupt sources: always poll. */\n"
            + "static void __init \(p)_init_postirq(struct serial_port *port)\n{\n    struct \(p) *uart = port->uart;\n\n"
            + startPolling + "}\n"
    }

    func txReady() -> String {
        """
        static int \(p)_tx_ready(struct serial_port *port)
        {
            struct \(p) *uart = port->uart;

            return \(condition(u.txReady)) ? \(u.description.transmit.readyCount) : 0;
        }

        """
    }

    func putc() -> String {
        "static void \(p)_putc(struct serial_port *port, char c)\n{\n    struct \(p) *uart = port->uart;\n\n"
            + statements(u.put) + "}\n"
    }

    func getc() -> String {
        let shift = u.rxCharacterMask == 0 ? 0 : u.rxCharacterMask.trailingZeroBitCount
        var s = "static int \(p)_getc(struct serial_port *port, char *pc)\n{\n    struct \(p) *uart = port->uart;\n    uint32_t data;\n\n"
        s += "    if ( !\(condition(u.rxReady)) )\n        return 0;\n"
        s += statements(u.rxBefore)
        s += "    data = \(p)_read(uart, \(reg(u.rxData.name)));\n"
        s += statements(u.rxAfter)
        if u.rxErrorMask != 0 {
            s += "    /* A character received with an error is dropped. */\n"
            s += "    if ( data & \(hex(u.rxErrorMask)) )\n        return 0;\n"
        }
        s += "    *pc = (char)((data & \(hex(u.rxCharacterMask)))\(shift == 0 ? "" : " >> \(shift)"));\n"
        return s + "    return 1;\n}\n"
    }

    func irq() -> String {
        """
        static int __init \(p)_irq(struct serial_port *port)
        {
            struct \(p) *uart = port->uart;

            return uart->irq > 0 ? uart->irq : -1;
        }

        """
    }

    func startStop() -> String {
        let tx = enables([.tx])
        guard !tx.isEmpty else { return "" }
        var s = ""
        for (name, on) in [("start_tx", true), ("stop_tx", false)] {
            s += "static void \(p)_\(name)(struct serial_port *port)\n{\n    struct \(p) *uart = port->uart;\n\n"
            s += "    if ( !uart->interrupts )\n        return;\n"
            for m in tx { s += "    \(p)_modify(uart, \(reg(m.register)), \(on ? "0" : hex(m.mask))\(on ? ", \(hex(m.mask))" : ", 0"));\n" }
            s += "}\n\n"
        }
        return s
    }

    func vuart() -> String {
        """
        static const struct vuart_info *\(p)_vuart_info(struct serial_port *port)
        {
            struct \(p) *uart = port->uart;

            return &uart->vuart;
        }

        """
    }

    func driverTable() -> String {
        var fields = ["init_preirq", "init_postirq", "tx_ready", "putc", "getc", "irq"]
        if !u.sources(.tx).isEmpty { fields += ["start_tx", "stop_tx"] }
        fields.append("vuart_info")
        return "static struct uart_driver __read_mostly \(p)_driver = {\n"
            + fields.map { "    .\($0) = \(p)_\($0),\n" }.joined() + "};\n"
    }

    func initFunction(_ layout: XenLayout) -> String {
        var s = "static int __init \(p)_init(struct dt_device_node *dev, const void *data)\n{\n"
        s += "    const char *config = data;\n    struct \(p) *uart = &\(p)_com;\n    \(layout.addressType) addr, size;\n    int res;\n\n"
        s += "    if ( strcmp(config, \"\") )\n        printk(\"\(label): WARNING: UART configuration is not supported\\n\");\n\n"
        s += "    res = \(layout.addressCall);\n    if ( res )\n    {\n"
        s += "        printk(\"\(label): unable to retrieve the base address of the UART\\n\");\n        return res;\n    }\n\n"
        s += "    res = platform_get_irq(dev, 0);\n    uart->irq = res > 0 ? res : -1;\n"
        s += "    if ( uart->irq < 0 )\n        printk(\"\(label): no usable interrupt in the device tree, polling\\n\");\n\n"
        s += "    uart->regs = ioremap_nocache(addr, size);\n    if ( !uart->regs )\n    {\n"
        s += "        printk(\"\(label): unable to map the UART memory\\n\");\n        return -ENOMEM;\n    }\n\n"
        s += "    uart->vuart.base_addr = addr;\n    uart->vuart.size = size;\n"
        s += "    uart->vuart.data_off = \(DriverC.hex(u.vuartData, digits: 3));\n"
        s += "    uart->vuart.status_off = \(DriverC.hex(u.vuartStatus, digits: 3));\n"
        s += "    uart->vuart.status = \(hex(u.vuartReady));\n\n"
        s += "    serial_register_uart(SERHND_DTUART, &\(p)_driver, uart);\n    dt_device_set_used_by(dev, DOMID_XEN);\n\n"
        return s + "    return 0;\n}\n"
    }

    func dtMatch() -> String {
        var s = "static const struct dt_device_match \(p)_dt_match[] __initconst =\n{\n"
        for c in u.description.compatibles { s += "    DT_MATCH_COMPATIBLE(\"\(c)\"),\n" }
        s += "    { /* sentinel */ },\n};\n\n"
        let title = u.description.title.replacingOccurrences(of: "\"", with: "'").replacingOccurrences(of: "\\", with: "/")
        s += "DT_DEVICE_START(\(p), \"\(title) (xen-board)\", DEVICE_SERIAL)\n"
        s += "    .dt_match = \(p)_dt_match,\n    .init = \(p)_init,\nDT_DEVICE_END\n"
        return s
    }
}
