import Infrastructure
import XenArm

/// Reads a board file: TOML 1.0 (`TOMLParser`), checked against `BoardFileSchema` (unknown sections and keys, wrong types,
/// missing required keys and conflicting choices are errors naming the file, line and key).
public enum BoardFileParser {
    public static func parse(_ text: String, name: String, file: String, directory: String) throws -> Board {
        try parse(bytes: Array(text.utf8), name: name, file: file, directory: directory)
    }

    /// Reads a board file from its bytes (UTF-8 TOML 1.0; an error names the line of a bad byte). The checks run
    /// in file-reading order: schema, [dtb], [qemu], [memory], [dom0], [xen], [[cpupool]], [[domu]], [[guest]], semantics.
    /// `xenVersion` (the command line's `--xen-version`) replaces the file's `[xen] version` before the checks that
    /// depend on the version (board keys the version must accept).
    public static func parse(bytes: [UInt8], name: String, file: String, directory: String, xenVersion: XenVersion? = nil) throws -> Board {
        let v = try BoardFileSections(tables: try BoardTOML.tables(bytes: bytes, file: file), file: file, directory: directory)
        let dtb = try dtbSource(v)
        let qemu = try qemu(v)
        if dtb == .qemuDump && qemu == nil { throw v.fail(v.line(of: "dtb"), "qemu-dumpdtb needs a [qemu] section") }
        let ram = try ram(v)
        try checkDom0(v)
        var board = Board(name: name, file: file, description: v.string("", "description") ?? "",
                          arch: v.string("", "arch").flatMap(Architecture.init(rawValue:)) ?? .arm64,
                          status: v.string("", "status").flatMap(Board.Status.init(rawValue:)) ?? .buildOnly,
                          statusNote: v.string("", "status-note"), dtb: dtb, xen: image(v, "xen", "image"),
                          xenBootargs: v.string("xen", "bootargs") ?? "", console: v.string("xen", "console"),
                          dom0Kernel: image(v, "dom0", "kernel"), dom0Bootargs: v.string("dom0", "bootargs") ?? "",
                          dom0Memory: v.string("dom0", "memory") ?? "512M", dom0VCPUs: v.int("dom0", "vcpus").map(Int.init),
                          ram: ram, qemu: qemu)
        try applyChoices(v, to: &board, xenVersion: xenVersion)
        applyPlatform(v, to: &board)
        board.cpupools = try cpupools(v)
        board.domUs = try domUs(v, cpupools: board.cpupools)
        board.guests = try guests(v, board: board)
        board.bridges = try bridges(v)
        if !board.dom0 && board.domUs.isEmpty { throw v.fail(v.values["dom0"]?["enabled"]?.line ?? 1, "dom0 enabled = false needs at least one [[domu]]") }
        for (section, entries) in v.values {
            for (key, entry) in entries { board.lines[section + "." + key] = entry.line }
        }
        try BoardSemantics.check(board)
        try PVDeviceChecks.check(board)
        return board
    }

    /// [dtb]: exactly one source.
    static func dtbSource(_ v: BoardFileSections) throws -> Board.DTBSource {
        var sources: [Board.DTBSource] = []
        if let k = v.string("dtb", "kernel-dtb") { sources.append(.kernelPackage(k)) }
        if let p = v.string("dtb", "path") { sources.append(.path(v.absolute(p))) }
        if v.bool("dtb", "qemu-dumpdtb") == true { sources.append(.qemuDump) }
        guard sources.count == 1, let dtb = sources.first else {
            throw v.fail(v.line(of: "dtb"), "[dtb] needs exactly one of kernel-dtb, path or qemu-dumpdtb = true (found \(sources.count))")
        }
        return dtb
    }

    /// An image key: `debian` (or absent) for Debian's package, else a path ("source" for [xen] image: the Debian
    /// binary is still the input until `build` replaces it with the source-built Xen).
    static func image(_ v: BoardFileSections, _ section: String, _ key: String) -> Board.ImageSource {
        guard let s = v.string(section, key), s != "debian", !(section == "xen" && s == "source") else { return .debian }
        return .path(v.absolute(s))
    }

