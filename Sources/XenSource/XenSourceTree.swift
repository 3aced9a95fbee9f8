import Foundation
import PrivateApt
import XenArm

/// Debian's `xen` source package (Xen 4.17.x or 4.20.x plus Debian's patches), unpacked once into a pristine tree in the cache,
/// copied into work trees that builds write into (generated files and build products never touch the pristine tree);
/// a board's work tree is kept between builds so make rebuilds only what changed (WorkTree.swift).
///
/// Cache layout (`$XEN_BOARD_CACHE` or `~/.cache/xen-board`):
/// ```
/// xen-src/<debian-version>/download/   xen_<v>.dsc, xen_<v>.orig.tar.xz, xen_<v>.debian.tar.xz
/// xen-src/<debian-version>/pristine/   the unpacked tree (appears at once: unpacked elsewhere, then renamed)
/// xen-src/<debian-version>/work/<name>/source/   a (kept) copy builds write into; logs next to it in work/<name>/
/// xen-src/<debian-version>/work/<name>.lock      held while a build uses work/<name> (see WorkTree.swift)
/// xen-src/choice-<xen-version>.json              the version chosen, with apt's state then (SourceChoiceMemo)
/// ```
public struct XenSourceTree: Sendable {
    /// The Debian source version, e.g. `4.17.5+72-g01140da4e8-1`.
    public let debianVersion: String
    /// `xen-src/<version>/` in the cache.
    public let directory: URL
    /// The unpacked, unmodified tree (contains `xen/`, `Config.mk`, `debian/`, ...).
    public var pristine: URL { directory.appendingPathComponent("pristine", isDirectory: true) }
    /// Xen's own version from `xen/Makefile`, e.g. `4.17.5` (`XEN_VERSION.XEN_SUBVERSION` + `XEN_EXTRAVERSION`).
    public var xenVersion: String {
        guard let text = try? Files.read(pristine.appendingPathComponent("xen/Makefile")) else { return "unknown" }
        func value(_ key: String) -> String? {
            for line in text.split(separator: "\n") {
                var l = line.trimmingCharacters(in: .whitespaces)
                if l.hasPrefix("export ") { l = String(l.dropFirst(7)) }
                let parts = l.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                if parts.count == 2, parts[0].hasPrefix(key), parts[0].dropFirst(key.count).allSatisfy({ $0 == " " || $0 == "?" }) {
                    return parts[1]
                }
            }
            return nil
        }
        let extra = (value("XEN_EXTRAVERSION") ?? "").replacingOccurrences(of: "$(XEN_VENDORVERSION)", with: "")
        return "\(value("XEN_VERSION") ?? "?").\(value("XEN_SUBVERSION") ?? "?")\(extra)"
    }

    /// Where the source came from: the Debian release and suites (e.g. `Debian 12 (bookworm) bookworm-security`).
    public internal(set) var origin: String = "the cache"

    init(debianVersion: String, directory: URL) {
        self.debianVersion = debianVersion
        self.directory = directory
    }

    /// `$XEN_BOARD_CACHE` when set and not empty, else `~/.cache/xen-board`.
    public static func defaultCacheRoot() -> URL {
        if let custom = ProcessInfo.processInfo.environment["XEN_BOARD_CACHE"], !custom.isEmpty {
            return URL(fileURLWithPath: custom, isDirectory: true)
        }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/xen-board", isDirectory: true)
    }

    /// Finds (or downloads and unpacks) Debian's Xen source for `version`: the newest `xen` source of that version in
    /// any suite of its Debian release (security updates included, so it is the version of Debian's prebuilt
    /// hypervisor), through the private apt configuration (`PrivateApt`). When apt cannot answer (offline) the newest
    /// such version already unpacked in the cache is used. `origin` says which suite it came from.
    ///
    /// The answer is remembered with the private apt state it was found under (`SourceChoiceMemo`): while that
    /// state is unchanged, a rebuild takes the same source without asking apt again.
    public static func obtain(cacheRoot: URL? = nil, version: XenVersion = .v4_17,
                              progress: (String) -> Void = { _ in }) throws(XenSourceError) -> XenSourceTree
    {
        let root = cacheRoot ?? defaultCacheRoot()
        let memo = SourceChoiceMemo(cacheRoot: root, version: version)
        if let remembered = memo.lookup() {
            progress("Xen source \(remembered.debianVersion) from \(remembered.origin) (apt's index unchanged since it was chosen): cached at \(remembered.pristine.path)")
            return remembered
        }
        let tree = try ask(cacheRoot: root, version: version, progress: progress)
        // Remembered under the state after asking (asking may have refreshed a stale index first), unless the state
        // changed under a valid key while asking (another process updated: the answer may predate it).
        let after = SourceChoiceMemo(cacheRoot: root, version: version)
        if memo.key == nil || memo.key == after.key { after.remember(tree) }
        return tree
    }

