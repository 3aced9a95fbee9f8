/// A package version apt would download, with the size and SHA-256 apt's index gives for its `.deb`.
public struct ResolvedPackage: Hashable, Sendable, CustomStringConvertible {
    /// Package name, e.g. `linux-image-6.1.0-50-arm64`.
    public let name: String
    /// The package's architecture as apt records it (`arm64`, `armhf`, or `all`).
    public let arch: String
    /// Exact version, epoch included (e.g. `1:1.35.0-4+deb12u1+b1`).
    public let version: String
    /// Lower-case hex SHA-256 of the `.deb`.
    public let sha256: String
    /// Size of the `.deb` in bytes.
    public let size: UInt64
    /// Path of the `.deb` in the archive (`pool/main/...`), when apt gives it.
    public let poolPath: String?

    /// Creates a record; `sha256` must be 64 hex digits.
    public init(name: String, arch: String, version: String, sha256: String, size: UInt64, poolPath: String? = nil) {
        self.name = name
        self.arch = arch
        self.version = version
        self.sha256 = sha256.lowercased()
        self.size = size
        self.poolPath = poolPath
    }

    /// `name:arch=version`, what `apt-get download` takes (`name=version` for architecture-independent packages).
    public var aptSpec: String { arch == "all" ? "\(name)=\(version)" : "\(name):\(arch)=\(version)" }

    /// `name_version_arch.deb`: the cache's file name. As in the file
    /// names `apt-get download` writes, an epoch's `:` is spelled `%3a` (`busybox-static_1%3a1.35.0-4_arm64.deb`).
    public var debFileName: String { "\(name)_\(fileVersion)_\(arch).deb" }

    /// `name_version_arch_sha12` (epoch `:` spelled `%3a`): the cache's directory name for the unpacked tree.
    public var unpackedDirectoryName: String { "\(name)_\(fileVersion)_\(arch)_\(sha256.prefix(12))" }

    /// The version as it appears in file names: `:` (only ever the epoch separator) becomes `%3a`.
    var fileVersion: String { version.split(separator: ":", omittingEmptySubsequences: false).joined(separator: "%3a") }

    /// `name:arch=version`.
    public var description: String { "\(name):\(arch)=\(version)" }
}
