import BootInputs
import Foundation
import ImageComposer
import Infrastructure

/// A toolstack root filesystem (`[dom0] rootfs = "toolstack"`): the closure apt resolves for
/// `ToolstackContents.packages`, unpacked without root (`dpkg-deb -x`, through `PackageCache`), the kernel's Xen
/// modules with depmod's index, packed as a gzip-compressed cpio (newc, sorted, owner root, mtimes the epoch).
/// Kept in `<cache>/rootfs/toolstack-<key>.cpio.gz` with a `.json` description, the key being the SHA-256 of the
/// resolved package set (name, architecture, version, SHA-256 of each `.deb`), the kernel package, the modules and
/// the epoch: an unchanged set is packed once.
public struct ToolstackRootFS: Sendable {
    /// What was packed, as recorded next to the archive.
    public struct Description: Sendable, Codable, Equatable {
        /// `name arch version` of every package, sorted by name.
        public let packages: [String]
        public let kernel: String
        public let layout: ToolstackLayout
        /// Bytes of the uncompressed cpio archive.
        public let uncompressedSize: Int
        public let key: String
    }

    /// The gzip-compressed newc archive.
    public let archive: [UInt8]
    public let description: Description
    /// False when the cached archive was used.
    public let packed: Bool

    /// Resolves, fetches, assembles and packs (or reuses) the root filesystem for Xen `xenVersion` on Debian
    /// architecture `arch`, with the modules of the fetched kernel package `kernel`.
    public static func build(packages cache: PackageCache, arch: String, xenVersion: String, kernel: FetchedPackage,
                             epoch: SourceDateEpoch, progress: (String) -> Void) throws -> ToolstackRootFS {
        let roots = ToolstackContents.packages(xenVersion: xenVersion)
        progress("toolstack root filesystem: resolving the closure of \(roots.joined(separator: ", ")) (\(arch))")
        let resolved = try cache.closure(of: roots, arch: arch)
        let key = try cacheKey(resolved, kernel: kernel, epoch: epoch)
        let directory = cache.root.appendingPathComponent("rootfs", isDirectory: true)
        let archiveFile = directory.appendingPathComponent("toolstack-\(key.prefix(24)).cpio.gz")
        let descriptionFile = directory.appendingPathComponent("toolstack-\(key.prefix(24)).json")
        if let cached = load(archiveFile, descriptionFile, key: key) {
            progress("toolstack root filesystem: using \(archiveFile.lastPathComponent) (\(resolved.count) packages, same set as before)")
            return cached
        }
        progress("toolstack root filesystem: \(resolved.count) packages")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let scratch = directory.appendingPathComponent(".tmp.\(UUID().uuidString)", isDirectory: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let (gz, description) = try assemble(resolved, packages: cache, kernel: kernel, key: key, epoch: epoch, scratch: scratch, progress: progress)
        try store(gz, description, archiveFile, descriptionFile, scratch: scratch)
        progress("toolstack root filesystem: \(description.uncompressedSize / 1_000_000) MB, \(gz.count / 1_000_000) MB compressed -> \(archiveFile.lastPathComponent)")
        return ToolstackRootFS(archive: gz, description: description, packed: true)
    }

    /// Fetches and unpacks `resolved`, adds the kernel modules and packs: the gzip-compressed archive.
    static func assemble(_ resolved: [ResolvedPackage], packages cache: PackageCache, kernel: FetchedPackage, key: String,
                         epoch: SourceDateEpoch, scratch: URL, progress: (String) -> Void) throws -> ([UInt8], Description) {
        var tree = RootTree()
        try cache.prefetch(resolved, progress: progress)
        for package in resolved {
            let fetched = try cache.fetch(package, progress: progress)
            try tree.add(tree: fetched.root, exclude: ToolstackContents.isExcluded)
        }
        let layout = try addModules(to: &tree, kernel: kernel, scratch: scratch, progress: progress)
        tree.mergeUsr()
        let tools = try Self.layout(tree, modules: layout)
        progress("toolstack root filesystem: packing \(tree.nodes.count) entries")
        let cpio = try tree.archive(epoch: epoch).encoded()
        let gz = try Gzip.compress(cpio)
        let description = Description(packages: resolved.map { "\($0.name) \($0.arch) \($0.version)" },
                                      kernel: "\(kernel.name) \(kernel.version)", layout: tools, uncompressedSize: cpio.count, key: key)
        return (gz, description)
    }

    /// The modules and depmod's index under the kernel's modules directory; returns the module names to load.
    static func addModules(to tree: inout RootTree, kernel: FetchedPackage, scratch: URL, progress: (String) -> Void) throws -> [String] {
        let modules = try KernelModules.select(ToolstackContents.modules, kernelRoot: kernel.root, scratch: scratch)
        progress("toolstack root filesystem: \(modules.files.count) kernel modules of \(kernel.name), depmod")
        var parts: [String] = []
        for component in (modules.directory + "/kernel").split(separator: "/") {
            parts.append(String(component))
            tree.addDirectory(parts.joined(separator: "/"))
        }
        for file in modules.files {
            var dirs = file.split(separator: "/").dropLast().map(String.init)
            var prefix = modules.directory
            while !dirs.isEmpty { prefix += "/" + dirs.removeFirst(); tree.addDirectory(prefix) }
            tree.addFile(modules.directory + "/" + file, from: kernel.root.appendingPathComponent(modules.directory + "/" + file))
        }
        for (name, url) in try modules.index(kernelRoot: kernel.root, scratch: scratch) {
            tree.addFile(modules.directory + "/" + name, from: url)
        }
        return ToolstackContents.modules.filter { !modules.builtIn.contains($0) }
    }

    /// Where the tools are: `usr/lib/xen-*/bin/NAME` (Debian's versioned tool directory).
    static func layout(_ tree: RootTree, modules: [String]) throws -> ToolstackLayout {
        func tool(_ name: String) -> String? {
            tree.nodes.keys.filter { $0.hasPrefix("usr/lib/xen-") && $0.hasSuffix("/bin/" + name) }.sorted().first
        }
        func required(_ name: String) throws -> String {
            guard let path = tool(name) else { throw RootFilesystemError("toolstack root filesystem: no usr/lib/xen-*/bin/\(name) in the packages") }
            return path
        }
        guard tree.nodes["usr/bin/busybox"] != nil else {
            throw RootFilesystemError("toolstack root filesystem: busybox-static gave no /bin/busybox or /usr/bin/busybox")
        }
        return ToolstackLayout(xl: try required("xl"), xenstored: try required("xenstored"), xenconsoled: try required("xenconsoled"),
                               initDom0: try required("xen-init-dom0"), initDom0less: tool("init-dom0less"), modules: modules)
    }

    static func cacheKey(_ packages: [ResolvedPackage], kernel: FetchedPackage, epoch: SourceDateEpoch) throws -> String {
        var text = "xen-board toolstack rootfs 2 (merged /usr)\nepoch \(epoch.seconds)\nkernel \(kernel.name) \(kernel.version) \(kernel.sha256)\n"
        text += "modules " + ToolstackContents.modules.joined(separator: " ") + "\n"
        text += "exclude " + ToolstackContents.excludedPrefixes.joined(separator: " ") + "\n"
        for p in packages { text += "\(p.name) \(p.arch) \(p.version) \(p.sha256)\n" }
        return try SHA256.hex(Array(text.utf8))
    }

    static func load(_ archiveFile: URL, _ descriptionFile: URL, key: String) -> ToolstackRootFS? {
        guard let json = FileManager.default.contents(atPath: descriptionFile.path),
              let description = try? JSONDecoder().decode(Description.self, from: json), description.key == key,
              let data = FileManager.default.contents(atPath: archiveFile.path), Gzip.isCompressed([UInt8](data.prefix(2)))
        else { return nil }
        return ToolstackRootFS(archive: [UInt8](data), description: description, packed: false)
    }

    /// Archive first, description last (the description is what marks the pair complete), each renamed into place.
    static func store(_ gz: [UInt8], _ description: Description, _ archiveFile: URL, _ descriptionFile: URL, scratch: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        let json = try encoder.encode(description)
        for (bytes, file) in [(Data(gz), archiveFile), (json, descriptionFile)] {
            let temporary = scratch.appendingPathComponent(file.lastPathComponent)
            try bytes.write(to: temporary)
            guard rename(temporary.path, file.path) == 0 else {
                throw RootFilesystemError("\(file.path): cannot be written (\(String(cString: strerror(errno))))")
            }
        }
    }
}
