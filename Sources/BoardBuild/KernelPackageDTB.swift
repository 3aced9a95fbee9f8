import BootInputs
import Foundation
import XenArm

/// A DTB from Debian's kernel package (what `[dtb] kernel-dtb` names), for commands that start from one before a
/// board file exists (`xen-board new --kernel-dtb`). The same package and lookup as `build`.
public enum KernelPackageDTB {
    /// The bytes of `usr/lib/linux-image-*/PATH` in the kernel package `build` uses for `arch` and `version`, and a
    /// line saying where they came from. A path the package does not have is an error naming it and the package.
    public static func read(_ path: String, arch: Architecture, version: XenVersion, cache: URL? = nil,
                            progress: @escaping (String) -> Void) throws -> (bytes: [UInt8], source: String) {
        let packages = try BoardInputs.packageCache(for: version, root: cache)
        let meta = arch == .arm64 ? "linux-image-arm64" : "linux-image-armmp-lpae"
        let resolved = try packages.resolveMeta(meta, arch: arch.debianArchitecture)
        progress("kernel package \(resolved.name) \(resolved.version)")
        let pkg = try packages.fetch(resolved, progress: progress)
        let url = try pkg.file(matching: "usr/lib/linux-image-*/\(path)")
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw Builder.BuildError("dtb file \(url.path): cannot be read")
        }
        return ([UInt8](data), "debian:\(pkg.name) \(path)")
    }
}
