import Foundation
import Infrastructure
import PrivateApt

/// Debian packages downloaded with apt and unpacked, keyed by version and SHA-256:
/// `<root>/debs/<name>_<version>_<arch>.deb` (the names `apt-get download` writes)
/// and `<root>/unpacked/<name>_<version>_<arch>_<sha12>/`, an epoch's `:` spelled `%3a` in both as apt does.
/// Works from an empty directory, and two processes may fill it at once: every download and unpack happens in a
/// private temporary directory and is renamed into place.
public struct PackageCache: Sendable {
    /// The cache directory.
    public let root: URL
    let source: any PackageSource

    /// A cache at `root`, by default `$XEN_BOARD_CACHE` or `~/.cache/xen-board`. Nothing is created until a fetch
    /// or resolution. apt-cache answers are remembered in `<root>/apt-answers.json` while apt's index, sources,
    /// preferences and architectures are unchanged (each `apt-cache` run costs about a second).
    public init(root: URL? = nil) {
        let root = root ?? Self.defaultRoot
        self.init(root: root, source: MemoizedSource(base: AptSource(), file: root.appendingPathComponent("apt-answers.json"),
                                                     stateKey: MemoizedSource.aptStateKey))
    }

    /// A cache at `root` (default as above) whose packages come from `release` through a private apt configuration
    /// (`PrivateApt`, under `<root>/apt/debian-<n>`, URIs from the machine's own sources) instead of the machine's
    /// apt. Answers are remembered in `<root>/apt-answers-debian-<n>.json` while the private index is unchanged.
    public init(root: URL? = nil, release: DebianRelease) throws(PrivateAptError) {
        let root = root ?? Self.defaultRoot
        let apt = try PrivateApt.forHost(release, cacheRoot: root)
        self.init(root: root, source: MemoizedSource(base: AptSource(privateApt: apt),
                                                     file: root.appendingPathComponent("apt-answers-debian-\(release.rawValue).json"),
                                                     stateKey: { apt.stateKey() }))
    }

    init(root: URL?, source: any PackageSource) {
        self.root = root ?? Self.defaultRoot
        self.source = source
    }

    /// `$XEN_BOARD_CACHE` when set and not empty, else `~/.cache/xen-board`.
    public static var defaultRoot: URL {
        if let custom = ProcessInfo.processInfo.environment["XEN_BOARD_CACHE"], !custom.isEmpty {
            return URL(fileURLWithPath: custom, isDirectory: true)
        }
        return FileManager.default.homeDirectoryForCurrentUser
            .appendingPathComponent(".cache", isDirectory: true)
            .appendingPathComponent("xen-board", isDirectory: true)
    }

    /// `<root>/debs`.
    public var debsDirectory: URL { root.appendingPathComponent("debs", isDirectory: true) }
    /// `<root>/unpacked`.
    public var unpackedDirectory: URL { root.appendingPathComponent("unpacked", isDirectory: true) }

    /// Where `package`'s `.deb` is kept.
    public func debPath(for package: ResolvedPackage) -> URL {
        debsDirectory.appendingPathComponent(package.debFileName)
    }

    /// Where `package` is unpacked.
    public func unpackedPath(for package: ResolvedPackage) -> URL {
        unpackedDirectory.appendingPathComponent(package.unpackedDirectoryName, isDirectory: true)
    }

    // MARK: Resolution

    /// apt's candidate (or the given `version`) of `name` for `arch`, with the size and SHA-256 of its `.deb`.
    public func resolve(_ name: String, arch: String, version: String? = nil) throws(PackageError) -> ResolvedPackage {
        let resolved = try resolve([PackageSpec(name, arch: arch, version: version)])
        guard let first = resolved.first else { throw .unknownPackage(package: "\(name):\(arch)") }
        return first
    }

    /// Resolves several packages with one apt query (each apt-cache run costs about a second), in order.
    public func resolve(_ specs: [PackageSpec]) throws(PackageError) -> [ResolvedPackage] {
        let records = try source.records(for: specs)
        var result: [ResolvedPackage] = []
        for spec in specs {
            guard let record = records.first(where: { $0.answers(spec) }) else {
                throw .unknownPackage(package: spec.description)
            }
            result.append(try record.resolved(for: spec))
        }
        return result
    }

