import XenArm

/// The board file `xen-board new` writes for a plan (pure: same plan, same bytes). Comments say what came from
/// `inspect`, what `gen` will generate and what a person must still decide, with the key that takes the answer.
extension NewBoardPlan {
    public var text: String {
        var out: [String] = []
        func comment(_ s: String, indent: String = "") { out += Self.wrap(s, prefix: "# " + indent) }
        func key(_ k: String, _ v: String) { out.append("\(k) = \(v)") }
        comment("\(name): written by `xen-board new` from \(dtbSource).")
        comment("From inspect (the typed board model):")
        for f in fromInspect { comment("- " + f, indent: "  ") }
        comment(generated.isEmpty ? "Will be generated:" : "Will be generated (`xen-board gen \(name)`; `xen-board build \(name)` builds Xen from source with it):")
        if generated.isEmpty { comment("- nothing: Xen's own drivers and platform code suffice", indent: "  ") }
        for g in generated { comment("- " + g, indent: "  ") }
        comment("Still needs a person:")
        if open.isEmpty { comment("- nothing found; boot it and read the console", indent: "  ") }
        for o in open { comment("- " + (o.key.map { "\($0): " } ?? "device tree change (no board-file key): ") + o.what, indent: "  ") }
        key("description", Self.quoted(description))
        key("arch", Self.quoted(arch.rawValue))
        key("status", Self.quoted("build-only"))
        key("status-note", Self.quoted("written by xen-board new; not booted yet\(qemu == nil ? "" : ": run `xen-board boot \(name)`, then set status = \"ci-boot\" once a CI test boots it")"))
        out.append("")
        out.append("[dtb]")
        key(dtbKey, Self.quoted(dtbValue))
        out.append("")
        out.append("[xen]")
        if let v = xenVersion { key("version", Self.quoted(v.rawValue)) }
        if xenFromSource {
            comment("Generated code needs Xen built from Debian's source with the board's port.")
            key("image", Self.quoted("source"))
        }
        if let pick = console, let k = pick.key {
            comment("No /chosen/stdout-path: the console is chosen here (see above).")
            key("console", Self.quoted(k))
        }
        comment("\"Platform: ...\" and the per-CPU messages are info-level: show them.")
        key("bootargs", Self.quoted("loglvl=all"))
        out.append("")
        out.append("[dom0]")
        key("memory", Self.quoted("512M"))
        if let ram {
            out.append("")
            comment("QEMU gives \(qemu?.memoryMiB ?? 0) MiB, less than the tree describes: plan for what QEMU gives.")
            out.append("[memory]")
            key("base", hex(ram.base))
            key("size", hex(ram.size))
        }
        if let q = qemu {
            out.append("")
            out.append("[qemu]")
            key("machine", Self.quoted(q.machine))
            if let cpu = q.cpu { key("cpu", Self.quoted(cpu)) }
            key("smp", String(q.smp))
            key("memory", String(q.memoryMiB))
            comment(q.machine.hasPrefix("virt") ? "U-Boot from u-boot-qemu loads Xen from the disk image."
                                                : "A -kernel boot (U-Boot for QEMU exists only for virt).")
            key("boot", Self.quoted(q.machine.hasPrefix("virt") ? "u-boot" : "direct"))
        }
        if !generated.isEmpty || bootLoaderPSCI != nil {
            out.append("")
            out.append("[platform]")
            if let loader = bootLoaderPSCI {
                comment("No /psci in the tree: " + loader.explanation + ".")
                key("smp", Self.quoted("none"))
            }
            if !generated.isEmpty {
                comment("Mechanisms recognised in the device tree need no key here; only the printed name is chosen.")
                key("name", Self.quoted("XEN-BOARD \(name.uppercased())"))
            }
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// A TOML basic string.
    static func quoted(_ s: String) -> String {
        var r = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": r += "\\\""
            case "\\": r += "\\\\"
            case "\n": r += "\\n"
            case "\t": r += "\\t"
            default:
                if u.value < 0x20 || u.value == 0x7f { r += "\\u" + String(repeating: "0", count: 4 - String(u.value, radix: 16).count) + String(u.value, radix: 16) } else { r.unicodeScalars.append(u) }
            }
        }
        return r + "\""
    }

    /// Comment lines of at most 118 columns (words longer than that stay whole).
    static func wrap(_ s: String, prefix: String) -> [String] {
        let clean = s.replacingOccurrences(of: "\n", with: " ")
        var lines: [String] = []
        var current = prefix
        let continuation = prefix.hasSuffix("  ") ? prefix + "  " : prefix
        for word in clean.split(separator: " ") {
            if current.count + word.count + 1 > 118 && current != prefix && current != continuation {
                lines.append(current)
                current = continuation
            }
            current += (current == prefix || current == continuation ? "" : " ") + word
        }
        lines.append(current)
        return lines
    }
}
