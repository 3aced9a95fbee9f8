import Foundation
import Infrastructure

/// Work trees: copies of the pristine tree that builds write generated files and objects into, in
/// `xen-src/<debian-version>/work/<name>/source/` (logs next to it in `work/<name>/`). One directory per Debian
/// version, so a new Debian source (or the other Xen version) never shares objects with an older one.
///
/// A kept tree (`reuse: true`, the bring-up loop of `build --xen source` and `xen`) is reused only when it is a
/// complete copy of this version (`.xen-board-copy`) and no build in it was interrupted (`.xen-board-consistent`,
/// see `WorkTreeStamp`); otherwise it is copied afresh. `withWorkTree` holds `work/<name>.lock` while a build uses
/// the tree and keeps at most `keptWorkTrees` locked-use trees over the whole cache, removing the least recently
/// used beyond that.
extension XenSourceTree {
    /// Kept work trees over every Xen source version in the cache (about 80 MB each with their objects).
    public static let keptWorkTrees = 8

    static let copyStampName = ".xen-board-copy"

    /// `work/<name>/source/`: an existing reusable copy when `reuse`, else a fresh copy of the pristine tree (any
    /// previous copy of that name is replaced). `name` is a single path component.
    public func workTree(name: String, reuse: Bool = false, progress: (String) -> Void = { _ in }) throws(XenSourceError) -> URL {
        try makeWorkTree(name: name, reuse: reuse, progress: progress).tree
    }

    /// `workTree`, saying whether the tree was copied afresh.
    func makeWorkTree(name: String, reuse: Bool, progress: (String) -> Void) throws(XenSourceError) -> (tree: URL, fresh: Bool) {
        try Self.validateWorkName(name)
        let parent = directory.appendingPathComponent("work/\(name)", isDirectory: true)
        let kept = parent.appendingPathComponent("source", isDirectory: true)
        if reuse {
            switch reusable(kept) {
            case nil: return (kept, false)
            case let why?: if Files.exists(kept) { progress("work tree \(kept.path): \(why); copying the source afresh") }
            }
        }
        let cp = try Tool.require("cp", package: "coreutils")
        try Files.makeDirectory(parent)
        let staged = try Files.temporaryDirectory(in: parent, prefix: ".copy.")
        defer { Files.remove(staged) }
        let copy = staged.appendingPathComponent("source", isDirectory: true)
        try Tool.check(cp, ["-a", pristine.path, copy.path], timeout: 600)
        // Written last: only a complete copy is ever reused.
        try Files.write(Data((debianVersion + "\n").utf8), to: copy.appendingPathComponent(Self.copyStampName))
        try WorkTreeStamp.markConsistent(copy)
        try Files.replaceDirectory(kept, with: copy)
        return (kept, true)
    }

    /// Nil when `kept` can be built in again, else why not.
    func reusable(_ kept: URL) -> String? {
        guard (try? Files.read(kept.appendingPathComponent(Self.copyStampName))) == debianVersion + "\n",
              Files.isDirectory(kept.appendingPathComponent("xen/arch/arm")) else { return "not a complete copy of Xen \(debianVersion)" }
        guard WorkTreeStamp.isConsistent(kept) else { return "an earlier build in it was interrupted" }
        return nil
    }

    static func validateWorkName(_ name: String) throws(XenSourceError) {
        guard !name.isEmpty, name != ".", name != "..", !name.contains("/"), !name.hasPrefix("."), !name.hasSuffix(".lock") else {
            throw .invalidFilePath(name)
        }
    }

