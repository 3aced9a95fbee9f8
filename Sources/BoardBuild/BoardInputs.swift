import BoardFile
import BootInputs
import DeviceTree
import Foundation
import Infrastructure
import PrivateApt
import XenArm

/// The files a build starts from: Xen, the Dom0 kernel, busybox and the board's DTB, from Debian's packages (cached
/// by version and sha256) or the user's paths, each checked against the board's architecture by its header.
struct BoardInputs {
    let xen: [UInt8]
    /// Nil until a source-built Xen replaces the (then empty) `xen`: `build --xen source` fetches no prebuilt one.
    let xenImage: KernelImage?
    let kernel: [UInt8]
    let kernelImage: KernelImage
    let busybox: [UInt8]
    let dtb: [UInt8]
    let dtbSource: String
    var manifestInputs: [Manifest.Input]
    /// Where `xen` and `kernel` were read from when that is the package cache's unpacked tree (keyed by the
    /// package's SHA-256, made read-only and checked on every reuse by `PackageCache.linkable`): the output links
    /// these instead of writing a copy. Nil for the user's files.
    var xenFile: URL? = nil
    var kernelFile: URL? = nil
    /// Debian's kernel package when Dom0 runs Debian's kernel (a toolstack root filesystem takes its modules).
    var kernelPackage: FetchedPackage? = nil

    /// `prebuiltXen: false` (`build --xen source`): Debian's hypervisor package is neither fetched nor required
    /// (a version Debian ships no binary of for the architecture still builds); `replacingXen` supplies the image.
    static func gather(_ board: Board, cache: URL?, scratch: URL, prebuiltXen: Bool = true,
                       progress: @escaping (String) -> Void) throws -> BoardInputs {
        let g = InputGathering(board: board, packages: try packageCache(for: board.xenVersion, root: cache), progress: progress)
        let (xen, xenFile, xenImage): ([UInt8], URL?, KernelImage?) = prebuiltXen ? try g.xen() : ([], nil, nil)
        let (kernel, kernelFile, kernelImage) = try g.dom0Kernel()
        let busybox = try g.busybox()
        let (dtb, dtbSource) = try g.deviceTree(scratch: scratch)
        var inputs = BoardInputs(xen: xen, xenImage: xenImage, kernel: kernel, kernelImage: kernelImage, busybox: busybox, dtb: dtb,
                                 dtbSource: dtbSource, manifestInputs: g.inputs, xenFile: xenFile, kernelFile: kernelFile)
        if board.dom0Kernel == .debian { inputs.kernelPackage = try g.kernelPkg() }
        return inputs
    }

    /// Debian's packages for a Xen version: Debian 12's through the machine's apt (this machine runs Debian 12),
    /// Debian 13's through the private apt configuration (`PrivateApt`), so kernel and busybox match the hypervisor's
    /// release (Linux 6.12 with Xen 4.20).
    static func packageCache(for version: XenVersion, root: URL?) throws -> PackageCache {
        guard let release = DebianRelease(rawValue: version.debianRelease) else { throw Builder.BuildError("no Debian release for Xen \(version)") }
        if release == .debian12, HostRelease.codename() == release.codename { return PackageCache(root: root) }
        return try PackageCache(root: root, release: release)
    }

    /// The same inputs with another Xen image (e.g. one built from source), checked like Debian's.
    func replacingXen(_ image: [UInt8], source: String) throws -> BoardInputs {
        let kind = try KernelImage.detect(image)
        var inputs = BoardInputs(xen: image, xenImage: kind, kernel: kernel, kernelImage: kernelImage, busybox: busybox, dtb: dtb, dtbSource: dtbSource,
                                 manifestInputs: manifestInputs.filter { $0.role != "xen" } + [.init(role: "xen", source: source, sha256: try Tools.sha256(image))],
                                 xenFile: nil, kernelFile: kernelFile)
        inputs.kernelPackage = kernelPackage
        return inputs
    }

