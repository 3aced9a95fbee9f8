import Foundation

/// Generated files written into a (kept) work tree, with a record of them so a later build that no longer writes a
/// file puts the tree's own version back (or removes the file when the tree had none): a kept tree never holds a
/// generated file, or an edit, that the current build did not ask for.
///
/// Bookkeeping at the top of the tree:
/// ```
/// .xen-board-files         every path a build wrote (or was about to write), one per line
/// .xen-board-originals/    the tree's version of each such path that existed before it was first overwritten
/// ```
/// The record is extended before any file changes, so an interrupted run still leaves every changed path listed.
enum TreeFiles {
    static let manifestName = ".xen-board-files"
    static let originalsName = ".xen-board-originals"

    struct Outcome: Equatable {
        /// Files whose content changed (written anew).
        var written: [String] = []
        /// Files of an earlier build not written by this one: the tree's original restored.
        var restored: [String] = []
        /// Files of an earlier build not written by this one that the tree did not have: removed.
        var removed: [String] = []
    }

    /// Writes `files` into `tree` (a file whose content is unchanged keeps its mtime, so make rebuilds nothing for
    /// it) and undoes every file an earlier sync wrote that `files` does not hold. Restored files get a new mtime,
    /// so make rebuilds what depends on them.
    static func sync(_ files: [GeneratedFile], into tree: URL) throws(XenSourceError) -> Outcome {
        for f in files { try validate(f.path) }
        let previous = readManifest(tree)
        let current = Set(files.map(\.path))
        for p in current.subtracting(previous).sorted() { try saveOriginal(p, in: tree) }
        try writeManifest(previous.union(current), in: tree)
        var outcome = Outcome()
        for p in previous.subtracting(current).sorted() {
            if try restoreOriginal(p, in: tree) { outcome.restored.append(p) } else { outcome.removed.append(p) }
        }
        for f in files {
            if try write(f, into: tree) { outcome.written.append(f.path) }
        }
        try writeManifest(current, in: tree)
        return outcome
    }

    /// A plain relative path inside the tree, not one of the bookkeeping files.
    static func validate(_ path: String) throws(XenSourceError) {
        let parts = path.split(separator: "/")
        guard !path.hasPrefix("/"), !parts.isEmpty, !parts.contains(".."), !parts.contains("."),
              !(parts.first?.hasPrefix(".xen-board") ?? false) else {
            throw .invalidFilePath(path)
        }
    }

    static func readManifest(_ tree: URL) -> Set<String> {
        guard let text = try? Files.read(tree.appendingPathComponent(manifestName)) else { return [] }
        return Set(text.split(separator: "\n").map(String.init).filter { (try? validate($0)) != nil })
    }

    static func writeManifest(_ paths: Set<String>, in tree: URL) throws(XenSourceError) {
        let text = paths.sorted().map { $0 + "\n" }.joined()
        try Files.writeAtomically(Data(text.utf8), to: tree.appendingPathComponent(manifestName))
    }

    static func original(_ path: String, in tree: URL) -> URL {
        tree.appendingPathComponent(originalsName).appendingPathComponent(path)
    }

    /// Before a path is first overwritten: its current (the tree's own) content is kept in `.xen-board-originals/`;
    /// a path the tree does not have leaves no copy there.
    static func saveOriginal(_ path: String, in tree: URL) throws(XenSourceError) {
        let saved = original(path, in: tree)
        Files.remove(saved)
        guard let data = FileManager.default.contents(atPath: tree.appendingPathComponent(path).path) else { return }
        try Files.makeDirectory(saved.deletingLastPathComponent())
        try Files.writeAtomically(data, to: saved)
    }

    /// Puts the tree's original back (true), or removes the generated file and the objects built from it (false).
    static func restoreOriginal(_ path: String, in tree: URL) throws(XenSourceError) -> Bool {
        let url = tree.appendingPathComponent(path)
        let saved = original(path, in: tree)
        if let data = FileManager.default.contents(atPath: saved.path) {
            Files.remove(url)
            try Files.write(data, to: url)
            Files.remove(saved)
            return true
        }
        Files.remove(url)
        for name in builtFrom(url.lastPathComponent) { Files.remove(url.deletingLastPathComponent().appendingPathComponent(name)) }
        return false
    }

    /// What Kbuild builds next to `x.c` / `x.S`: the object, its `.init.o` variant and their command/dependency files.
    static func builtFrom(_ name: String) -> [String] {
        guard name.hasSuffix(".c") || name.hasSuffix(".S") else { return [] }
        let stem = String(name.dropLast(2))
        return ["\(stem).o", "\(stem).init.o", ".\(stem).o.cmd", ".\(stem).init.o.cmd", ".\(stem).o.d"]
    }

    /// Writes one file; false when its content was already there (then it is left alone, mtime included).
    static func write(_ file: GeneratedFile, into tree: URL) throws(XenSourceError) -> Bool {
        let url = tree.appendingPathComponent(file.path)
        if let existing = FileManager.default.contents(atPath: url.path), existing == file.contents,
           (try? FileManager.default.destinationOfSymbolicLink(atPath: url.path)) == nil { return false }
        try Files.makeDirectory(url.deletingLastPathComponent())
        Files.remove(url) // a hard link or symlink into the pristine tree must not be written through
        try Files.write(file.contents, to: url)
        return true
    }
}
