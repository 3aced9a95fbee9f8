import Infrastructure
import XenArm

/// Reads a board file: TOML 1.0 (`TOMLParser`), checked against `BoardFileSchema` (unknown sections and keys, wrong types,
/// missing required keys and conflicting choices are errors naming the file, line and key).
public enum BoardFileParser {
    public static func parse(_ text: String, name: String, file: String, directory: String) throws -> Board {
        try parse(bytes: Array(text.utf8), name: name, file: file, directory: directory)
    }

    /// Reads a board file from its bytes (UTF-8 TOML 1.0; an error names the line of a bad byte).
    public static func parse(bytes: [UInt8], name: String, file: String, directory: String) throws -> Board {
        let tables = try BoardTOML.tables(bytes: bytes, file: file)
        func fail(_ line: Int, _ m: String) -> TOMLError { TOMLError(file: file, line: line, message: m) }
        var values: [String: [String: TOMLEntry]] = [:]
        var instances: [String: [(line: Int, entries: [String: TOMLEntry])]] = [:]
        for table in tables {
            guard let section = BoardFileSchema.section(table.name) else {
                let known = BoardFileSchema.sections.filter { !$0.name.isEmpty }
                    .map { $0.repeated ? "[[\($0.name)]]" : "[\($0.name)]" }.joined(separator: ", ")
                throw fail(table.line, "unknown section [\(table.name)] (known: \(known))")
            }
            if section.repeated != table.isArrayElement && !table.name.isEmpty {
                throw fail(table.line, section.repeated ? "write [[\(table.name)]]: it may appear several times" : "write [\(table.name)], not [[\(table.name)]]")
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
            if section.repeated { instances[table.name, default: []].append((table.line, seen)) } else { values[table.name] = seen }
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
            // "source": the Debian binary is still the input until `build` replaces it with the source-built Xen.
            guard let v = string(section, key), v != "debian", !(section == "xen" && v == "source") else { return .debian }
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
        var board = Board(name: name, file: file, description: string("", "description") ?? "", arch: arch, status: status,
                     statusNote: string("", "status-note"), dtb: dtb, xen: image("xen", "image"),
                     xenBootargs: string("xen", "bootargs") ?? "", console: string("xen", "console"),
                     dom0Kernel: image("dom0", "kernel"), dom0Bootargs: string("dom0", "bootargs") ?? "",
                     dom0Memory: string("dom0", "memory") ?? "512M", dom0VCPUs: int("dom0", "vcpus").map(Int.init),
                     ram: ram, qemu: qemu)
        board.dom0 = bool("dom0", "enabled") ?? true
        board.dom0AfterReport = string("dom0", "after-report").flatMap(Board.AfterReport.init(rawValue:)) ?? .poweroff
        board.dom0RootFS = try Dom0RootFS.parse(string("dom0", "rootfs"), line: values["dom0"]?["rootfs"]?.line ?? 0,
                                                dom0: board.dom0, absolute: absolute, fail: fail)
        board.xenFromSource = string("xen", "image") == "source"
        board.uartDriver = string("xen", "uart-driver").flatMap(Board.UARTDriverChoice.init(rawValue:)) ?? .auto
        board.xenVersionSetting = string("xen", "version").flatMap(XenVersion.init(rawValue:))
        board.xenVersionLine = values["xen"]?["version"]?.line
        if let line = board.xenVersionLine, !board.xenFromSource, board.xen == .debian,
           let problem = board.xenVersion.requirePrebuilt(arch) {
            throw fail(line, problem.description)
        }
        for (key, entry) in values["platform"] ?? [:] {
            switch entry.value {
            case .string(let v): board.platform[key] = .string(v)
            case .integer(let v): board.platform[key] = .integer(v)
            case .boolean(let v): board.platform[key] = .boolean(v)
            case .array(let items): board.platform[key] = .strings(items.compactMap { if case .string(let v) = $0 { return v }; return nil })
            case .float, .datetime, .table: continue   // rejected by the schema check above
            }
            board.platformLines[key] = entry.line
        }
        board.cpupools = try (instances["cpupool"] ?? []).map { inst in
            func str(_ k: String) -> String? { if case .string(let v)? = inst.entries[k]?.value { return v }; return nil }
            let cpus = (str("cpus") ?? "").split(separator: ",").map { String($0).trimmingCharacters(in: " \t") }.filter { !$0.isEmpty }
            guard !cpus.isEmpty else { throw fail(inst.line, "[[cpupool]] needs at least one CPU path in cpus") }
            return Board.CPUPool(name: str("name") ?? "", cpus: cpus, scheduler: str("scheduler") ?? "credit2", line: inst.line)
        }
        var seenDevices: [String: String] = [:]
        board.domUs = try (instances["domu"] ?? []).map { inst in
            func entry(_ k: String) -> TOMLEntry? { inst.entries[k] }
            func str(_ k: String) -> String? { if case .string(let v)? = entry(k)?.value { return v }; return nil }
            let name = str("name") ?? ""
            guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
                throw fail(inst.line, "domu name '\(name)' must be letters, digits, '-' or '_'")
            }
            if let m = str("memory"), parseSize(m) == nil { throw fail(entry("memory")?.line ?? inst.line, "domu memory '\(m)' is not a size like 128M") }
            var cpus = 1
            if case .integer(let c)? = entry("cpus")?.value {
                guard (1...8).contains(c) else { throw fail(entry("cpus")?.line ?? inst.line, "domu cpus must be 1 to 8, got \(c)") }
                cpus = Int(c)
            }
            var passthrough: [String] = []
            if case .array(let items)? = entry("passthrough")?.value {
                passthrough = items.compactMap { if case .string(let v) = $0 { return v }; return nil }
            }
            for dev in passthrough {
                if let other = seenDevices[dev] {
                    throw fail(entry("passthrough")?.line ?? inst.line, "device \(dev) is given to both domu '\(other)' and domu '\(name)'")
                }
                seenDevices[dev] = name
            }
            var staticMem: (UInt64, UInt64)?
            if let sm = str("static-mem") {
                let parts = sm.split(separator: ":").map { Numbers.optional(String($0)) }
                guard parts.count == 2, let base = parts[0], let size = parts[1], size > 0 else {
                    throw fail(entry("static-mem")?.line ?? inst.line, "static-mem '\(sm)' must be BASE:SIZE, e.g. 0x50000000:0x8000000")
                }
                staticMem = (base, size)
            }
            var directMap = false
            if case .boolean(let d)? = entry("direct-map")?.value { directMap = d }
            if directMap && staticMem == nil {
                throw fail(entry("direct-map")?.line ?? inst.line, "direct-map needs static-mem (Xen: \"direct-map is not valid ... without static allocation\")")
            }
            let pool = str("cpupool")
            if let pool, !board.cpupools.contains(where: { $0.name == pool }) {
                throw fail(entry("cpupool")?.line ?? inst.line, "cpupool '\(pool)' is not defined by a [[cpupool]]")
            }
            var vpl011 = true
            if case .boolean(let v)? = entry("vpl011")?.value { vpl011 = v }
            let kernel: Board.ImageSource = str("kernel").map { $0 == "debian" ? .debian : .path(absolute($0)) } ?? .debian
            var domU = Board.DomU(name: name, memory: str("memory") ?? "128M", cpus: cpus, kernel: kernel, bootargs: str("bootargs") ?? "",
                                  vpl011: vpl011, enhanced: str("enhanced"), passthrough: passthrough, staticMem: staticMem,
                                  directMap: directMap, cpupool: pool, line: inst.line, lines: inst.entries.mapValues(\.line))
            if let r = str("rootfs") {
                guard !r.isEmpty, !r.utf8.contains(0) else { throw fail(entry("rootfs")?.line ?? inst.line, "domu rootfs must be the path of a cpio(.gz) initramfs") }
                domU.rootfs = absolute(r)
            }
            return domU
        }
        if !board.dom0 && board.domUs.isEmpty { throw fail(values["dom0"]?["enabled"]?.line ?? 1, "dom0 enabled = false needs at least one [[domu]]") }
        for (section, entries) in values {
            for (key, entry) in entries { board.lines[section + "." + key] = entry.line }
        }
        try BoardSemantics.check(board)
        return board
    }

    private static func check(_ entry: TOMLEntry, against key: BoardFileSchema.Key, _ fail: (Int, String) -> TOMLError) throws {
        switch (key.type, entry.value) {
        case (.string, .string), (.integer, .integer), (.boolean, .boolean): return
        case (.strings, .array(let items)):
            guard items.allSatisfy({ if case .string = $0 { return true }; return false }) else {
                throw fail(entry.line, "'\(key.name)' must be an array of strings")
            }
        case (.choice, .string(let s)):
            guard key.choices.contains(s) else {
                throw fail(entry.line, "'\(key.name)' must be one of \(key.choices.map { "\"\($0)\"" }.joined(separator: ", ")), got \"\(s)\"")
            }
        default:
            let expected = key.type == .choice ? "string" : key.type == .strings ? "array of strings" : key.type.rawValue
            throw fail(entry.line, "'\(key.name)' must be a \(expected), got a \(entry.value.typeName)")
        }
    }

    /// "512M", "1G", "65536K" or plain bytes (Infrastructure's `Numbers.size`); nil when malformed or over
    /// 2^64 - 1 bytes (checked, never traps).
    public static func parseSize(_ s: String) -> UInt64? { try? Numbers.size(s) }
}


extension String {
    func trimmingCharacters(in set: String) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s = s.dropFirst() }
        while let l = s.last, set.contains(l) { s = s.dropLast() }
        return String(s)
    }
}
