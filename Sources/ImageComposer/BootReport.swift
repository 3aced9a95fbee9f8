/// The machine-readable report a test system's `/init` prints (see `Dom0Initramfs`), parsed back from a console log.
///
/// ```
/// XEN-BOARD-REPORT-BEGIN
/// hypervisor=xen
/// xen_version=4.17.5
/// cpus=2
/// kernel=6.1.0-50-arm64
/// role=dom0
/// device=/pl011@9000000
/// rtc=rtc-pl031 9010000.pl031
/// uptime=3.21
/// XEN-BOARD-REPORT-END
/// ```
public struct BootReport: Sendable, Equatable {
    public static let beginMarker = "XEN-BOARD-REPORT-BEGIN"
    public static let endMarker = "XEN-BOARD-REPORT-END"

    /// One `key=value` line.
    public struct Field: Sendable, Equatable {
        public let key: String
        public let value: String
        public init(key: String, value: String) { self.key = key; self.value = value }
    }

    /// Every `key=value` line of the block, in order.
    public let fields: [Field]

    public init(fields: [Field]) { self.fields = fields }

    /// All values of `key`, in order (`device` has many).
    public func values(_ key: String) -> [String] { fields.filter { $0.key == key }.map(\.value) }

    /// The last value of `key`, or nil when the report has no such line.
    public func value(_ key: String) -> String? { fields.last { $0.key == key }?.value }

    /// `/sys/hypervisor/type` (`xen`), nil when the domain saw no hypervisor.
    public var hypervisor: String? { value("hypervisor").flatMap { $0 == "none" ? nil : $0 } }
    /// `major.minor` + extra from `/sys/hypervisor/version` (e.g. `4.17.5`), nil when unknown.
    public var xenVersion: String? { value("xen_version").flatMap { $0 == "unknown" ? nil : $0 } }
    /// Online CPUs of the domain.
    public var cpus: Int? { value("cpus").flatMap { Int($0) } }
    /// `uname -r`.
    public var kernel: String? { value("kernel") }
    public var role: DomainRole? { value("role").flatMap(DomainRole.init(rawValue:)) }
    /// Device-tree paths (one or two levels deep) of the enabled nodes with a `compatible` the kernel got.
    public var devices: [String] { values("device") }
    /// Seconds since the kernel started when the report was printed.
    public var uptime: Double? { value("uptime").flatMap { Double($0) } }
    /// Whether the domain runs on Xen.
    public var isXen: Bool { hypervisor == "xen" }

    /// One line of `xl list` in a toolstack Dom0's report (`xl_domain=NAME ID MEMORY_MIB`).
    public struct XLDomain: Sendable, Equatable {
        public let name: String
        public let id: Int
        public let memoryMiB: Int
        public init(name: String, id: Int, memoryMiB: Int) { self.name = name; self.id = id; self.memoryMiB = memoryMiB }
    }

    /// Every domain `xl list` showed (empty without a toolstack, or when a line is malformed).
    public var xlDomains: [XLDomain] {
        values("xl_domain").compactMap { line in
            let parts = line.split(separator: " ")
            guard parts.count == 3, let id = Int(parts[1]), let memory = Int(parts[2]) else { return nil }
            return XLDomain(name: String(parts[0]), id: id, memoryMiB: memory)
        }
    }
    /// `xl info`'s xen_version (nil without a toolstack or when xl could not talk to Xen).
    public var xlXenVersion: String? { value("xl_xen_version").flatMap { $0.isEmpty ? nil : $0 } }
    /// Whether xenstored / xenconsoled were running when the report was printed (nil: not a toolstack Dom0).
    public var xenstoredRunning: Bool? { value("xenstored").map { $0 == "running" } }
    public var xenconsoledRunning: Bool? { value("xenconsoled").map { $0 == "running" } }

    /// The last complete BEGIN...END block in `console`, or nil when there is none.
    ///
    /// Tolerates `\r\n` line ends, surrounding blanks and console prefixes before each line: `(XEN) `, `(d1) `,
    /// kernel timestamps `[    1.234567] `, in any combination. A marker counts only as a whole line (so a shell
    /// tracing `echo XEN-BOARD-REPORT-BEGIN` starts nothing); lines in the block that are not `key=value` (a kernel
    /// message that slipped in) are skipped.
    public static func parse(_ console: String) -> BootReport? {
        var current: [Field]?
        var last: [Field]?
        for rawLine in console.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            let line = stripPrefixes(Substring(rawLine.filter { $0 != "\r" }).drop { $0 == " " || $0 == "\t" })
            let trimmed = line.trimmingTrailingWhitespace()
            if trimmed == beginMarker {
                current = []
            } else if trimmed == endMarker {
                if let fields = current { last = fields }
                current = nil
            } else if current != nil, let field = Self.field(trimmed) {
                current?.append(field)
            }
        }
        return last.map(BootReport.init(fields:))
    }

    /// `key=value` with a key of `[a-z][a-z0-9_]*`.
    static func field(_ line: Substring) -> Field? {
        guard let eq = line.firstIndex(of: "=") else { return nil }
        let key = line[..<eq]
        guard let first = key.utf8.first, first >= 0x61, first <= 0x7a,
              key.utf8.allSatisfy({ ($0 >= 0x61 && $0 <= 0x7a) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5f }) else { return nil }
        return Field(key: String(key), value: String(line[line.index(after: eq)...]))
    }

    /// Removes leading `(XEN) `, `(dN) ` and `[ seconds] ` prefixes, repeatedly.
    static func stripPrefixes(_ line: Substring) -> Substring {
        var s = line
        while true {
            if s.hasPrefix("(XEN) ") {
                s = s.dropFirst(6)
            } else if s.hasPrefix("(d"), let close = s.firstIndex(of: ")"),
                      s[s.index(s.startIndex, offsetBy: 2)..<close].allSatisfy(\.isASCIIDigit),
                      s.index(s.startIndex, offsetBy: 2) < close {
                s = s[s.index(after: close)...]
                if s.hasPrefix(" ") { s = s.dropFirst() }
            } else if s.hasPrefix("["), let close = s.firstIndex(of: "]"),
                      s[s.index(after: s.startIndex)..<close].contains(where: \.isASCIIDigit),
                      s[s.index(after: s.startIndex)..<close].allSatisfy({ $0 == " " || $0 == "." || $0.isASCIIDigit }) {
                s = s[s.index(after: close)...]
                if s.hasPrefix(" ") { s = s.dropFirst() }
            } else {
                return s
            }
        }
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}

extension Substring {
    func trimmingTrailingWhitespace() -> Substring {
        var s = self
        while let c = s.last, c == " " || c == "\t" { s = s.dropLast() }
        return s
    }
}
