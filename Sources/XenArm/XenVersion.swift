/// A Xen release xen-board composes images with, and what Debian ships of it. Data (docs/xen-versions.md records
/// the sources): Debian 12 carries Xen 4.17 for arm64 and armhf, Debian 13 Xen 4.20 for arm64 only.
public enum XenVersion: String, CaseIterable, Sendable, Comparable, CustomStringConvertible {
    case v4_17 = "4.17"
    case v4_20 = "4.20"

    /// The Debian release (`12`, `13`) whose packages (hypervisor, tools, kernel, busybox, xen source) go with it.
    public var debianRelease: String {
        switch self {
        case .v4_17: "12"
        case .v4_20: "13"
        }
    }

    /// Architectures Debian ships a prebuilt `xen-hypervisor-<version>-<arch>` (and `xen-utils`) for.
    public var prebuiltArchitectures: [Architecture] {
        switch self {
        case .v4_17: [.arm64, .arm32]
        case .v4_20: [.arm64]
        }
    }

    /// The upstream prefix of the Debian `xen` source versions of this release (`4.20.`).
    public var sourcePrefix: String { rawValue + "." }

    /// Debian's hypervisor package for `arch`, e.g. `xen-hypervisor-4.20-arm64`.
    public func hypervisorPackage(_ arch: Architecture) -> String { "xen-hypervisor-\(rawValue)-\(arch.debianArchitecture)" }
    /// The image inside that package, e.g. `boot/xen-4.20-arm64`.
    public func hypervisorFile(_ arch: Architecture) -> String { "boot/xen-\(rawValue)-\(arch.debianArchitecture)" }

    /// The default for an architecture: the newest version Debian ships prebuilt for it (4.20 on arm64, 4.17 on
    /// arm32: Debian 13 has no armhf hypervisor or tools, and the tools must match the hypervisor).
    public static func defaultVersion(for arch: Architecture) -> XenVersion {
        allCases.filter { $0.prebuiltArchitectures.contains(arch) }.max() ?? .v4_17
    }

    /// The version named `text` (`4.17`, `4.20`), or an error listing the supported ones.
    public static func parse(_ text: String) -> Result<XenVersion, XenVersionError> {
        guard let v = XenVersion(rawValue: text) else { return .failure(.unknown(text)) }
        return .success(v)
    }

    /// Fails when Debian has no prebuilt hypervisor of this version for `arch` (a source build is still possible).
    public func requirePrebuilt(_ arch: Architecture) -> XenVersionError? {
        prebuiltArchitectures.contains(arch) ? nil : .noPrebuilt(self, arch)
    }

    public static func < (a: XenVersion, b: XenVersion) -> Bool {
        a.rawValue.split(separator: ".").compactMap { Int($0) }.lexicographicallyPrecedes(b.rawValue.split(separator: ".").compactMap { Int($0) })
    }

    /// `4.20`.
    public var description: String { rawValue }
}

/// A Xen version that cannot be used as asked; each case names the version and what is available.
public enum XenVersionError: Error, Equatable, Sendable, CustomStringConvertible {
    case unknown(String)
    case noPrebuilt(XenVersion, Architecture)

    public var description: String {
        switch self {
        case let .unknown(text):
            return "unknown Xen version \"\(text)\": supported versions are "
                + XenVersion.allCases.map { "\($0.rawValue) (Debian \($0.debianRelease))" }.joined(separator: ", ")
        case let .noPrebuilt(v, arch):
            let others = XenVersion.allCases.filter { $0.prebuiltArchitectures.contains(arch) }.map(\.rawValue)
            return "Debian \(v.debianRelease) ships no prebuilt Xen \(v) for \(arch.rawValue) (\(v.hypervisorPackage(arch)) does not exist): "
                + "use `build --xen source` (or [xen] image = \"source\") to build Xen \(v) from Debian's source, or a version with a prebuilt "
                + "\(arch.rawValue) hypervisor: \(others.joined(separator: ", "))"
        }
    }
}