    /// The tree QEMU builds for the machine, with the same options as the boot. The random `rng-seed` and
    /// `kaslr-seed` it adds to /chosen are removed, so the build is reproducible (QEMU does not patch a tree
    /// that arrives through U-Boot or -dtb; Xen and Linux do not need them).
    /// QEMU's device tree for the board's machine, from the dump cache when QEMU, firmware and options are unchanged.
    static func qemuDump(_ board: Board, _ q: Board.QEMU, scratch: URL, cacheRoot: URL,
                         progress: (String) -> Void) throws -> [UInt8] {
        let file = scratch.appendingPathComponent(".qemu-dump.dtb")
        defer { try? FileManager.default.removeItem(at: file) }
        var args = QEMUCommand.machineArguments(q)
        // The firmware changes the machine: with -bios, virt has no PL061/gpio-keys. Dump exactly what boots.
        let firmware = q.boot == .uboot ? QEMUCommand.uboot(for: board.arch) : nil
        if let firmware { args += ["-bios", firmware] }
        let executable = QEMUCommand.executable(for: board.arch)
        let cache = QEMUDumpCache(cacheRoot: cacheRoot)
        let entry = cache.entry(executable: executable, arguments: args, firmware: firmware)
        if let entry, let cached = cache.load(entry), (try? DTBDecoder.decode(cached)) != nil {
            progress("using QEMU's \(q.machine) device tree dumped before (same QEMU, firmware and options)")
            return cached
        }
        progress("dumping QEMU's \(q.machine) device tree")
        if let i = args.firstIndex(of: "-machine") { args[i + 1] += ",dumpdtb=\(file.path)" }
        try Tools.run(executable, args)
        guard let data = FileManager.default.contents(atPath: file.path) else { throw Builder.BuildError("QEMU wrote no device tree") }
        let tree = try DTBDecoder.decode([UInt8](data))
        if let chosen = tree.node(at: "/chosen") {
            chosen.removeProperty("rng-seed")
            chosen.removeProperty("kaslr-seed")
        }
        let bytes = try DTBEncoder.encode(tree)
        if let entry { cache.store(bytes, at: entry) }
        return bytes
    }
}

/// One `gather`: the package cache, the inputs recorded for the manifest so far, and the kernel package (fetched
/// once, for the Dom0 kernel and the kernel-package DTB).
private final class InputGathering {
    let board: Board
    let packages: PackageCache
    let progress: (String) -> Void
    private(set) var inputs: [Manifest.Input] = []
    private var kernelPackage: FetchedPackage?

    init(board: Board, packages: PackageCache, progress: @escaping (String) -> Void) {
        self.board = board
        self.packages = packages
        self.progress = progress
    }

    var debArch: String { board.arch.debianArchitecture }
    var imageArch: ImageArch { board.arch == .arm64 ? .arm64 : .arm32 }

    func kernelPkg() throws -> FetchedPackage {
        if let k = kernelPackage { return k }
        let meta = board.arch == .arm64 ? "linux-image-arm64" : "linux-image-armmp-lpae"
        let resolved = try packages.resolveMeta(meta, arch: debArch)
        progress("kernel package \(resolved.name) \(resolved.version)")
        let k = try packages.fetch(resolved, progress: progress)
        kernelPackage = k
        return k
    }

    func record(_ role: String, _ pkg: FetchedPackage) {
        inputs.append(.init(role: role, source: "debian:\(pkg.name) \(pkg.version) \(pkg.arch)", sha256: pkg.sha256))
    }

