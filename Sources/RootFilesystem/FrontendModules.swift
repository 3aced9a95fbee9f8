import BootInputs
import Foundation

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
            guard let data = FileManager.default.contents(atPath: root.appendingPathComponent(path).path) else {
                throw RootFilesystemError("\(root.path)/\(path): cannot be read")
            }
            let base = path.split(separator: "/").last.map(String.init) ?? path
            return File(name: "lib/modules/" + base, contents: [UInt8](data))
        }
        return FrontendModules(files: files)
    }
}
