import Foundation

/// Debian's `xen` source package (Xen 4.17.x plus Debian's patches), unpacked once into a pristine tree in the cache,
/// from which each build gets its own fresh copy (so generated files and build products never touch the pristine tree).
///
/// Cache layout (`$XEN_BOARD_CACHE` or `~/.cache/xen-board`):
/// ```
/// xen-src/<debian-version>/download/   xen_<v>.dsc, xen_<v>.orig.tar.xz, xen_<v>.debian.tar.xz
/// xen-src/<debian-version>/pristine/   the unpacked tree (appears at once: unpacked elsewhere, then renamed)
/// xen-src/<debian-version>/work/<name>/source/   one build's copy; its logs sit next to it in work/<name>/
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

    /// Finds (or downloads and unpacks) Debian's Xen source. The version is the newest `xen` source version
    /// `apt-cache showsrc` offers whose upstream part starts with `versionPrefix`; when apt knows none (no deb-src
    /// entry, or offline) the newest such version already unpacked in the cache is used.
    public static func obtain(cacheRoot: URL? = nil, versionPrefix: String = "4.17.",
                              progress: (String) -> Void = { _ in }) throws(XenSourceError) -> XenSourceTree
    {
        let base = (cacheRoot ?? defaultCacheRoot()).appendingPathComponent("xen-src", isDirectory: true)
        let offered = aptVersions(prefix: versionPrefix)
        let version: String
        if let newest = newestVersion(offered) {
            version = newest
        } else {
            let cached = ((try? FileManager.default.contentsOfDirectory(atPath: base.path)) ?? [])
                .filter { $0.hasPrefix(versionPrefix) && Files.isDirectory(base.appendingPathComponent("\($0)/pristine/xen")) }
            guard let newest = newestVersion(cached) else {
                throw .sourceUnavailable("apt knows no `xen` source package \(versionPrefix)x (add a deb-src entry for bookworm main: scripts/setup.sh) and the cache \(base.path) holds none")
            }
            progress("apt offers no xen source \(versionPrefix)x; using the cached \(newest)")
            version = newest
        }
        let tree = XenSourceTree(debianVersion: version, directory: base.appendingPathComponent(version, isDirectory: true))
        if Files.isDirectory(tree.pristine.appendingPathComponent("xen")) {
            progress("Xen source \(version): cached at \(tree.pristine.path)")
            return tree
        }
        try Files.makeDirectory(tree.directory)
        let dsc = try tree.download(progress: progress)
        try tree.unpack(dsc: dsc, progress: progress)
        return tree
    }

    /// The `.dsc` of the downloaded package, downloading it (into a temp dir, then renamed) when absent.
    func download(progress: (String) -> Void) throws(XenSourceError) -> URL {
        let downloads = directory.appendingPathComponent("download", isDirectory: true)
        let dscName = "xen_\(XenSourceTree.withoutEpoch(debianVersion)).dsc"
        if Files.exists(downloads.appendingPathComponent(dscName)) { return downloads.appendingPathComponent(dscName) }
        let apt = try Tool.require("apt-get", package: "apt")
        let scratch = try Files.temporaryDirectory(in: directory, prefix: ".dl.")
        defer { Files.remove(scratch) }
        // apt may drop privileges to _apt for downloads: let it write into the scratch directory.
        try? FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: scratch.path)
        progress("downloading Debian's xen \(debianVersion) source (apt-get source --download-only)")
        let r = try Tool.run(apt, ["source", "--download-only", "-q", "xen=\(debianVersion)"], in: scratch, timeout: 900)
        guard r.status == 0, Files.exists(scratch.appendingPathComponent(dscName)) else {
            throw .commandFailed(command: "apt-get source --download-only xen=\(debianVersion)", status: r.status,
                                 excerpt: Tool.lastLines(r.output, 10), log: nil)
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

    /// A fresh copy of the pristine tree for one build: `work/<name>/source/` (any previous copy of that name is
    /// replaced). Build logs go next to it, in `work/<name>/`. `name` is a single path component.
    ///
    /// `reuse`: keep an existing complete copy (made by this function, marked by `.xen-board-copy`) so make's own
    /// dependency tracking rebuilds only what changed (the bring-up loop: one generated C file edited -> one object
    /// recompiled and a relink). Callers must then write every file they ever change (edited or pristine text).
    public func workTree(name: String, reuse: Bool = false) throws(XenSourceError) -> URL {
        guard !name.isEmpty, name != ".", name != "..", !name.contains("/"), !name.hasPrefix(".") else {
            throw .invalidFilePath(name)
        }
        let cp = try Tool.require("cp", package: "coreutils")
        let parent = directory.appendingPathComponent("work/\(name)", isDirectory: true)
        let kept = parent.appendingPathComponent("source", isDirectory: true)
        let stamp = kept.appendingPathComponent(".xen-board-copy")
        if reuse, (try? Files.read(stamp)) == debianVersion + "\n", Files.isDirectory(kept.appendingPathComponent("xen/arch/arm")) {
            return kept
        }
        try Files.makeDirectory(parent)
        let staged = try Files.temporaryDirectory(in: parent, prefix: ".copy.")
        defer { Files.remove(staged) }
        let copy = staged.appendingPathComponent("source", isDirectory: true)
        try Tool.check(cp, ["-a", pristine.path, copy.path], timeout: 600)
        // Written last: only a complete copy is ever reused.
        try Files.write(Data((debianVersion + "\n").utf8), to: copy.appendingPathComponent(".xen-board-copy"))
        let target = parent.appendingPathComponent("source", isDirectory: true)
        try Files.replaceDirectory(target, with: copy)
        return target
    }

    // MARK: - Versions

    /// Versions of the `xen` source package apt offers whose upstream version starts with `prefix`.
    static func aptVersions(prefix: String) -> [String] {
        guard let aptCache = Tool.locate("apt-cache"),
              let r = try? Tool.run(aptCache, ["showsrc", "--only-source", "xen"], timeout: 120), r.status == 0
        else { return [] }
        var versions: [String] = []
        for line in r.output.split(separator: "\n") where line.hasPrefix("Version: ") {
            let v = String(line.dropFirst("Version: ".count)).trimmingCharacters(in: .whitespaces)
            if withoutEpoch(v).hasPrefix(prefix), !versions.contains(v) { versions.append(v) }
        }
        return versions
    }

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
