import Foundation
import ImageComposer

/// The union of unpacked package trees (and other files), as the entries of a cpio archive: sorted by path (so a
/// directory comes before what it holds), owner root, permissions as the packages give them, every mtime the epoch.
/// A path two trees both have keeps the later tree's entry (trees are added in package-name order: deterministic).
struct RootTree {
    enum Node: Equatable {
        case directory(permissions: UInt32)
        case file(URL, permissions: UInt32)
        case symlink(String)
    }

    private(set) var nodes: [String: Node] = [:]

    /// Adds every entry under `root` (an unpacked `.deb`), except the excluded paths and cache markers (`.complete`).
    mutating func add(tree root: URL, exclude: (String) -> Bool) throws(RootFilesystemError) {
        try walk(root.path, relative: "", depth: 0, exclude: exclude)
    }

    mutating func addFile(_ path: String, from url: URL, permissions: UInt32 = 0o644) {
        nodes[path] = .file(url, permissions: permissions)
    }

    mutating func addDirectory(_ path: String) {
        if nodes[path] == nil { nodes[path] = .directory(permissions: 0o755) }
    }

    private mutating func walk(_ directory: String, relative: String, depth: Int, exclude: (String) -> Bool) throws(RootFilesystemError) {
        guard depth < 64 else { throw RootFilesystemError("\(directory): directories nested more than 64 deep") }
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: directory).sorted() } catch {
            throw RootFilesystemError("\(directory): cannot be listed (\(error.localizedDescription))")
        }
        for name in names {
            if depth == 0 && name.hasPrefix(".") { continue }   // the cache's .complete / .xen-board-linked markers
            let full = directory + "/" + name
            let path = relative.isEmpty ? name : relative + "/" + name
            if exclude(path) { continue }
            var st = stat()
            guard lstat(full, &st) == 0 else { throw RootFilesystemError("\(full): cannot be read (\(String(cString: strerror(errno))))") }
            let permissions = UInt32(st.st_mode) & 0o7777
            switch UInt32(st.st_mode) & UInt32(S_IFMT) {
            case UInt32(S_IFDIR):
                nodes[path] = .directory(permissions: permissions)
                try walk(full, relative: path, depth: depth + 1, exclude: exclude)
            case UInt32(S_IFREG):
                nodes[path] = .file(URL(fileURLWithPath: full), permissions: permissions)
            case UInt32(S_IFLNK):
                guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: full) else {
                    throw RootFilesystemError("\(full): symbolic link cannot be read")
                }
                nodes[path] = .symlink(target)
            default:
                throw RootFilesystemError("\(full): not a file, directory or symbolic link")
            }
        }
    }

    /// Merged /usr, as Debian 12 and 13 install systems: `bin`, `sbin` and `lib` become links to `usr/bin`, `usr/sbin`
    /// and `usr/lib`, and what packages put under them moves there (a package's own path under /usr wins a clash).
    /// Debian 13's packages ship only /usr paths and rely on these links (`/lib/ld-linux-aarch64.so.1`, `/bin/sh`).
    mutating func mergeUsr() {
        for top in ["bin", "sbin", "lib"] {
            let under = nodes.keys.filter { $0.hasPrefix(top + "/") }.sorted()
            for path in under {
                let node = nodes.removeValue(forKey: path)
                let target = "usr/" + path
                if nodes[target] == nil, let node { nodes[target] = node }
            }
            nodes.removeValue(forKey: top)
            addDirectory("usr")
            addDirectory("usr/" + top)
            nodes[top] = .symlink("usr/" + top)
        }
    }

    /// The archive, entries in path order.
    func archive(epoch: SourceDateEpoch) throws(RootFilesystemError) -> CPIOArchive {
        var archive = CPIOArchive(epoch: epoch)
        for path in nodes.keys.sorted() {
            guard let node = nodes[path] else { continue }
            do {
                switch node {
                case .directory(let permissions): try archive.addDirectory(path, permissions: permissions)
                case .symlink(let target): try archive.addSymlink(path, target: target)
                case .file(let url, let permissions):
                    guard let data = FileManager.default.contents(atPath: url.path) else {
                        throw RootFilesystemError("\(url.path): cannot be read")
                    }
                    try archive.addFile(path, contents: [UInt8](data), permissions: permissions)
                }
            } catch let error as RootFilesystemError {
                throw error
            } catch {
                throw RootFilesystemError("root filesystem: \(error)")
            }
        }
        return archive
    }
}