    /// The concrete package a meta package currently depends on, resolved: `linux-image-arm64` (arm64) ->
    /// `linux-image-6.1.0-50-arm64`, `linux-image-armmp-lpae` (armhf) -> `linux-image-6.1.0-50-armmp-lpae`. The
    /// concrete package is the dependency named like the meta package with a version in the middle; an exact
    /// `(= version)` in the dependency is honoured.
    public func resolveMeta(_ name: String, arch: String) throws(PackageError) -> ResolvedPackage {
        let spec = try PackageSpec(name, arch: arch)
        let records = try source.records(for: [spec])
        guard let record = records.first(where: { $0.answers(spec) }) else {
            throw .unknownPackage(package: spec.description)
        }
        let entries = Dependency.parse([record["Pre-Depends"], record["Depends"]].compactMap { $0 }.joined(separator: ","))
        guard let concrete = Dependency.concrete(of: name, among: entries) else {
            throw .noConcretePackage(meta: spec.description, depends: entries.flatMap { $0.map(\.name) })
        }
        let pinned = concrete.relation == "=" ? concrete.version : nil
        return try resolve(concrete.name, arch: arch, version: pinned)
    }

    // MARK: Fetching

    /// Resolves `name` for `arch`, then fetches it (see `fetch(_:progress:)`).
    public func fetch(_ name: String, arch: String, progress: (String) -> Void = { _ in }) throws(PackageError)
        -> FetchedPackage
    {
        try fetch(resolve(name, arch: arch), progress: progress)
    }

    /// Makes sure `package`'s `.deb` is in the cache with the size and SHA-256 apt's index gives (downloading it
    /// with `apt-get download` otherwise), and that it is unpacked (`dpkg-deb -x`). Reuses both when they match.
    /// `progress` receives one line per step.
    public func fetch(_ package: ResolvedPackage, progress: (String) -> Void = { _ in }) throws(PackageError)
        -> FetchedPackage
    {
        try CacheFiles.makeDirectory(debsDirectory)
        try CacheFiles.makeDirectory(unpackedDirectory)
        CacheFiles.sweepStale(in: debsDirectory)
        CacheFiles.sweepStale(in: unpackedDirectory)
        let (deb, downloaded) = try ensureDeb(package, progress: progress)
        let (tree, unpacked) = try ensureUnpacked(package, deb: deb, progress: progress)
        return FetchedPackage(package: package, debPath: deb, root: tree, downloaded: downloaded, unpacked: unpacked)
    }

    /// SHA-256 of a cached or downloaded `.deb`, computed in process.
    static func sha256(_ deb: URL, package: ResolvedPackage) throws(PackageError) -> String {
        do { return try SHA256.hex(ofFile: deb) } catch {
            throw .fileSystem(path: deb.path, operation: "hash", detail: "\(error) (\(package))")
        }
    }

