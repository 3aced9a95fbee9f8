import Foundation
import Infrastructure

/// Cache files that outputs hard-link to (out/BOARD/xen and kernel share their inode): a write through the output
/// would change the cache. So before a file is handed out for linking it is made read-only (a plain `cp new out/xen`
/// or `>>` then fails instead of reaching the cache; `cp -f`, `mv` and editors that write a new file are unaffected)
/// and checked against the digest it had when first handed out: `<tree>/.xen-board-linked/<path>` holds that digest
/// and the file's stamp (inode, size, modification time; see `LinkedFiles.stamp`). An unchanged stamp costs no
/// hashing; a changed one is hashed, and a changed content is restored from the verified `.deb` as a new file (the
/// edited output keeps the old inode).
extension PackageCache {
    /// `file` (inside `fetched`'s unpacked tree), verified and read-only, ready to be linked into an output.
    public func linkable(_ file: URL, of fetched: FetchedPackage, progress: (String) -> Void = { _ in }) throws(PackageError) -> URL {
        let record = LinkedFiles.recordURL(for: file, tree: fetched.root)
        let stamp = LinkedFiles.stamp(file)
        let known = LinkedFiles.read(record)
        if let known, let stamp, known.stamp == stamp { return file }
        let digest = try Self.sha256(file, package: fetched.package)
        var truth = known?.digest
        if truth == nil, LinkedFiles.linkCount(file) > 1 {
            // Linked out before digests were recorded: only the package can say what the file should hold.
            truth = try restore(file, of: fetched, expected: nil, current: digest, progress: progress)
        } else if let expected = truth, expected != digest {
            progress("\(fetched.package): \(file.path) changed in place (through a linked output?); restoring it from the .deb")
            _ = try restore(file, of: fetched, expected: expected, current: digest, progress: progress)
        }
        LinkedFiles.makeReadOnly(file)
        LinkedFiles.write(record, digest: truth ?? digest, stamp: LinkedFiles.stamp(file))
        return file
    }

    /// The digest `linkable` recorded for `file` while the file is unchanged since (same stamp), so a build does
    /// not hash the same 30 MB kernel again for its manifest; nil when there is no such record.
    public static func linkedDigest(of file: URL) -> String? {
        var tree = file.deletingLastPathComponent()
        while tree.path.count > 1, !FileManager.default.fileExists(atPath: tree.appendingPathComponent(".complete").path) {
            tree = tree.deletingLastPathComponent()
        }
        guard let known = LinkedFiles.read(LinkedFiles.recordURL(for: file, tree: tree)), known.stamp == LinkedFiles.stamp(file) else { return nil }
        return known.digest
    }

    /// Extracts the package again and renames its copy of `file` over the cached one; returns the copy's digest,
    /// which must equal `expected` when given.
    private func restore(_ file: URL, of fetched: FetchedPackage, expected: String?, current: String,
                         progress: (String) -> Void) throws(PackageError) -> String {
        let scratch = try CacheFiles.makeTemporaryDirectory(in: unpackedDirectory, prefix: ".x.")
        defer { CacheFiles.remove(scratch) }
        try Self.extract(fetched.debPath, of: fetched.package, into: scratch)
        let relative = String(file.path.dropFirst(fetched.root.path.count))
        let fresh = URL(fileURLWithPath: scratch.path + relative)
        let digest = try Self.sha256(fresh, package: fetched.package)
        if let expected, digest != expected {
            throw .checksumMismatch(package: fetched.package.description, file: relative, expected: expected, got: digest)
        }
        if digest != current {
            if expected == nil { progress("\(fetched.package): \(file.path) differs from the .deb's; restoring it") }
            LinkedFiles.makeReadOnly(fresh)
            let status = CacheFiles.rename(fresh, to: file)
            guard status == 0 else { throw .fileSystem(path: file.path, operation: "restore", detail: CacheFiles.errnoText(status)) }
        }
        return digest
    }
}

/// The records behind `PackageCache.linkable`.
enum LinkedFiles {
    static let directoryName = ".xen-board-linked"

    /// `<tree>/.xen-board-linked/<path inside the tree, '/' spelled '%2f'>`.
    static func recordURL(for file: URL, tree: URL) -> URL {
        let relative = file.path.hasPrefix(tree.path + "/") ? String(file.path.dropFirst(tree.path.count + 1)) : file.lastPathComponent
        return tree.appendingPathComponent(directoryName).appendingPathComponent(relative.replacingOccurrences(of: "/", with: "%2f"))
    }

    static func read(_ record: URL) -> (digest: String, stamp: String)? {
        guard let data = FileManager.default.contents(atPath: record.path) else { return nil }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .newlines)
        guard let space = text.firstIndex(of: " ") else { return nil }
        let digest = String(text[..<space])
        guard SHA256.isHexDigest(digest) else { return nil }
        return (digest, String(text[text.index(after: space)...]))
    }

    /// Written to a temporary file and renamed; a record that cannot be written only costs a hash next time.
    static func write(_ record: URL, digest: String, stamp: String?) {
        guard let stamp else { return }
        let directory = record.deletingLastPathComponent()
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let temporary = directory.appendingPathComponent(".x.\(UUID().uuidString)")
        guard FileManager.default.createFile(atPath: temporary.path, contents: Data("\(digest) \(stamp)\n".utf8)) else { return }
        if CacheFiles.rename(temporary, to: record) != 0 { CacheFiles.remove(temporary) }
    }

    /// Inode, size and modification time, but not the change time: making a hard link (every build does) moves the
    /// change time, and would void the record each time. A write moves the modification time; only a write followed
    /// by a deliberate reset of it (`touch -d`) would go unnoticed.
    static func stamp(_ file: URL) -> String? {
        var st = stat()
        guard stat(file.path, &st) == 0 else { return nil }
        return "\(st.st_ino) \(st.st_size) \(st.st_mtim.tv_sec).\(st.st_mtim.tv_nsec)"
    }

    static func linkCount(_ file: URL) -> UInt64 {
        var st = stat()
        guard stat(file.path, &st) == 0 else { return 0 }
        return UInt64(st.st_nlink)
    }

    /// Mode 0444 (unchanged when already so: chmod would move the change time and void the stamp).
    static func makeReadOnly(_ file: URL) {
        var st = stat()
        guard stat(file.path, &st) == 0, st.st_mode & 0o777 != 0o444 else { return }
        chmod(file.path, 0o444)
    }
}