    func read(_ url: URL, role: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw Builder.BuildError("\(role) file \(url.path): cannot be read")
        }
        return [UInt8](data)
    }

    /// A file the board file names: read, and recorded with its digest.
    func user(_ path: String, role: String) throws -> [UInt8] {
        let bytes = try read(URL(fileURLWithPath: path), role: role)
        inputs.append(.init(role: role, source: path, sha256: try Tools.sha256(bytes)))
        return bytes
    }

    /// Debian's hypervisor (or the board file's image), checked to be a Xen image of the board's architecture.
    func xen() throws -> ([UInt8], URL?, KernelImage) {
        let version = board.xenVersion
        let xen: [UInt8]
        var file: URL?
        switch board.xen {
        case .debian:
            if let problem = version.requirePrebuilt(board.arch) { throw Builder.BuildError("\(board.file): \(problem)") }
            let pkg = try packages.fetch(version.hypervisorPackage(board.arch), arch: debArch, progress: progress)
            record("xen", pkg)
            let f = try packages.linkable(try pkg.file(matching: version.hypervisorFile(board.arch)), of: pkg, progress: progress)
            xen = try read(f, role: "xen")
            file = f
            try requireKconfig(board.dom0lessKconfig, in: pkg, version: version)
        case .path(let p):
            xen = try user(p, role: "xen")
        }
        let image = try KernelImage.detect(xen)
        try image.requireArch(imageArch, role: "Xen", file: board.xen == .debian ? version.hypervisorPackage(board.arch) : nil, board: board.name)
        return (xen, file, image)
    }

    /// Debian's hypervisor must be built with what the board's dom0less properties need (`LLC_COLORING` for
    /// `llc-colors`), as its own `boot/xen-<version>-<arch>.config` says; else the board needs a source build.
    func requireKconfig(_ symbols: [String], in pkg: FetchedPackage, version: XenVersion) throws {
        guard !symbols.isEmpty else { return }
        let path = try pkg.file(matching: version.hypervisorFile(board.arch) + ".config")
        let lines = Set(String(decoding: try read(path, role: "xen config"), as: UTF8.self).split(separator: "\n").map(String.init))
        let missing = symbols.filter { !lines.contains("CONFIG_\($0)=y") }
        guard !missing.isEmpty else { return }
        let keys = board.dom0lessBindings.filter { $0.kconfig.map(missing.contains) ?? false }.map { "[[domu]] \($0.property)" }
        throw Builder.BuildError("\(board.file): \(keys.joined(separator: ", ")) needs a Xen built with \(missing.map { "CONFIG_\($0)" }.joined(separator: ", ")), which Debian's \(version.hypervisorPackage(board.arch)) is not (\(path.lastPathComponent)): build Xen \(version) from source (`build --xen source`, or [xen] image = \"source\"), whose generated configuration turns it on")
    }

    /// Debian's kernel (or the board file's), checked to be a kernel image of the board's architecture.
    func dom0Kernel() throws -> ([UInt8], URL?, KernelImage) {
        let kernel: [UInt8]
        var file: URL?
        let kernelName: String
        switch board.dom0Kernel {
        case .debian:
            let pkg = try kernelPkg()
            record("dom0 kernel", pkg)
            let f = try packages.linkable(try pkg.file(matching: "boot/vmlinuz-*"), of: pkg, progress: progress)
            kernel = try read(f, role: "kernel")
            file = f
            kernelName = pkg.name
        case .path(let p):
            kernel = try user(p, role: "dom0 kernel")
            kernelName = p
        }
        let image = try KernelImage.detect(kernel)
        try image.requireArch(imageArch, role: "Dom0 kernel", file: kernelName, board: board.name)
        return (kernel, file, image)
    }

    /// busybox for the initramfs.
    func busybox() throws -> [UInt8] {
        let bb = try packages.fetch("busybox-static", arch: debArch, progress: progress)
        record("busybox", bb)
        // Debian 12 ships /bin/busybox; Debian 13 (merged /usr) /usr/bin/busybox.
        let path = try (try? bb.file(matching: "usr/bin/busybox")) ?? bb.file(matching: "bin/busybox")
        return try read(path, role: "busybox")
    }

    /// The board's device tree and where it came from.
    func deviceTree(scratch: URL) throws -> ([UInt8], String) {
        switch board.dtb {
        case .kernelPackage(let rel):
            let pkg = try kernelPkg()
            let url = try pkg.file(matching: "usr/lib/linux-image-*/\(rel)")
            let dtb = try read(url, role: "dtb")
            let source = "debian:\(pkg.name) \(rel)"
            inputs.append(.init(role: "dtb", source: source, sha256: try Tools.sha256(dtb)))
            return (dtb, source)
        case .path(let p):
            return (try user(p, role: "dtb"), p)
        case .qemuDump:
            guard let q = board.qemu else { throw Builder.BuildError("\(board.file): qemu-dumpdtb needs [qemu]") }
            let dtb = try BoardInputs.qemuDump(board, q, scratch: scratch, cacheRoot: packages.root, progress: progress)
            let source = "qemu -machine \(q.machine),dumpdtb"
            inputs.append(.init(role: "dtb", source: source, sha256: try Tools.sha256(dtb)))
            return (dtb, source)
        }
    }
}
