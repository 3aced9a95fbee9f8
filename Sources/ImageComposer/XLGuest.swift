/// A guest a toolstack Dom0 starts with `xl create` (a board's `[[guest]]`): its xl configuration (xl.cfg(5)) and
/// where it and the files it names sit in Dom0's root filesystem.
public struct XLGuest: Sendable, Equatable {
    public let name: String
    public let memoryMiB: UInt64
    public let vcpus: Int
    /// Absolute paths inside Dom0's root filesystem.
    public let kernel: String
    public let ramdisk: String
    /// The guest's whole command line (xl's `extra`): no `"`, `\` or control characters (checked by the board file).
    public let cmdline: String
    /// xl vif specs (`vif = [...]`), each `key=value,...` without quotes.
    public var vifs: [String] = []

    public init(name: String, memoryMiB: UInt64, vcpus: Int, kernel: String, ramdisk: String, cmdline: String) {
        self.name = name
        self.memoryMiB = memoryMiB
        self.vcpus = vcpus
        self.kernel = kernel
        self.ramdisk = ramdisk
        self.cmdline = cmdline
    }

    /// `/etc/xen/NAME.cfg`, where xl's own documentation keeps guest configurations.
    public var configPath: String { "/etc/xen/\(name).cfg" }

    /// Where xenconsoled (`--log=guest`) logs the guest's console: `DIR/guest-NAME.log` (tools/console/daemon/io.c).
    public var consoleLog: String { "\(XLGuest.consoleLogDirectory)/guest-\(name).log" }
    public static let consoleLogDirectory = "/var/log/xen/console"

    /// The configuration file. On Arm xl builds a PVH guest (the only type there) with its console on hvc0, served by
    /// xenconsoled.
    public var config: String {
        """
        # xen-board: [[guest]] \(name), started by Dom0's /init with `xl create \(configPath)`.
        name = "\(name)"
        memory = \(memoryMiB)
        vcpus = \(vcpus)
        kernel = "\(kernel)"
        ramdisk = "\(ramdisk)"
        extra = "\(cmdline)"

        """ + (vifs.isEmpty ? "" : "vif = [ " + vifs.map { "'\($0)'" }.joined(separator: ", ") + " ]\n")
    }
}

/// How a guest's console reaches the serial line: Dom0 relays xenconsoled's log of it, each line prefixed
/// `(xl NAME) `, so that it can be told from Dom0's own output (Xen prints nothing of an xl guest's console).
public enum XLGuestConsole {
    public static func prefix(_ name: String) -> String { "(xl \(name)) " }

    /// Each guest's relayed console, by name (lines without the prefix, in order). Lines may end in `\r\n` (a serial
    /// console log as written; in Swift `"\r\n"` is one Character).
    public static func split(_ console: String) -> [String: String] {
        var out: [String: [Substring]] = [:]
        for line in console.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            let t = line.drop { $0 == " " }
            guard t.hasPrefix("(xl "), let close = t.firstIndex(of: ")") else { continue }
            let name = t[t.index(t.startIndex, offsetBy: 4)..<close]
            guard !name.isEmpty, !name.contains(" ") else { continue }
            out[String(name), default: []].append(t[t.index(after: close)...].drop { $0 == " " })
        }
        return out.mapValues { $0.joined(separator: "\n") }
    }
}
