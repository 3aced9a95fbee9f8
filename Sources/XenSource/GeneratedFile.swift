import Foundation

/// A file to write into Xen's tree before configuring: `path` relative to the tree root (e.g.
/// `xen/arch/arm/platforms/myboard.c`), replacing any file already there.
public struct GeneratedFile: Equatable, Sendable {
    public let path: String
    public let contents: Data

    public init(path: String, contents: Data) {
        self.path = path
        self.contents = contents
    }

    public init(path: String, text: String) { self.init(path: path, contents: Data(text.utf8)) }

    /// Every regular file under `directory` (recursively), as paths relative to it. Top-level regular files are
    /// skipped when `skipTopLevelFiles` (a `gen` output's README and patch file sit there; Xen's tree is `xen/...`).
    public static func load(directory: URL, skipTopLevelFiles: Bool = true) throws(XenSourceError) -> [GeneratedFile] {
        guard Files.isDirectory(directory) else {
            throw .fileSystem(path: directory.path, operation: "read files from", detail: "not a directory")
        }
        let root = directory.resolvingSymlinksInPath().standardizedFileURL.path
        guard let walker = FileManager.default.enumerator(at: URL(fileURLWithPath: root), includingPropertiesForKeys: [.isRegularFileKey]) else {
            throw .fileSystem(path: directory.path, operation: "list", detail: "cannot enumerate")
        }
        var files: [GeneratedFile] = []
        for case let url as URL in walker {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true else { continue }
            let full = url.resolvingSymlinksInPath().standardizedFileURL.path
            guard full.hasPrefix(root + "/") else { continue }
            let rel = String(full.dropFirst(root.count + 1))
            if skipTopLevelFiles, !rel.contains("/") { continue }
            guard let data = FileManager.default.contents(atPath: full) else {
                throw .fileSystem(path: full, operation: "read", detail: "unreadable")
            }
            files.append(GeneratedFile(path: rel, contents: data))
        }
        return files.sorted { $0.path < $1.path }
    }
}
