import Foundation

/// The console operations Xen's serial layer calls (tx_ready, putc, getc, irq, vuart_info), the `uart_driver`
/// table naming them, and the device-tree probe that maps the UART and registers it.
extension Emitter {
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
