import Foundation

/// Start-up and interrupt handling of a generated driver: masking and the described initialisation before IRQs,
/// then the IRQ (or, without a usable one, a polling timer), the handler and the TX interrupt switch.
extension Emitter {
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

    func receiveLoop() -> String {
        """
        /* Hands every waiting character to Xen's console (bounded by the FIFO depth). */
        static void \(p)_receive(struct serial_port *port\(regsParameter))
        {
            struct \(p) *uart = port->uart;
            unsigned int n;

            for ( n = 0; n < \(P)_FIFO_DEPTH && \(condition(u.rxReady)); n++ )
                serial_rx_interrupt(port\(regsArgument));
        }

        """
    }

    func interrupt() -> String {
        var statusRegs: [String] = [], enableRegs: [String] = []
        for s in u.sources {
            if !statusRegs.contains(s.status.register) { statusRegs.append(s.status.register) }
            if !enableRegs.contains(s.enable.register) { enableRegs.append(s.enable.register) }
        }
        let kinds = [UARTDescription.InterruptSource.Kind.rx, .tx].filter { !u.sources($0).isEmpty }
        var s = "static void \(p)_interrupt(int irq, void *data\(regsParameter))\n{\n"
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
        if kinds.contains(.rx) { s += "        if ( rx )\n            \(p)_receive(port\(regsArgument));\n" }
        if kinds.contains(.tx) { s += "        if ( tx )\n            serial_tx_interrupt(port\(regsArgument));\n" }
        return s + "    }\n}\n"
    }

    func poll() -> String {
        """
        /* Without a usable interrupt: a timer hands received characters to the console. */
        static void \(p)_poll(void *data)
        {
            struct serial_port *port = data;
            struct \(p) *uart = port->uart;

            \(p)_receive(port\(passesRegs ? ", guest_cpu_user_regs()" : ""));
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
}