    /// Runs `body` with the work tree `name` (see `workTree`) while holding `work/<name>.lock`, so two builds never
    /// share a tree at once (a second one waits, saying so). When the tree was new, least recently used kept trees
    /// beyond `keptWorkTrees` are removed afterwards (so a reused tree's rebuild never pays for removing one).
    public func withWorkTree<T>(name: String, reuse: Bool = true, progress: (String) -> Void = { _ in },
                                _ body: (URL) throws -> T) throws -> T {
        try Self.validateWorkName(name)
        let work = directory.appendingPathComponent("work", isDirectory: true)
        try Files.makeDirectory(work)
        let lockFile = work.appendingPathComponent("\(name).lock")
        let lock: FileLock
        switch FileLock.acquire(lockFile, waiting: { progress("waiting for another xen-board build using work tree \(name)") }) {
        case let .success(l): lock = l
        case let .failure(f): throw XenSourceError.fileSystem(path: f.path, operation: "lock", detail: f.detail)
        }
        defer { lock.release() }
        // The lock file's mtime is the tree's last use, for eviction.
        try? FileManager.default.setAttributes([.modificationDate: Date()], ofItemAtPath: lockFile.path)
        let made = try makeWorkTree(name: name, reuse: reuse, progress: progress)
        let result = try body(made.tree)
        if made.fresh {
            WorkTreeEviction.evict(cacheSources: directory.deletingLastPathComponent(), keep: Self.keptWorkTrees, progress: progress)
        }
        return result
    }
}

/// `.xen-board-consistent` at the top of a work tree: present when no operation on the tree was cut short. It is
/// removed before a build changes the tree and written back when the build ends in a way that leaves make's state
/// sound (success, or a compiler/Kconfig error after which make stopped by itself); a killed or timed-out build
/// leaves it absent, and the next `workTree(reuse: true)` copies the source afresh instead of trusting half-written
/// objects.
enum WorkTreeStamp {
    static let name = ".xen-board-consistent"

    static func isConsistent(_ tree: URL) -> Bool { Files.exists(tree.appendingPathComponent(name)) }

    static func markConsistent(_ tree: URL) throws(XenSourceError) {
        try Files.writeAtomically(Data("no xen-board operation on this tree was interrupted\n".utf8), to: tree.appendingPathComponent(name))
    }

    static func changing<T>(_ tree: URL, _ body: () throws(XenSourceError) -> T) throws(XenSourceError) -> T {
        Files.remove(tree.appendingPathComponent(name))
        do {
            let result = try body()
            try markConsistent(tree)
            return result
        } catch {
            if leavesTreeSound(error) { try? markConsistent(tree) }
            throw error
        }
    }

    /// A command that ran to its end (even failing) leaves make's state sound; a timeout (status -1) or a failed
    /// file operation may not.
    static func leavesTreeSound(_ error: XenSourceError) -> Bool {
        switch error {
        case let .commandFailed(_, status, _, _): return status >= 0
        case .fileSystem: return false
        case .toolMissing, .sourceUnavailable, .invalidFilePath, .invalidFragmentLine, .configDropped, .badImage: return true
        }
    }
}

/// Bounds the kept work trees: those used through `withWorkTree` (they have a `work/<name>.lock`), over every
/// version under `xen-src/`, newest use first; beyond `keep`, a tree no build holds is removed (its lock file stays:
/// a few bytes, and removing it would race with a process about to lock it).
enum WorkTreeEviction {
    static func evict(cacheSources: URL, keep: Int, progress: (String) -> Void) {
        var trees: [(tree: URL, lock: URL, used: Date)] = []
        let fm = FileManager.default
        for version in (try? fm.contentsOfDirectory(atPath: cacheSources.path)) ?? [] {
            let work = cacheSources.appendingPathComponent("\(version)/work", isDirectory: true)
            for entry in (try? fm.contentsOfDirectory(atPath: work.path)) ?? [] where entry.hasSuffix(".lock") {
                let lock = work.appendingPathComponent(entry)
                let tree = work.appendingPathComponent(String(entry.dropLast(5)), isDirectory: true)
                guard Files.isDirectory(tree) else { continue }
                let used = (try? fm.attributesOfItem(atPath: lock.path)[.modificationDate] as? Date) ?? .distantPast
                trees.append((tree, lock, used))
            }
        }
        for old in trees.sorted(by: { $0.used > $1.used }).dropFirst(keep) {
            guard let held = FileLock.tryAcquire(old.lock) else { continue }
            defer { held.release() }
            let aside = StaleStaging.aside(for: old.tree)
            guard Files.rename(old.tree, to: aside) else { continue }
            Files.remove(aside)
            progress("removed the least recently used Xen work tree \(old.tree.path) (keeping \(keep))")
        }
    }
}
