import Foundation
import Infrastructure

/// The kernel modules a root filesystem carries: the wanted modules and everything they depend on, taken from the
/// kernel package's unpacked tree, with the index files of depmod (kmod's `depmod -b DIR VERSION`, run on the host:
/// it reads foreign-architecture modules, and unpacking a package runs no maintainer script that would do it).
struct KernelModules {
    /// `lib/modules/VERSION` or `usr/lib/modules/VERSION` (merged /usr), relative to the package root.
    let directory: String
    let version: String
    /// Module files relative to `directory` (`kernel/drivers/xen/xenfs/xenfs.ko`), dependencies included, sorted.
    let files: [String]
    /// Wanted modules the kernel has built in (nothing to load).
    let builtIn: [String]
    /// `files` in an order `insmod` can load them: every module after the modules it needs (modules.dep, followed
    /// the way modprobe follows it), the wanted modules in the order asked.
    var loadOrder: [String] = []

    /// Finds `wanted` (module names; `-` and `_` are the same, as modprobe treats them) and their dependencies
    /// under `kernelRoot`, running depmod over the package's whole module tree in `scratch`.
    static func select(_ wanted: [String], kernelRoot: URL, scratch: URL) throws(RootFilesystemError) -> KernelModules {
        let (directory, version) = try modulesDirectory(kernelRoot)
        let source = kernelRoot.appendingPathComponent(directory)
        let base = scratch.appendingPathComponent("all")
        let target = base.appendingPathComponent("lib/modules/\(version)")
        do {
            try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(at: target.appendingPathComponent("kernel"),
                                                       withDestinationURL: source.appendingPathComponent("kernel"))
            for name in ["modules.order", "modules.builtin", "modules.builtin.modinfo"] {
                let from = source.appendingPathComponent(name)
                if FileManager.default.fileExists(atPath: from.path) {
                    try FileManager.default.copyItem(at: from, to: target.appendingPathComponent(name))
                }
            }
        } catch {
            throw RootFilesystemError("\(scratch.path): cannot prepare depmod's tree (\(error.localizedDescription))")
        }
        try depmod(base: base, version: version)
        let dependencies = parseModulesDep(read(target.appendingPathComponent("modules.dep")))
        let builtin = Set(read(target.appendingPathComponent("modules.builtin")).split(separator: "\n").map { moduleName(String($0)) })
        var byName: [String: String] = [:]
        for file in dependencies.keys { byName[moduleName(file)] = file }
        var files = Set<String>()
        var builtIn: [String] = []
        for name in wanted {
            let key = normalize(name)
            guard let file = byName[key] else {
                if builtin.contains(key) { builtIn.append(name); continue }
                throw RootFilesystemError("kernel module \(name): not in \(source.path) (neither a module nor built in)")
            }
            files.insert(file)
            for dep in dependencies[file] ?? [] { files.insert(dep) }
        }
        var modules = KernelModules(directory: directory, version: version, files: files.sorted(), builtIn: builtIn)
        for name in wanted { if let file = byName[normalize(name)] { try modules.appendLoading(file, dependencies, depth: 0) } }
        return modules
    }

    /// Appends `file` to `loadOrder` after what it needs, each once.
    private mutating func appendLoading(_ file: String, _ dependencies: [String: [String]], depth: Int) throws(RootFilesystemError) {
        guard !loadOrder.contains(file) else { return }
        guard depth < 64 else { throw RootFilesystemError("kernel module \(file): dependencies nested more than 64 deep in modules.dep") }
        for dep in dependencies[file] ?? [] { try appendLoading(dep, dependencies, depth: depth + 1) }
        if !loadOrder.contains(file) { loadOrder.append(file) }
    }

    /// depmod's index files for exactly `files`, built in `scratch/subset` from copies of the modules.
    func index(kernelRoot: URL, scratch: URL) throws(RootFilesystemError) -> [(name: String, file: URL)] {
        let source = kernelRoot.appendingPathComponent(directory)
        let base = scratch.appendingPathComponent("subset")
        let target = base.appendingPathComponent("lib/modules/\(version)")
        do {
            for file in files {
                let to = target.appendingPathComponent(file)
                try FileManager.default.createDirectory(at: to.deletingLastPathComponent(), withIntermediateDirectories: true)
                try FileManager.default.copyItem(at: source.appendingPathComponent(file), to: to)
            }
            for name in ["modules.order", "modules.builtin", "modules.builtin.modinfo"] {
                let from = source.appendingPathComponent(name)
                if FileManager.default.fileExists(atPath: from.path) {
                    try FileManager.default.copyItem(at: from, to: target.appendingPathComponent(name))
                }
            }
        } catch {
            throw RootFilesystemError("\(base.path): cannot copy the modules (\(error.localizedDescription))")
        }
        try Self.depmod(base: base, version: version)
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: target.path)) ?? []).filter { $0.hasPrefix("modules.") }
        return names.sorted().map { ($0, target.appendingPathComponent($0)) }
    }

    static func depmod(base: URL, version: String) throws(RootFilesystemError) {
        let result: ProcessResult
        do { result = try ProcessRunner.run("depmod", ["-b", base.path, version], timeout: 300) } catch {
            throw RootFilesystemError("depmod (kmod) is needed to index the kernel modules: install Debian's kmod package (\(error))")
        }
        guard result.status == 0, !result.timedOut else {
            throw RootFilesystemError("depmod -b \(base.path) \(version) failed (status \(result.status)): \(result.diagnostic.suffix(400))")
        }
    }

    /// `lib/modules/V` or `usr/lib/modules/V` of the kernel package: exactly one version.
    static func modulesDirectory(_ root: URL) throws(RootFilesystemError) -> (String, String) {
        for parent in ["lib/modules", "usr/lib/modules"] {
            let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(parent).path)) ?? [])
                .filter { !$0.hasPrefix(".") }
            if versions.count == 1, let v = versions.first { return (parent + "/" + v, v) }
            if versions.count > 1 { throw RootFilesystemError("\(root.path)/\(parent): \(versions.count) kernel versions, expected 1") }
        }
        throw RootFilesystemError("\(root.path): no lib/modules/VERSION (is this Debian's kernel package?)")
    }

    /// `kernel/a.ko: kernel/b.ko kernel/c.ko` lines.
    static func parseModulesDep(_ text: String) -> [String: [String]] {
        var result: [String: [String]] = [:]
        for line in text.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            result[String(line[..<colon])] = line[line.index(after: colon)...].split(separator: " ").map(String.init)
        }
        return result
    }

    /// `kernel/drivers/xen/xen-evtchn.ko.xz` -> `xen_evtchn`.
    static func moduleName(_ path: String) -> String {
        var name = Substring(path.split(separator: "/").last ?? "")
        for suffix in [".xz", ".zst", ".gz"] where name.hasSuffix(suffix) { name = name.dropLast(suffix.count) }
        if name.hasSuffix(".ko") { name = name.dropLast(3) }
        return normalize(String(name))
    }

    static func normalize(_ name: String) -> String { name.replacingOccurrences(of: "-", with: "_") }

    static func read(_ url: URL) -> String {
        FileManager.default.contents(atPath: url.path).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }
}
