/// A device a boot test wants to see in a domain, reported as one `key=value` line of the boot report
/// (`value` is `none` when the device is absent).
public struct ExpectedDevice: Sendable, Equatable {
    /// Where the value comes from.
    public enum Source: Sendable, Equatable {
        /// The first line of a (sysfs) file, e.g. `/sys/class/rtc/rtc0/name`.
        case firstLine(path: String)
        /// The names in a directory, comma-separated in `ls` order, e.g. `/sys/class/net`.
        case entries(directory: String)
    }

    /// The report key: lower-case letters, digits and `_`, starting with a letter, not one of the fixed keys.
    public let key: String
    public let source: Source

    /// The report keys every report has; an expected device cannot reuse them.
    public static let reservedKeys: Set<String> = ["hypervisor", "xen_version", "cpus", "kernel", "role", "device", "uptime"]

    /// - Throws: `InitramfsError.invalidExpectedDevice` when the key or the path would not give one clean
    ///   `key=value` line (paths: absolute, of letters, digits and `/_.,:@+-` only, so the script needs no quoting).
    public init(key: String, source: Source) throws(InitramfsError) {
        let keyOK = key.utf8.first.map { $0 >= 0x61 && $0 <= 0x7a } == true
            && key.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7a) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5f }
            && !Self.reservedKeys.contains(key)
        guard keyOK else {
            throw .invalidExpectedDevice(key: key, expected: "a key of [a-z][a-z0-9_]* other than \(Self.reservedKeys.sorted().joined(separator: ", "))")
        }
        let path: String
        switch source {
        case .firstLine(let p): path = p
        case .entries(let d): path = d
        }
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/_.,:@+-".utf8)
        guard path.hasPrefix("/"), path.utf8.allSatisfy(allowed.contains), !path.contains("..") else {
            throw .invalidExpectedDevice(key: key, expected: "an absolute path of [A-Za-z0-9/_.,:@+-] without .., got \"\(path)\"")
        }
        self.key = key
        self.source = source
    }

    private init(uncheckedKey key: String, source: Source) {
        self.key = key
        self.source = source
    }

    /// `rtc=<name of rtc0>`: the driver and device of the first RTC, e.g. `rtc-pl031 9010000.pl031`.
    public static let rtc = ExpectedDevice(uncheckedKey: "rtc", source: .firstLine(path: "/sys/class/rtc/rtc0/name"))
    /// `block=<block devices>`, e.g. `vda` or `xvda,xvda1`.
    public static let block = ExpectedDevice(uncheckedKey: "block", source: .entries(directory: "/sys/block"))
    /// `net=<network interfaces>`, e.g. `eth0,lo`.
    public static let network = ExpectedDevice(uncheckedKey: "net", source: .entries(directory: "/sys/class/net"))
}
