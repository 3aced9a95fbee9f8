import Foundation
import Infrastructure

/// A directory of symbolic links into the package cache's unpacked trees, published under a stable name: the links
/// live in `<root>/<name>-<key12>/` (immutable once complete: the key digests every entry), and `<root>/<name>` is a
/// symbolic link to the newest such directory, swapped atomically. Nothing is copied: the DTB corpus and the
/// Xen images for truth boots are views of what `PackageCache.fetch` unpacked.
public enum LinkFarm {
    /// Creates (or finds) the keyed directory holding `entries` (link name -> absolute target), points
    /// `<root>/<name>` at it and returns the keyed directory.
    public static func publish(_ name: String, in root: URL, entries: [(name: String, target: URL)]) throws(PackageError) -> URL {
        let description = entries.map { "\($0.name) \($0.target.path)" }.sorted().joined(separator: "\n")
        let key: String
        do { key = String(try SHA256.hex(Array(description.utf8)).prefix(12)) } catch {
            throw .fileSystem(path: root.path, operation: "digest the entries of \(name) in", detail: "\(error)")
        }
        let stable = root.appendingPathComponent(name)
        let parent = stable.deletingLastPathComponent()
        let keyed = parent.appendingPathComponent("\(stable.lastPathComponent)-\(key)", isDirectory: true)
        try CacheFiles.makeDirectory(parent)
        if !FileManager.default.fileExists(atPath: keyed.appendingPathComponent(".complete").path) {
            try fill(keyed, entries: entries, description: description, parent: parent)
        }
        try pointLink(stable, at: keyed.lastPathComponent)
        return keyed
    }

    /// Writes the links and `.complete` in a temporary directory, then renames it to `keyed` (a concurrent run
    /// that renamed first wins; its directory has the same content).
    private static func fill(_ keyed: URL, entries: [(name: String, target: URL)], description: String, parent: URL)
        throws(PackageError)
    {
        let scratch = try CacheFiles.makeTemporaryDirectory(in: parent, prefix: ".x.")
        defer { CacheFiles.remove(scratch) }
        for entry in entries {
            let link = scratch.appendingPathComponent(entry.name)
            guard symlink(entry.target.path, link.path) == 0 else {
                throw .fileSystem(path: link.path, operation: "create the symbolic link", detail: CacheFiles.errnoText())
            }
        }
        guard FileManager.default.createFile(atPath: scratch.appendingPathComponent(".complete").path,
                                             contents: Data((description + "\n").utf8))
        else { throw .fileSystem(path: scratch.path, operation: "write .complete in", detail: CacheFiles.errnoText()) }
        CacheFiles.setPermissions(scratch, 0o755)
        let status = CacheFiles.rename(scratch, to: keyed)
        guard status == 0 || status == ENOTEMPTY || status == EEXIST else {
            throw .fileSystem(path: keyed.path, operation: "move the link directory to", detail: CacheFiles.errnoText(status))
        }
    }

    /// Makes `stable` a symbolic link to `target` (relative), replacing an older link, or a directory of links left
    /// by the former fetch scripts.
    public static func pointLink(_ stable: URL, at target: String) throws(PackageError) {
        let parent = stable.deletingLastPathComponent()
        let temporary = parent.appendingPathComponent(".x.link.\(UUID().uuidString)")
        guard symlink(target, temporary.path) == 0 else {
            throw .fileSystem(path: temporary.path, operation: "create the symbolic link", detail: CacheFiles.errnoText())
        }
        var status = CacheFiles.rename(temporary, to: stable)
        if status == EISDIR || status == ENOTEMPTY || status == EEXIST {
            // The scripts' `dtbs/corpus` was a real directory of links: move it aside, then retry.
            let stale = parent.appendingPathComponent(".stale.\(UUID().uuidString)")
            if CacheFiles.rename(stable, to: stale) == 0 { CacheFiles.remove(stale) }
            status = CacheFiles.rename(temporary, to: stable)
        }
        guard status == 0 else {
            CacheFiles.remove(temporary)
            throw .fileSystem(path: stable.path, operation: "point the symbolic link", detail: CacheFiles.errnoText(status))
        }
    }
}
