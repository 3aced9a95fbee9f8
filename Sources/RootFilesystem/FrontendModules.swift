import BootInputs
import Foundation
import Infrastructure

/// Kernel modules a guest's report system loads itself with busybox's `insmod` (no modprobe, no modules.dep in
/// the guest): the wanted modules of Debian's kernel package and their dependencies, in load order.
public struct FrontendModules: Sendable {
    /// One module file: its name in the archive (`lib/modules/xen-netfront.ko`) and its bytes.
    public struct File: Sendable, Equatable {
        public let name: String
        public let contents: [UInt8]
    }

    /// Dependencies before the modules that need them; built-in modules are left out.
    public let files: [File]

    /// The PV frontends a guest needs for xl's vif and disk devices (CONFIG_XEN_NETDEV_FRONTEND and
    /// CONFIG_XEN_BLKDEV_FRONTEND are =m in Debian's arm64 and armmp-lpae kernels).
    public static let netfront = "xen-netfront", blkfront = "xen-blkfront"

    /// Selects `wanted` from `kernel` (depmod runs on the host in a scratch directory, as for Dom0's modules).
    public static func select(_ wanted: [String], kernel: FetchedPackage) throws -> FrontendModules {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("xb-frontends-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let modules = try KernelModules.select(wanted, kernelRoot: kernel.root, scratch: scratch)
        let index = try modules.index(kernelRoot: kernel.root, scratch: scratch)
        let dep = KernelModules.parseModulesDep(index.first { $0.name == "modules.dep" }.map { KernelModules.read($0.file) } ?? "")
        var byName: [String: String] = [:]
        for file in dep.keys { byName[KernelModules.moduleName(file)] = file }
        var order: [String] = []
        for name in wanted {
            guard let file = byName[KernelModules.normalize(name)] else { continue }   // built in
            // modules.dep lists what a module needs with the module loaded last first (modprobe loads it reversed).
            for needed in (dep[file] ?? []).reversed() + [file] where !order.contains(needed) { order.append(needed) }
        }
        let root = kernel.root.appendingPathComponent(modules.directory)
        let files = try order.map { path -> File in
            let (base, contents) = try uncompressed(root.appendingPathComponent(path))
            return File(name: "lib/modules/" + base, contents: contents)
        }
        return FrontendModules(files: files)
    }

    /// A module file's name and bytes, an `.xz` or `.zst` one (Debian 13's kernels compress their modules)
    /// decompressed with the host's xz / zstd: busybox's insmod hands the kernel the bytes as they are.
    static func uncompressed(_ file: URL) throws -> (String, [UInt8]) {
        let name = file.lastPathComponent
        for (suffix, tool) in [(".xz", "xz"), (".zst", "zstd")] where name.hasSuffix(suffix) {
            let result: ProcessResult
            do { result = try ProcessRunner.run(tool, ["-dc", file.path], timeout: 120) } catch {
                throw RootFilesystemError("\(file.path): \(tool) is needed to decompress the module (\(error))")
            }
            guard result.status == 0, !result.timedOut else {
                throw RootFilesystemError("\(tool) -dc \(file.path) failed (status \(result.status)): \(result.diagnostic.suffix(300))")
            }
            return (String(name.dropLast(suffix.count)), result.stdoutBytes)
        }
        guard let data = FileManager.default.contents(atPath: file.path) else { throw RootFilesystemError("\(file.path): cannot be read") }
        return (name, [UInt8](data))
    }
}
