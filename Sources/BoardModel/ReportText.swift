import XenArm

extension BoardReport {
    /// The report for people: one section per concern, blockers last.
    public var text: String {
        var out: [String] = []
        func line(_ s: String) { out.append(s) }
        line("\(file ?? "device tree"): \(model ?? "(no model)")")
        line("  compatible: \(rootCompatible.joined(separator: ", "))")
        line("  Xen build:  \(architecture.rawValue)")
        line("Console")
        if let path = console.path {
            line("  \(path) [\(console.compatible.joined(separator: ", "))] via \(console.source ?? "?")")
            line("  base \(console.baseAddress.map(hex) ?? "?")  reg-shift \(console.regShift)  reg-io-width \(console.regIoWidth)  SPI \(console.interrupt.map(String.init) ?? "-")")
        } else {
            line("  none")
        }
        line("  \(console.verdict): \(console.detail)")
        if let v = console.variant { line("  patch (variant \(v)): \(console.variantFiles.joined(separator: ", "))") }
        if let b = console.xenBootargs { line("  Xen bootargs:  \(b)") }
        line("  Dom0 console:  \(console.dom0Console)")
        if !console.earlyPrintk.isEmpty { line("  early printk (needs CONFIG_DEBUG or CONFIG_EXPERT): \(console.earlyPrintk.joined(separator: " "))") }
        line("CPUs (\(cpus.count))")
        for c in cpus {
            line("  \(c.path)  MPIDR \(c.mpidr.map(hex) ?? "?")  enable-method \(c.enableMethod ?? "-")  -> \(c.bringUp)\(c.cluster.map { "  (\($0))" } ?? "")")
        }
        line("  PSCI: \(psci.map { "\($0.version) via \($0.method ?? "no method") at \($0.path)" } ?? "none")")
        line("GIC: \(gic.version.map { "v\($0)" } ?? "none usable") \(gic.path ?? "")")
        for r in gic.regions { line("  \(r.name) \(hex(r.base)) size \(hex(r.size))") }
        line("Timer: \(timer.map { "\($0.path) INTIDs \($0.interrupts.map(String.init).joined(separator: ","))" } ?? "none")")
        line("Memory: \(memory.isEmpty ? "none" : memory.map { "\(hex($0.base))+\(hex($0.size))" }.joined(separator: ", "))")
        for r in reservedMemory { line("  reserved \(hex(r.base))+\(hex(r.size)) (\(r.source)\(r.noMap ? ", no-map" : ""))") }
        if !iommus.isEmpty {
            line("IOMMUs")
            for i in iommus { line("  \(i.path) [\(i.compatible.first ?? "")] Xen driver: \(i.xenDriver ?? "none")\(i.enabled ? "" : " (disabled)"), \(i.masters) master(s)") }
        }
        line("Xen platform: \(xenPlatform ?? "none (Generic System)")")
        if !hiddenDevices.isEmpty {
            line("Hidden from Dom0")
            for h in hiddenDevices { line("  \(h.path): \(h.reason)\(h.automatic ? "" : "  [needs blacklist_dev]")") }
        }
        line("Platform file: \(platformFile.needed ? "needed" : "not needed")")
        for r in platformFile.reasons { line("  - \(r)") }
        for w in warnings { line("warning: \(w)") }
        for b in blockers { line("BLOCKER: \(b)") }
        let generated = console.generatedDriver.map { "Ready for Xen 4.17 built from source with the console driver generated from \"\($0)\" (build --xen source)." }
        let added = console.variant.map { "Ready for Xen 4.17 built from source with the console's compatible added to Xen's \(console.compatibleDriver ?? "") driver (variant \"\($0)\"; build --xen source)." }
        line(ready ? generated ?? added ?? "Ready for Xen 4.17 as-is." : "Not ready: \(blockers.count) blocker(s).")
        return out.joined(separator: "\n") + "\n"
    }
}
