import XenArm

/// Reads a board file: TOML subset, checked against `BoardFileSchema` (unknown sections and keys, wrong types,
/// missing required keys and conflicting choices are errors naming the file, line and key).
public enum BoardFileParser {
    public static func parse(_ text: String, name: String, file: String, directory: String) throws -> Board {
        let tables = try TOMLSubset.parse(text, file: file)
        func fail(_ line: Int, _ m: String) -> TOMLError { TOMLError(file: file, line: line, message: m) }
        var values: [String: [String: TOMLEntry]] = [:]
        for table in tables {
            guard let section = BoardFileSchema.section(table.name) else {
                let known = BoardFileSchema.sections.map(\.name).filter { !$0.isEmpty }.map { "[\($0)]" }.joined(separator: ", ")
                throw fail(table.line, "unknown section [\(table.name)] (known: \(known))")
            }
            var seen: [String: TOMLEntry] = [:]
            for entry in table.entries {
                guard let key = section.keys.first(where: { $0.name == entry.key }) else {
                    let known = section.keys.map(\.name).joined(separator: ", ")
                    throw fail(entry.line, "unknown key '\(entry.key)' in \(table.name.isEmpty ? "the top level" : "[\(table.name)]") (known: \(known))")
                }
                try check(entry, against: key, fail)
                seen[entry.key] = entry
            }
            for key in section.keys where key.required && seen[key.name] == nil {
                throw fail(table.line, "missing required key '\(key.name)' in \(table.name.isEmpty ? "the top level" : "[\(table.name)]")")
            }
            values[table.name] = seen
        }
        func string(_ section: String, _ key: String) -> String? {
            if case .string(let s)? = values[section]?[key]?.value { return s }
            return nil
        }
        func int(_ section: String, _ key: String) -> Int64? {
            if case .integer(let v)? = values[section]?[key]?.value { return v }
            return nil
        }
        func bool(_ section: String, _ key: String) -> Bool? {
            if case .boolean(let v)? = values[section]?[key]?.value { return v }
            return nil
        }
        func absolute(_ p: String) -> String { p.hasPrefix("/") ? p : directory + "/" + p }

        // [dtb]: exactly one source.
        let dtbLine = tables.first { $0.name == "dtb" }?.line ?? 1
        var sources: [Board.DTBSource] = []
        if let k = string("dtb", "kernel-dtb") { sources.append(.kernelPackage(k)) }
        if let p = string("dtb", "path") { sources.append(.path(absolute(p))) }
        if bool("dtb", "qemu-dumpdtb") == true { sources.append(.qemuDump) }
        guard sources.count == 1, let dtb = sources.first else {
            throw fail(dtbLine, "[dtb] needs exactly one of kernel-dtb, path or qemu-dumpdtb = true (found \(sources.count))")
        }
        func image(_ section: String, _ key: String) -> Board.ImageSource {
            guard let v = string(section, key), v != "debian" else { return .debian }
            return .path(absolute(v))
        }
        var qemu: Board.QEMU?
        if let machine = string("qemu", "machine") {
            qemu = Board.QEMU(machine: machine, cpu: string("qemu", "cpu"), smp: Int(int("qemu", "smp") ?? 2),
                              memoryMiB: Int(int("qemu", "memory") ?? 1024),
                              boot: string("qemu", "boot").flatMap(Board.QEMU.Boot.init) ?? .uboot)
            if let e = values["qemu"]?["smp"], let v = int("qemu", "smp"), !(1...8).contains(v) { throw fail(e.line, "smp must be 1 to 8, got \(v)") }
            if let e = values["qemu"]?["memory"], let v = int("qemu", "memory"), !(128...16384).contains(v) {
                throw fail(e.line, "memory must be 128 to 16384 MiB, got \(v)")
            }
        }
        if dtb == .qemuDump && qemu == nil { throw fail(dtbLine, "qemu-dumpdtb needs a [qemu] section") }
        var ram: (UInt64, UInt64)?
        if let base = int("memory", "base"), let size = int("memory", "size") {
            guard base >= 0, size > 0 else { throw fail(values["memory"]?["size"]?.line ?? 1, "memory base/size must be positive") }
            ram = (UInt64(base), UInt64(size))
        }
        if let e = values["dom0"]?["memory"], let m = string("dom0", "memory"), parseSize(m) == nil {
            throw fail(e.line, "dom0 memory '\(m)' is not a size like 512M or 1G")
        }
        if let e = values["dom0"]?["vcpus"], let v = int("dom0", "vcpus"), v < 1 { throw fail(e.line, "vcpus must be at least 1") }
        let arch = string("", "arch").flatMap(Architecture.init(rawValue:)) ?? .arm64
        let status = string("", "status").flatMap(Board.Status.init(rawValue:)) ?? .buildOnly
        return Board(name: name, file: file, description: string("", "description") ?? "", arch: arch, status: status,
                     statusNote: string("", "status-note"), dtb: dtb, xen: image("xen", "image"),
                     xenBootargs: string("xen", "bootargs") ?? "", console: string("xen", "console"),
                     dom0Kernel: image("dom0", "kernel"), dom0Bootargs: string("dom0", "bootargs") ?? "",
                     dom0Memory: string("dom0", "memory") ?? "512M", dom0VCPUs: int("dom0", "vcpus").map(Int.init),
                     ram: ram, qemu: qemu)
    }

    private static func check(_ entry: TOMLEntry, against key: BoardFileSchema.Key, _ fail: (Int, String) -> TOMLError) throws {
        switch (key.type, entry.value) {
        case (.string, .string), (.integer, .integer), (.boolean, .boolean): return
        case (.choice, .string(let s)):
            guard key.choices.contains(s) else {
                throw fail(entry.line, "'\(key.name)' must be one of \(key.choices.map { "\"\($0)\"" }.joined(separator: ", ")), got \"\(s)\"")
            }
        default:
            let expected = key.type == .choice ? "string" : key.type.rawValue
            throw fail(entry.line, "'\(key.name)' must be a \(expected), got a \(entry.value.typeName)")
        }
    }

    /// "512M", "1G", "65536K" or plain bytes.
    public static func parseSize(_ s: String) -> UInt64? {
        let units: [Character: UInt64] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30]
        if let last = s.last, let unit = units[Character(last.uppercased())] { return UInt64(s.dropLast()).map { $0 * unit } }
        return UInt64(s)
    }
}
