import Foundation
import XenArm

/// Configures and cross-builds Xen in a work tree (see `XenSourceTree.withWorkTree`): generated files synced into
/// the tree (`TreeFiles`), configured (`XenConfigure`: defconfig + fragment + olddefconfig + the fragment check,
/// skipped when unchanged), then `make -jN` with make's own dependency tracking, so a kept tree rebuilds only what
/// changed. Logs are kept next to the tree (`<tree>/../<phase>-<arch>.log`).
public enum XenBuild {
    public struct Result: Sendable {
        /// `xen/xen`: the arm64 `Image` or the arm32 `zImage`.
        public let image: URL
        /// The final `xen/.config`.
        public let config: URL
        /// The build log (every make invocation's output).
        public let log: URL
        /// Objects compiled by this build (CC/AS lines in the log, e.g. `arch/arm/platforms/x.o`).
        public let compiled: [String]
        /// Whether Kconfig ran (false: the configuration was unchanged since the tree's last build).
        public let reconfigured: Bool
        /// Generated files of an earlier build that this one did not write: restored from the tree's original, or
        /// removed.
        public let undone: [String]
        public let seconds: Double
        /// Seconds of the final `make` (the compile and link, configuration excluded).
        public let makeSeconds: Double

        public var objects: Int { compiled.count }
    }

    public struct CompileCheckResult: Sendable {
        public let objects: [URL]
        public let config: URL
        public let log: URL
        public let seconds: Double
    }

    static func toolchain(_ arch: Architecture) -> (gcc: String, package: String) {
        (arch.crossCompiler, arch.facts.crossPackage)
    }

    /// The host tools a build needs, as errors when missing.
    public static func checkTools(_ arch: Architecture) throws(XenSourceError) {
        _ = try Tool.require("make", package: "make")
        let tc = toolchain(arch)
        _ = try Tool.require(tc.gcc, package: tc.package)
        _ = try Tool.require("bison", package: "bison")
        _ = try Tool.require("flex", package: "flex")
    }

    /// Builds `xen/xen` (incrementally in a kept tree) and checks it is an image of `arch`.
    public static func build(tree: URL, arch: Architecture, files: [GeneratedFile] = [], fragment: ConfigFragment = ConfigFragment(entries: []),
                             identity: BuildIdentity = BuildIdentity(), jobs: Int? = nil,
                             progress: (String) -> Void = { _ in }) throws(XenSourceError) -> Result
    {
        let start = Date()
        let make = XenMake(tree: tree, arch: arch, identity: identity, log: XenMake.logURL(tree: tree, phase: "build", arch: arch))
        return try WorkTreeStamp.changing(tree) { () throws(XenSourceError) -> Result in
            let prepared = try prepare(make, files: files, fragment: fragment, progress: progress)
            let n = max(1, jobs ?? ProcessInfo.processInfo.activeProcessorCount)
            progress("compiling Xen (\(arch.rawValue), make -j\(n)); log: \(make.log.path)")
            let compileStart = Date()
            try make.run(["-j\(n)"]) { elapsed in
                progress("still compiling (\(Int(elapsed)) s, \(XenMake.compiledObjects(in: make.log).count) objects)")
            }
            let makeSeconds = Date().timeIntervalSince(compileStart)
            let image = tree.appendingPathComponent("xen/xen")
            let kind = try XenImage.check(image, arch: arch)
            let compiled = XenMake.compiledObjects(in: make.log)
            progress("built \(kind) in \(String(format: "%.1f", makeSeconds)) s (\(compiled.count) objects compiled): \(image.path)")
            return Result(image: image, config: prepared.config, log: make.log, compiled: compiled, reconfigured: prepared.reconfigured,
                          undone: prepared.undone, seconds: Date().timeIntervalSince(start), makeSeconds: makeSeconds)
        }
    }