    /// `obtain` without the memo: asks apt.
    static func ask(cacheRoot root: URL, version: XenVersion, progress: (String) -> Void) throws(XenSourceError) -> XenSourceTree {
        let base = root.appendingPathComponent("xen-src", isDirectory: true)
        let prefix = version.sourcePrefix
        guard let release = DebianRelease(rawValue: version.debianRelease) else { throw .sourceUnavailable("no Debian release for Xen \(version)") }
        var tree: XenSourceTree
        var package: SourcePackage?
        var apt: PrivateApt?
        do {
            let a = try PrivateApt.forHost(release, cacheRoot: root)
            let p = try a.newestSource("xen", versionPrefix: prefix, progress: progress)
            apt = a
            package = p
            tree = XenSourceTree(debianVersion: p.version, directory: base.appendingPathComponent(p.version, isDirectory: true))
            tree.origin = "\(release) \(p.suites.joined(separator: ", "))"
        } catch {
            let cached = ((try? FileManager.default.contentsOfDirectory(atPath: base.path)) ?? [])
                .filter { $0.hasPrefix(prefix) && Files.isDirectory(base.appendingPathComponent("\($0)/pristine/xen")) }
            guard let newest = newestVersion(cached) else {
                throw .sourceUnavailable("\(error) (and the cache \(base.path) holds no unpacked xen \(prefix)x source)")
            }
            progress("apt could not answer (\(error)); using the cached Xen source \(newest)")
            tree = XenSourceTree(debianVersion: newest, directory: base.appendingPathComponent(newest, isDirectory: true))
            tree.origin = "the cache (\(release) could not be asked)"
        }
        if Files.isDirectory(tree.pristine.appendingPathComponent("xen")) {
            progress("Xen source \(tree.debianVersion) from \(tree.origin): cached at \(tree.pristine.path)")
            return tree
        }
        guard let apt, let package else { throw .sourceUnavailable("Xen source \(tree.debianVersion) is not unpacked in the cache") }
        do {
            try Files.makeDirectory(tree.directory)
            let dsc = try tree.download(package, with: apt, progress: progress)
            try tree.unpack(dsc: dsc, progress: progress)
            return tree
        } catch {
            // The newest version's files may be missing on the mirror: fall back to the next older one, saying so.
            let older = ((try? apt.sourceVersions("xen", versionPrefix: prefix)) ?? []).filter { $0.version != package.version }
            guard let next = older.first else { throw error }
            progress("WARNING: \(package) could not be fetched (\(error)); using \(next) instead: it differs from Debian's prebuilt \(version)")
            var fallback = XenSourceTree(debianVersion: next.version, directory: base.appendingPathComponent(next.version, isDirectory: true))
            fallback.origin = "\(release) \(next.suites.joined(separator: ", ")) (fallback: \(package.version) unavailable)"
            if Files.isDirectory(fallback.pristine.appendingPathComponent("xen")) { return fallback }
            try Files.makeDirectory(fallback.directory)
            try fallback.unpack(dsc: try fallback.download(next, with: apt, progress: progress), progress: progress)
            return fallback
        }
    }

    /// The `.dsc` of the downloaded package, downloading it (into a temp dir, then renamed) when absent; every file's
    /// size and SHA-256 are checked against the index.
    func download(_ package: SourcePackage, with apt: PrivateApt, progress: (String) -> Void) throws(XenSourceError) -> URL {
        let downloads = directory.appendingPathComponent("download", isDirectory: true)
        guard let dscName = package.dscName else { throw .sourceUnavailable("\(package) lists no .dsc file") }
        if Files.exists(downloads.appendingPathComponent(dscName)) { return downloads.appendingPathComponent(dscName) }
        let scratch = try Files.temporaryDirectory(in: directory, prefix: ".dl.")
        defer { Files.remove(scratch) }
        // apt may drop privileges to _apt for downloads: let it write into the scratch directory.
        try? FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: scratch.path)
        progress("downloading Debian's \(package) source (apt-get source --download-only, \(apt.release))")
        do { try apt.download(package, into: scratch) } catch {
            throw .commandFailed(command: "apt-get source --download-only xen=\(package.version)", status: 1, excerpt: [error.description], log: nil)
        }
        try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: scratch.path)
        if !Files.rename(scratch, to: downloads), !Files.exists(downloads.appendingPathComponent(dscName)) {
            throw .fileSystem(path: downloads.path, operation: "move the download into", detail: Files.errnoText())
        }
        return downloads.appendingPathComponent(dscName)
    }

    /// Unpacks with `dpkg-source -x --no-check` into a temp dir, then renames it to `pristine/` (the loser of a
    /// concurrent race discards its copy).
    func unpack(dsc: URL, progress: (String) -> Void) throws(XenSourceError) {
        let dpkgSource = try Tool.require("dpkg-source", package: "dpkg-dev")
        let scratch = try Files.temporaryDirectory(in: directory, prefix: ".x.")
        defer { Files.remove(scratch) }
        progress("unpacking \(dsc.lastPathComponent) (dpkg-source -x)")
        let unpacked = scratch.appendingPathComponent("tree", isDirectory: true)
        try Tool.check(dpkgSource, ["-x", "--no-check", dsc.path, unpacked.path], in: scratch, timeout: 600)
        guard Files.isDirectory(unpacked.appendingPathComponent("xen/arch/arm")) else {
            throw .sourceUnavailable("\(dsc.path) unpacked without xen/arch/arm: not Xen's source?")
        }
        if !Files.rename(unpacked, to: pristine), !Files.isDirectory(pristine.appendingPathComponent("xen")) {
            throw .fileSystem(path: pristine.path, operation: "rename the unpacked tree to", detail: Files.errnoText())
        }
        progress("Xen source \(debianVersion) unpacked at \(pristine.path)")
    }

    // MARK: - Versions

    static func withoutEpoch(_ v: String) -> String {
        guard let colon = v.firstIndex(of: ":") else { return v }
        return String(v[v.index(after: colon)...])
    }

    /// The newest of `versions` by `dpkg --compare-versions` (falls back to the lexically last).
    static func newestVersion(_ versions: [String]) -> String? {
        guard var best = versions.first else { return nil }
        let dpkg = Tool.locate("dpkg")
        for v in versions.dropFirst() {
            if let dpkg, let r = try? Tool.run(dpkg, ["--compare-versions", v, "gt", best], timeout: 30) {
                if r.status == 0 { best = v }
            } else if v > best {
                best = v
            }
        }
        return best
    }
}