    /// [qemu], with its CPU count and memory in range.
    static func qemu(_ v: BoardFileSections) throws -> Board.QEMU? {
        guard let machine = v.string("qemu", "machine") else { return nil }
        let qemu = Board.QEMU(machine: machine, cpu: v.string("qemu", "cpu"), smp: Int(v.int("qemu", "smp") ?? 2),
                              memoryMiB: Int(v.int("qemu", "memory") ?? 1024),
                              boot: v.string("qemu", "boot").flatMap(Board.QEMU.Boot.init) ?? .uboot)
        if let e = v.values["qemu"]?["smp"], let n = v.int("qemu", "smp"), !(1...8).contains(n) { throw v.fail(e.line, "smp must be 1 to 8, got \(n)") }
        if let e = v.values["qemu"]?["memory"], let m = v.int("qemu", "memory"), !(128...16384).contains(m) {
            throw v.fail(e.line, "memory must be 128 to 16384 MiB, got \(m)")
        }
        return qemu
    }

    /// [memory]: base and size, both given and positive.
    static func ram(_ v: BoardFileSections) throws -> (UInt64, UInt64)? {
        guard let base = v.int("memory", "base"), let size = v.int("memory", "size") else { return nil }
        guard base >= 0, size > 0 else { throw v.fail(v.values["memory"]?["size"]?.line ?? 1, "memory base/size must be positive") }
        return (UInt64(base), UInt64(size))
    }

    /// [dom0]: memory is a size, vcpus at least 1.
    static func checkDom0(_ v: BoardFileSections) throws {
        if let e = v.values["dom0"]?["memory"], let m = v.string("dom0", "memory"), parseSize(m) == nil {
            throw v.fail(e.line, "dom0 memory '\(m)' is not a size like 512M or 1G")
        }
        if let e = v.values["dom0"]?["vcpus"], let n = v.int("dom0", "vcpus"), n < 1 { throw v.fail(e.line, "vcpus must be at least 1") }
    }

    /// The enum-valued settings of [dom0] and [xen] (and Dom0's root filesystem); a [xen] version needs a prebuilt Xen for the architecture
    /// unless Xen is built from source or given as a file.
    static func applyChoices(_ v: BoardFileSections, to board: inout Board, xenVersion: XenVersion? = nil) throws {
        board.dom0 = v.bool("dom0", "enabled") ?? true
        board.dom0AfterReport = v.string("dom0", "after-report").flatMap(Board.AfterReport.init(rawValue:)) ?? .poweroff
        board.dom0RootFS = try Dom0RootFS.parse(v.string("dom0", "rootfs"), line: v.values["dom0"]?["rootfs"]?.line ?? 0,
                                                dom0: board.dom0, absolute: v.absolute, fail: v.fail)
        board.xenFromSource = v.string("xen", "image") == "source"
        board.uartDriver = v.string("xen", "uart-driver").flatMap(Board.UARTDriverChoice.init(rawValue:)) ?? .auto
        board.xenVersionSetting = v.string("xen", "version").flatMap(XenVersion.init(rawValue:))
        board.xenVersionLine = v.values["xen"]?["version"]?.line
        if let xenVersion {
            board.xenVersionSetting = xenVersion
            board.xenVersionFromCommandLine = true
            return   // `build` checks the prebuilt hypervisor of the version asked for (BoardInputs)
        }
        if let line = board.xenVersionLine, !board.xenFromSource, board.xen == .debian,
           let problem = board.xenVersion.requirePrebuilt(board.arch) {
            throw v.fail(line, problem.description)
        }
    }

    /// [platform]: every key kept with its value and line (PlatformSettings and the generator read them).
    static func applyPlatform(_ v: BoardFileSections, to board: inout Board) {
        for (key, entry) in v.values["platform"] ?? [:] {
            switch entry.value {
            case .string(let s): board.platform[key] = .string(s)
            case .integer(let n): board.platform[key] = .integer(n)
            case .boolean(let b): board.platform[key] = .boolean(b)
            case .array(let items): board.platform[key] = .strings(items.compactMap { if case .string(let s) = $0 { return s }; return nil })
            case .float, .datetime, .table: continue   // rejected by the schema check
            }
            board.platformLines[key] = entry.line
        }
    }

    /// "512M", "1G", "65536K" or plain bytes (Infrastructure's `Numbers.size`); nil when malformed or over
    /// 2^64 - 1 bytes (checked, never traps).
    public static func parseSize(_ s: String) -> UInt64? { try? Numbers.size(s) }
}