    /// The verified `.deb`, and whether it had to be downloaded.
    private func ensureDeb(_ package: ResolvedPackage, progress: (String) -> Void) throws(PackageError)
        -> (URL, Bool)
    {
        let deb = debPath(for: package)
        if let size = CacheFiles.fileSize(deb) {
            if size == package.size, VerifiedStamp.matches(deb, sha256: package.sha256) {
                progress("\(package): using cached \(deb.lastPathComponent) (verified before, unchanged since)")
                return (deb, false)
            }
            if size == package.size, try Self.sha256(deb, package: package) == package.sha256 {
                VerifiedStamp.record(deb, sha256: package.sha256)
                progress("\(package): using cached \(deb.lastPathComponent)")
                return (deb, false)
            }
            progress("\(package): cached \(deb.lastPathComponent) does not match apt's size/sha256; downloading again")
        }
        let scratch = try CacheFiles.makeTemporaryDirectory(in: debsDirectory, prefix: ".dl.")
        defer { CacheFiles.remove(scratch) }
        CacheFiles.setPermissions(scratch, 0o755)
        progress("\(package): downloading \(Self.megabytes(package.size))")
        let started = Date()
        try source.download(package, into: scratch)
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: scratch.path)) ?? []).filter { $0.hasSuffix(".deb") }
        guard names.count == 1, let name = names.first else {
            throw .downloadFailed(package: package.description,
                                  detail: "apt-get download left \(names.count) .deb files in \(scratch.path), expected 1")
        }
        let got = scratch.appendingPathComponent(name)
        let size = CacheFiles.fileSize(got) ?? 0
        guard size == package.size else {
            throw .sizeMismatch(package: package.description, file: name, expected: package.size, got: size)
        }
        let sha = try Self.sha256(got, package: package)
        guard sha == package.sha256 else {
            throw .checksumMismatch(package: package.description, file: name, expected: package.sha256, got: sha)
        }
        CacheFiles.setPermissions(got, 0o644)
        let status = CacheFiles.rename(got, to: deb)
        guard status == 0 else {
            throw .fileSystem(path: deb.path, operation: "move the downloaded .deb to", detail: CacheFiles.errnoText(status))
        }
        VerifiedStamp.record(deb, sha256: sha)
        progress("\(package): downloaded and verified in \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
        return (deb, true)
    }

    /// The complete unpacked tree, and whether it had to be unpacked.
    private func ensureUnpacked(_ package: ResolvedPackage, deb: URL, progress: (String) -> Void)
        throws(PackageError) -> (URL, Bool)
    {
        let tree = unpackedPath(for: package)
        let marker = tree.appendingPathComponent(".complete")
        if FileManager.default.fileExists(atPath: marker.path) { return (tree, false) }

        progress("\(package): unpacking into \(tree.lastPathComponent)")
        let scratch = try CacheFiles.makeTemporaryDirectory(in: unpackedDirectory, prefix: ".x.")
        var keepScratch = false
        defer { if !keepScratch { CacheFiles.remove(scratch) } }
        try Self.extract(deb, of: package, into: scratch)
        let stamp = "\(package.aptSpec) \(package.sha256)\n"
        guard FileManager.default.createFile(atPath: scratch.appendingPathComponent(".complete").path,
                                             contents: Data(stamp.utf8))
        else { throw .fileSystem(path: scratch.path, operation: "write .complete in", detail: CacheFiles.errnoText()) }
        CacheFiles.setPermissions(scratch, 0o755)

        for attempt in 0..<2 {
            let status = CacheFiles.rename(scratch, to: tree)
            if status == 0 {
                keepScratch = true
                return (tree, true)
            }
            guard status == ENOTEMPTY || status == EEXIST else {
                throw .fileSystem(path: tree.path, operation: "move the unpacked tree to", detail: CacheFiles.errnoText(status))
            }
            // Another process finished first: use its tree.
            if FileManager.default.fileExists(atPath: marker.path) { return (tree, false) }
            // An incomplete directory left by something else: move it aside, then retry once.
            if attempt == 0 {
                let stale = unpackedDirectory.appendingPathComponent(".stale.\(UUID().uuidString)")
                if CacheFiles.rename(tree, to: stale) == 0 { CacheFiles.remove(stale) }
            }
        }
        throw .fileSystem(path: tree.path, operation: "move the unpacked tree to",
                          detail: "an incomplete directory without .complete is in the way")
    }

    /// `dpkg-deb -x deb directory`.
    static func extract(_ deb: URL, of package: ResolvedPackage, into directory: URL) throws(PackageError) {
        let result: ProcessResult
        do {
            result = try ProcessRunner.run("dpkg-deb", ["-x", deb.path, directory.path], timeout: 1800)
        } catch {
            switch error {
            case .notFound: throw .toolMissing(tool: "dpkg-deb")
            case let .launch(_, detail): throw .unpackFailed(package: package.description, deb: deb.path, detail: detail)
            }
        }
        guard result.status == 0, !result.timedOut else {
            let why = result.timedOut ? "timed out" : "exit status \(result.status)"
            throw .unpackFailed(package: package.description, deb: deb.path, detail: why + PackageError.tail(result.diagnostic))
        }
    }

    static func megabytes(_ bytes: UInt64) -> String {
        String(format: "%.1f MB", Double(bytes) / 1_000_000)
    }
}
