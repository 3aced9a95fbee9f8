/// A Debian package request, `name:arch` optionally pinned with `=version`. Every part is checked against Debian's
/// syntax before it reaches apt, so a value can never be taken for a command-line option.
public struct PackageSpec: Hashable, Sendable, CustomStringConvertible {
    /// Package name, e.g. `busybox-static`.
    public let name: String
    /// Debian architecture, e.g. `arm64`, `armhf`.
    public let arch: String
    /// Exact version, or nil for apt's candidate.
    public let version: String?

    /// A request for `name` on `arch` (apt's candidate version unless `version` is given).
    public init(_ name: String, arch: String, version: String? = nil) throws(PackageError) {
        let text = "\(name):\(arch)" + (version.map { "=\($0)" } ?? "")
        guard Self.isValidName(name) else {
            throw .invalidSpec(text, expected: "a Debian package name ([a-z0-9][a-z0-9+.-]+)")
        }
        guard Self.isValidArch(arch) else {
            throw .invalidSpec(text, expected: "a Debian architecture such as arm64 or armhf ([a-z0-9][a-z0-9-]*)")
        }
        if let version, !Self.isValidVersion(version) {
            throw .invalidSpec(text, expected: "a Debian version ([epoch:]upstream[-revision], starting with a digit)")
        }
        self.name = name
        self.arch = arch
        self.version = version
    }

    /// Parses `name:arch` or `name:arch=version`.
    public init(parsing text: String) throws(PackageError) {
        var rest = Substring(text)
        var version: String?
        if let eq = rest.firstIndex(of: "=") {
            version = String(rest[rest.index(after: eq)...])
            rest = rest[..<eq]
        }
        guard let colon = rest.firstIndex(of: ":") else {
            throw .invalidSpec(text, expected: "name:arch or name:arch=version")
        }
        try self.init(String(rest[..<colon]), arch: String(rest[rest.index(after: colon)...]), version: version)
    }

    /// `name:arch[=version]`, as apt takes it.
    public var description: String { "\(name):\(arch)" + (version.map { "=\($0)" } ?? "") }

    static func isValidName(_ s: String) -> Bool {
        let u = Array(s.utf8)
        guard u.count >= 2, let first = u.first, isLowerAlnum(first) else { return false }
        return u.allSatisfy { isLowerAlnum($0) || $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") }
    }

    static func isValidArch(_ s: String) -> Bool {
        let u = Array(s.utf8)
        guard let first = u.first, isLowerAlnum(first) else { return false }
        return u.allSatisfy { isLowerAlnum($0) || $0 == UInt8(ascii: "-") }
    }

    static func isValidVersion(_ s: String) -> Bool {
        let u = Array(s.utf8)
        guard let first = u.first, (0x30...0x39).contains(first) else { return false }
        let extra: Set<UInt8> = Set(".+~:-".utf8)
        return u.allSatisfy { isLowerAlnum($0) || (0x41...0x5A).contains($0) || extra.contains($0) }
    }

    private static func isLowerAlnum(_ c: UInt8) -> Bool { (0x30...0x39).contains(c) || (0x61...0x7A).contains(c) }
}
