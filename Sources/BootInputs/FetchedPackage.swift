import Foundation

/// A package whose `.deb` is in the cache, verified, and unpacked.
public struct FetchedPackage: Hashable, Sendable {
    /// The resolved package (name, architecture, version, sha256, size).
    public let package: ResolvedPackage
    /// The verified `.deb`: `<cache>/debs/<name>_<version>_<arch>.deb`.
    public let debPath: URL
    /// The unpacked tree: `<cache>/unpacked/<name>_<version>_<arch>_<sha12>/`.
    public let root: URL
    /// Whether this call downloaded the `.deb` (false: the cached file matched).
    public let downloaded: Bool
    /// Whether this call unpacked the tree (false: a complete tree was already there).
    public let unpacked: Bool

    /// Package name.
    public var name: String { package.name }
    /// Exact version.
    public var version: String { package.version }
    /// Architecture as apt records it.
    public var arch: String { package.arch }
    /// SHA-256 of the `.deb`.
    public var sha256: String { package.sha256 }

    /// Files of the unpacked tree matching a shell-style pattern relative to `root`, sorted: `*` and `?` match
    /// within one path component, e.g. `boot/vmlinuz-*`, `boot/xen-*`, `bin/busybox`.
    public func files(matching pattern: String) -> [URL] {
        PathPattern(pattern).matches(under: root)
    }

    /// The one file matching `pattern`; throws when there is none or several.
    public func file(matching pattern: String) throws(PackageError) -> URL {
        let found = files(matching: pattern)
        guard let first = found.first else {
            throw .fileNotFound(package: package.description, pattern: pattern, root: root.path)
        }
        guard found.count == 1 else {
            throw .ambiguousFile(package: package.description, pattern: pattern, matches: found.map(\.path))
        }
        return first
    }
}
