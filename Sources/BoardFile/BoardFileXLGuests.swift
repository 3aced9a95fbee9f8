import Foundation

/// `[[guest]]` sections: guests Dom0's toolstack starts with `xl create`. Checked when the board is read: each needs
/// a toolstack Dom0 (xl runs there), a name no other domain has, a memory size in whole MiB (xl's `memory` is MiB)
/// and an `extra` xl's configuration syntax can carry as it is.
extension BoardFileParser {
    /// Longest guest name: xl allows more, but the name becomes file names (`/etc/xen/NAME.cfg`, the console log).
    static let guestNameLimit = 64

    static func guests(_ v: BoardFileSections, board: Board) throws -> [Board.Guest] {
        var names: [String: Int] = Dictionary(board.domUs.map { ($0.name, $0.line) }, uniquingKeysWith: { a, _ in a })
        return try (v.instances["guest"] ?? []).map { inst in
            let i = Instance(inst.line, inst.entries)
            let guest = try guest(i, v)
            guard board.dom0RootFS == .toolstack else {
                let why = board.dom0 ? "[dom0] rootfs is not \"toolstack\"" : "the board has no Dom0 ([dom0] enabled = false)"
                throw v.fail(i.line, "[[guest]] '\(guest.name)' is started by Dom0's xl, but \(why): set rootfs = \"toolstack\" in [dom0]")
            }
            if let first = names[guest.name] {
                throw v.fail(i.line(of: "name"), "guest name '\(guest.name)' is already used by the domain at line \(first)")
            }
            names[guest.name] = i.line
            var withVifs = guest
            withVifs.vifs = try pvDevices(i, v).0
            return withVifs
        }
    }

    /// One `[[guest]]`, its keys checked.
    static func guest(_ i: Instance, _ v: BoardFileSections) throws -> Board.Guest {
        let name = i.string("name") ?? ""
        guard !name.isEmpty, name.utf8.count <= guestNameLimit,
              name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else {
            throw v.fail(i.line(of: "name"), "guest name '\(name.prefix(80))' must be 1 to \(guestNameLimit) letters, digits, '-' or '_'")
        }
        guard name != "Domain-0" else { throw v.fail(i.line(of: "name"), "guest name 'Domain-0' is Dom0's name in xl") }
        let memory = i.string("memory") ?? ""
        guard let bytes = parseSize(memory), bytes > 0, bytes % (1 << 20) == 0 else {
            throw v.fail(i.line(of: "memory"), "guest memory '\(memory)' must be a non-zero size in whole MiB, like 128M (xl's memory is in MiB)")
        }
        var vcpus = 1
        if case .integer(let n)? = i.entries["vcpus"]?.value {
            guard (1...8).contains(n) else { throw v.fail(i.line(of: "vcpus"), "guest vcpus must be 1 to 8, got \(n)") }
            vcpus = Int(n)
        }
        let kernel: Board.ImageSource = i.string("kernel") == "debian" ? .debian : try path(i, v, "kernel").map { .path($0) } ?? .debian
        let extra = i.string("extra") ?? ""
        if let bad = extra.unicodeScalars.first(where: { $0 == "\"" || $0 == "\\" || $0.value < 0x20 || $0.value == 0x7f }) {
            throw v.fail(i.line(of: "extra"), "guest extra contains \(bad == "\"" ? "a double quote" : bad == "\\" ? "a backslash" : "a control character (U+\(String(format: "%04X", bad.value)))"), which an xl configuration string cannot carry as it is")
        }
        return Board.Guest(name: name, memoryMiB: bytes >> 20, vcpus: vcpus, kernel: kernel, ramdisk: try path(i, v, "ramdisk"),
                           extra: extra, line: i.line, lines: i.entries.mapValues(\.line))
    }

    /// A path key made absolute (relative to the board file's directory); an empty path or one with a NUL byte is
    /// an error.
    static func path(_ i: Instance, _ v: BoardFileSections, _ key: String) throws -> String? {
        guard let p = i.string(key) else { return nil }
        guard !p.isEmpty, !p.utf8.contains(0) else { throw v.fail(i.line(of: key), "guest \(key) must be a file path") }
        return v.absolute(p)
    }
}
