import XenArm

/// The board file `xen-board new` writes for a plan (pure: same plan, same bytes). Comments say what came from
/// `inspect`, what `gen` will generate and what a person must still decide, with the key that takes the answer.
extension NewBoardPlan {
    public var text: String {
        var out = BoardFileLines()
        headerComments(&out)
        topAndXen(&out)
        dom0AndMemory(&out)
        qemuSection(&out)
        platformSection(&out)
        return out.lines.joined(separator: "\n") + "\n"
    }

    /// What came from inspect, what will be generated, what still needs a person.
    private func headerComments(_ out: inout BoardFileLines) {
        out.comment("\(name): written by `xen-board new` from \(dtbSource).")
        out.comment("From inspect (the typed board model):")
        for f in fromInspect { out.comment("- " + f, indent: "  ") }
        out.comment(generated.isEmpty ? "Will be generated:" : "Will be generated (`xen-board gen \(name)`; `xen-board build \(name)` builds Xen from source with it):")
        if generated.isEmpty { out.comment("- nothing: Xen's own drivers and platform code suffice", indent: "  ") }
        for g in generated { out.comment("- " + g, indent: "  ") }
        out.comment("Still needs a person:")
        if open.isEmpty { out.comment("- nothing found; boot it and read the console", indent: "  ") }
        for o in open { out.comment("- " + (o.key.map { "\($0): " } ?? "device tree change (no board-file key): ") + o.what, indent: "  ") }
    }

    /// The top-level keys, [dtb] and [xen].
    private func topAndXen(_ out: inout BoardFileLines) {
        out.key("description", Self.quoted(description))
        out.key("arch", Self.quoted(arch.rawValue))
        out.key("status", Self.quoted("build-only"))
        out.key("status-note", Self.quoted("written by xen-board new; not booted yet\(qemu == nil ? "" : ": run `xen-board boot \(name)`, then set status = \"ci-boot\" once a CI test boots it")"))
        out.section("dtb")
        out.key(dtbKey, Self.quoted(dtbValue))
        out.section("xen")
        if let v = xenVersion { out.key("version", Self.quoted(v.rawValue)) }
        if xenFromSource {
            out.comment("Generated code needs Xen built from Debian's source with the board's port.")
            out.key("image", Self.quoted("source"))
        }
        if let pick = console, let k = pick.key {
            out.comment("No /chosen/stdout-path: the console is chosen here (see above).")
            out.key("console", Self.quoted(k))
        }
        out.comment("\"Platform: ...\" and the per-CPU messages are info-level: show them.")
        out.key("bootargs", Self.quoted("loglvl=all"))
    }

    private func dom0AndMemory(_ out: inout BoardFileLines) {
        out.section("dom0")
        out.key("memory", Self.quoted("512M"))
        guard let ram else { return }
        out.lines.append("")
        out.comment("QEMU gives \(qemu?.memoryMiB ?? 0) MiB, less than the tree describes: plan for what QEMU gives.")
        out.lines.append("[memory]")
        out.key("base", hex(ram.base))
        out.key("size", hex(ram.size))
    }

    private func qemuSection(_ out: inout BoardFileLines) {
        guard let q = qemu else { return }
        out.section("qemu")
        out.key("machine", Self.quoted(q.machine))
        if let cpu = q.cpu { out.key("cpu", Self.quoted(cpu)) }
        out.key("smp", String(q.smp))
        out.key("memory", String(q.memoryMiB))
        out.comment(q.machine.hasPrefix("virt") ? "U-Boot from u-boot-qemu loads Xen from the disk image."
                                                : "A -kernel boot (U-Boot for QEMU exists only for virt).")
        out.key("boot", Self.quoted(q.machine.hasPrefix("virt") ? "u-boot" : "direct"))
    }

    private func platformSection(_ out: inout BoardFileLines) {
        guard !generated.isEmpty || bootLoaderPSCI != nil else { return }
        out.section("platform")
        if let loader = bootLoaderPSCI {
            out.comment("No /psci in the tree: " + loader.explanation + ".")
            out.key("smp", Self.quoted("none"))
        }
        if !generated.isEmpty {
            out.comment("Mechanisms recognised in the device tree need no key here; only the printed name is chosen.")
            out.key("name", Self.quoted("XEN-BOARD \(name.uppercased())"))
        }
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

/// The lines of a board file being written: comments wrapped to 118 columns, `key = value`, section headers.
struct BoardFileLines {
    var lines: [String] = []
    mutating func comment(_ s: String, indent: String = "") { lines += NewBoardPlan.wrap(s, prefix: "# " + indent) }
    mutating func key(_ k: String, _ v: String) { lines.append("\(k) = \(v)") }
    /// A blank line, then `[name]`.
    mutating func section(_ name: String) { lines += ["", "[\(name)]"] }
}