    /// Configures as `build` does, then compiles only `objects` (paths relative to `xen/`, e.g.
    /// `arch/arm/platforms/vexpress.o`) after generating the headers every object needs (asm-offsets.h etc.): a
    /// fast check that generated C compiles, without a full build. With no objects, the `.o` of every generated
    /// `.c` under `xen/` is compiled.
    public static func compileCheck(tree: URL, arch: Architecture, files: [GeneratedFile] = [],
                                    fragment: ConfigFragment = ConfigFragment(entries: []), objects: [String] = [],
                                    identity: BuildIdentity = BuildIdentity(),
                                    progress: (String) -> Void = { _ in }) throws(XenSourceError) -> CompileCheckResult
    {
        let start = Date()
        var targets = objects
        if targets.isEmpty {
            targets = files.map(\.path).filter { $0.hasPrefix("xen/") && $0.hasSuffix(".c") }
                .map { String($0.dropFirst(4).dropLast(2)) + ".o" }
        }
        guard !targets.isEmpty else { throw .invalidFilePath("compile check: no objects named and no generated .c files") }
        for t in targets {
            guard t.hasSuffix(".o"), !t.hasPrefix("/"), !t.split(separator: "/").contains("..") else { throw .invalidFilePath(t) }
        }
        let make = XenMake(tree: tree, arch: arch, identity: identity, log: XenMake.logURL(tree: tree, phase: "compile-check", arch: arch))
        return try WorkTreeStamp.changing(tree) { () throws(XenSourceError) -> CompileCheckResult in
            let config = try prepare(make, files: files, fragment: fragment, progress: progress).config
            progress("preparing generated headers (asm-offsets.h, compile.h)")
            // Xen's top-level Makefile generates these only on the way to `xen`; this extra makefile runs the same
            // sub-makes as its `$(TARGET)` recipe, minus the final link.
            let prepare = tree.deletingLastPathComponent().appendingPathComponent("xen-board-prepare.mk")
            // Xen 4.20's $(TARGET) also depends on `asm-generic` (generic asm/ headers such as asm/percpu.h); 4.17 has none.
            let needsAsmGeneric = ((try? Files.read(tree.appendingPathComponent("xen/Makefile"))) ?? "").contains("\nasm-generic:")
            let text = needsAsmGeneric ? XenMake.prepareMakefile.replacingOccurrences(of: "outputmakefile FORCE", with: "outputmakefile asm-generic FORCE")
                : XenMake.prepareMakefile
            try Files.write(Data(text.utf8), to: prepare)
            try make.run(["-f", "Makefile", "-f", prepare.path, "xen-board-prepare"])
            progress("compiling \(targets.joined(separator: ", "))")
            try make.run(targets)
            let urls = targets.map { tree.appendingPathComponent("xen/" + $0) }
            for u in urls where !Files.exists(u) {
                throw .commandFailed(command: "make \(u.lastPathComponent)", status: 0, excerpt: ["\(u.path) was not produced"], log: make.log.path)
            }
            progress("compiled \(targets.count) object(s) in \(String(format: "%.1f", Date().timeIntervalSince(start))) s")
            return CompileCheckResult(objects: urls, config: config, log: make.log, seconds: Date().timeIntervalSince(start))
        }
    }

    /// Syncs `files` into the tree and configures it (see `XenConfigure`). Returns `xen/.config`.
    @discardableResult
    public static func configure(tree: URL, arch: Architecture, files: [GeneratedFile], fragment: ConfigFragment, log: URL,
                                 identity: BuildIdentity = BuildIdentity(), progress: (String) -> Void) throws(XenSourceError) -> URL
    {
        let make = XenMake(tree: tree, arch: arch, identity: identity, log: log)
        return try WorkTreeStamp.changing(tree) { () throws(XenSourceError) -> URL in
            try prepare(make, files: files, fragment: fragment, progress: progress).config
        }
    }

    struct Prepared {
        let config: URL
        let reconfigured: Bool
        let undone: [String]
    }

    /// Checks the tools and the tree, starts a new log, syncs the generated files and configures.
    static func prepare(_ make: XenMake, files: [GeneratedFile], fragment: ConfigFragment,
                        progress: (String) -> Void) throws(XenSourceError) -> Prepared {
        try checkTools(make.arch)
        guard Files.isDirectory(make.tree.appendingPathComponent("xen/arch/arm")) else {
            throw .fileSystem(path: make.tree.path, operation: "build in", detail: "not a Xen source tree (no xen/arch/arm)")
        }
        Files.remove(make.log)
        let synced = try TreeFiles.sync(files, into: make.tree)
        if !files.isEmpty || !synced.restored.isEmpty || !synced.removed.isEmpty {
            progress("generated files: \(synced.written.count) of \(files.count) written (changed), \(files.count - synced.written.count) unchanged"
                + (synced.restored.isEmpty ? "" : ", restored to Xen's version: \(synced.restored.joined(separator: ", "))")
                + (synced.removed.isEmpty ? "" : ", removed (no longer generated): \(synced.removed.joined(separator: ", "))"))
        }
        let configured = try XenConfigure.run(make, fragment: fragment, files: files, progress: progress)
        return Prepared(config: configured.config, reconfigured: configured.reconfigured, undone: synced.restored + synced.removed)
    }
}
