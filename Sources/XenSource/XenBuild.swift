import Foundation
import XenArm

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

/// Configures and cross-builds Xen in a work tree (see `XenSourceTree.workTree`): generated files written, then
/// `make defconfig`, the fragment appended to `xen/.config`, `make olddefconfig`, a check that Kconfig kept every
/// fragment line, and `make -jN`. Logs are kept next to the tree (`<tree>/../<phase>-<arch>.log`).
public enum XenBuild {
    public struct Result: Sendable {
        /// `xen/xen`: the arm64 `Image` or the arm32 `zImage`.
        public let image: URL
        /// The final `xen/.config`.
        public let config: URL
        /// The build log (every make invocation's output).
        public let log: URL
        /// Objects compiled (CC/AS lines in the log).
        public let objects: Int
        public let seconds: Double
    }

    public struct CompileCheckResult: Sendable {
        public let objects: [URL]
        public let config: URL
        public let log: URL
        public let seconds: Double
    }

    /// `XEN_TARGET_ARCH` and `CROSS_COMPILE` for an architecture (Debian's cross toolchains).
    public static func makeVariables(_ arch: Architecture) -> [String] {
        ["XEN_TARGET_ARCH=\(arch.facts.xenTargetArch)", "CROSS_COMPILE=\(arch.facts.crossPrefix)"]
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

    /// Full build. Returns `xen/xen` after checking it is an image of `arch`.
    public static func build(tree: URL, arch: Architecture, files: [GeneratedFile] = [], fragment: ConfigFragment = ConfigFragment(entries: []),
                             jobs: Int? = nil, progress: (String) -> Void = { _ in }) throws(XenSourceError) -> Result
    {
        let start = Date()
        let log = logURL(tree: tree, phase: "build", arch: arch)
        let config = try configure(tree: tree, arch: arch, files: files, fragment: fragment, log: log, progress: progress)
        let n = max(1, jobs ?? ProcessInfo.processInfo.activeProcessorCount)
        progress("compiling Xen (\(arch.rawValue), make -j\(n)); log: \(log.path)")
        let compileStart = Date()
        try make(tree: tree, arch: arch, targets: ["-j\(n)"], log: log) { elapsed in
            progress("still compiling (\(Int(elapsed)) s, \(countObjects(in: log)) objects)")
        }
        let image = tree.appendingPathComponent("xen/xen")
        let kind = try XenImage.check(image, arch: arch)
        let objects = countObjects(in: log)
        progress("built \(kind) in \(String(format: "%.1f", Date().timeIntervalSince(compileStart))) s (\(objects) objects): \(image.path)")
        return Result(image: image, config: config, log: log, objects: objects, seconds: Date().timeIntervalSince(start))
    }

    /// Configures as `build` does, then compiles only `objects` (paths relative to `xen/`, e.g.
    /// `arch/arm/platforms/vexpress.o`) after generating the headers every object needs (asm-offsets.h etc.): a
    /// fast check that generated C compiles, without a full build. With no objects, the `.o` of every generated
    /// `.c` under `xen/` is compiled.
    public static func compileCheck(tree: URL, arch: Architecture, files: [GeneratedFile] = [],
                                    fragment: ConfigFragment = ConfigFragment(entries: []), objects: [String] = [],
                                    progress: (String) -> Void = { _ in }) throws(XenSourceError) -> CompileCheckResult
    {
        let start = Date()
        let log = logURL(tree: tree, phase: "compile-check", arch: arch)
        let config = try configure(tree: tree, arch: arch, files: files, fragment: fragment, log: log, progress: progress)
        var targets = objects
        if targets.isEmpty {
            targets = files.map(\.path).filter { $0.hasPrefix("xen/") && $0.hasSuffix(".c") }
                .map { String($0.dropFirst(4).dropLast(2)) + ".o" }
        }
        guard !targets.isEmpty else { throw .invalidFilePath("compile check: no objects named and no generated .c files") }
        progress("preparing generated headers (asm-offsets.h, compile.h)")
        // Xen's top-level Makefile generates these only on the way to `xen`; this extra makefile runs the same
        // sub-makes as its `$(TARGET)` recipe, minus the final link.
        let prepare = tree.deletingLastPathComponent().appendingPathComponent("xen-board-prepare.mk")
        // Xen 4.20's $(TARGET) also depends on `asm-generic` (the generic asm/ headers such as asm/percpu.h); 4.17 has no such target.
        let needsAsmGeneric = ((try? Files.read(tree.appendingPathComponent("xen/Makefile"))) ?? "").contains("\nasm-generic:")
        let prepareText = needsAsmGeneric ? prepareMakefile.replacingOccurrences(of: "outputmakefile FORCE", with: "outputmakefile asm-generic FORCE") : prepareMakefile
        try Files.write(Data(prepareText.utf8), to: prepare)
        try make(tree: tree, arch: arch, targets: ["-f", "Makefile", "-f", prepare.path, "xen-board-prepare"], log: log)
        for t in targets {
            guard t.hasSuffix(".o"), !t.hasPrefix("/"), !t.split(separator: "/").contains("..") else { throw .invalidFilePath(t) }
        }
        progress("compiling \(targets.joined(separator: ", "))")
        try make(tree: tree, arch: arch, targets: targets, log: log)
        let urls = targets.map { tree.appendingPathComponent("xen/" + $0) }
        for u in urls where !Files.exists(u) {
            throw .commandFailed(command: "make \(u.lastPathComponent)", status: 0, excerpt: ["\(u.path) was not produced"], log: log.path)
        }
        progress("compiled \(targets.count) object(s) in \(String(format: "%.1f", Date().timeIntervalSince(start))) s")
        return CompileCheckResult(objects: urls, config: config, log: log, seconds: Date().timeIntervalSince(start))
    }

    /// Writes `files`, runs `defconfig`, appends the fragment, runs `olddefconfig` and checks the fragment survived.
    /// Returns `xen/.config`.
    @discardableResult
    public static func configure(tree: URL, arch: Architecture, files: [GeneratedFile], fragment: ConfigFragment, log: URL,
                                 progress: (String) -> Void) throws(XenSourceError) -> URL
    {
        try checkTools(arch)
        guard Files.isDirectory(tree.appendingPathComponent("xen/arch/arm")) else {
            throw .fileSystem(path: tree.path, operation: "build in", detail: "not a Xen source tree (no xen/arch/arm)")
        }
        try? FileManager.default.removeItem(at: log)
        if !files.isEmpty {
            progress("writing \(files.count) generated file(s) into the tree")
            try write(files, into: tree)
        }
        let config = tree.appendingPathComponent("xen/.config")
        // A kept work tree configured from the same fragment and Kconfig files is not configured again: Kconfig
        // rewrites include/generated/autoconf.h, and that alone recompiles every object.
        let keyFile = tree.appendingPathComponent("xen/.xen-board-config-key")
        let key = configKey(fragment: fragment, files: files, arch: arch)
        if Files.exists(config), (try? Files.read(keyFile)) == key {
            progress("configuration unchanged since the last build of this tree: not reconfiguring")
            return config
        }
        Files.remove(keyFile)
        progress("configuring (\(arch.rawValue) defconfig\(fragment.entries.isEmpty ? "" : " + \(fragment.entries.count)-line fragment"), olddefconfig)")
        try make(tree: tree, arch: arch, targets: ["defconfig"], log: log)
        if !fragment.entries.isEmpty {
            var text = try Files.read(config)
            if !text.hasSuffix("\n") { text += "\n" }
            text += "# xen-board config fragment\n" + fragment.text
            try Files.write(Data(text.utf8), to: config)
        }
        try make(tree: tree, arch: arch, targets: ["olddefconfig"], log: log)
        var dropped = ConfigFragment.check(fragment, against: try Files.read(config))
        if !dropped.isEmpty {
            let xenDir = tree.appendingPathComponent("xen")
            for i in dropped.indices { dropped[i].definition = KconfigLookup.definition(of: dropped[i].symbol, in: xenDir) }
            throw .configDropped(dropped, config: config.path)
        }
        try Files.write(Data(key.utf8), to: keyFile)
        return config
    }

    /// What the configuration depends on: the architecture, the fragment and every generated Kconfig file.
    static func configKey(fragment: ConfigFragment, files: [GeneratedFile], arch: Architecture) -> String {
        var key = "arch=\(arch.rawValue)\n" + fragment.text
        for f in files where f.path.split(separator: "/").last?.hasPrefix("Kconfig") == true {
            key += "\n--- \(f.path)\n" + String(decoding: f.contents, as: UTF8.self)
        }
        return key
    }

    /// Writes each file at its relative path inside `tree`, refusing absolute paths and `..`.
    static func write(_ files: [GeneratedFile], into tree: URL) throws(XenSourceError) {
        for f in files {
            let parts = f.path.split(separator: "/")
            guard !f.path.hasPrefix("/"), !parts.isEmpty, !parts.contains(".."), !parts.contains(".") else {
                throw .invalidFilePath(f.path)
            }
            let url = tree.appendingPathComponent(f.path)
            // Unchanged content keeps its mtime, so an incremental make does not rebuild what depends on it.
            if let existing = FileManager.default.contents(atPath: url.path), existing == f.contents,
               (try? FileManager.default.destinationOfSymbolicLink(atPath: url.path)) == nil { continue }
            try Files.makeDirectory(url.deletingLastPathComponent())
            Files.remove(url) // a hard link or symlink into the pristine tree must not be written through
            try Files.write(f.contents, to: url)
        }
    }

    /// `make -C xen <vars> <targets>` in `tree`, output appended to `log`. Failure: the first compiler errors
    /// (with the offending source line when the file is in the tree), else the log's last lines.
    static func make(tree: URL, arch: Architecture, targets: [String], log: URL,
                     tick: (TimeInterval) -> Void = { _ in }) throws(XenSourceError)
    {
        let makePath = try Tool.require("make", package: "make")
        let arguments = ["-C", "xen"] + makeVariables(arch) + targets
        let header = "\n$ make \(arguments.joined(separator: " "))\n"
        appendText(header, to: log)
        let r = try Tool.run(makePath, arguments, in: tree, log: log, tick: tick)
        guard r.status == 0 else {
            throw .commandFailed(command: "make " + arguments.joined(separator: " "), status: r.status,
                                 excerpt: errorExcerpt(r.output, xenDirectory: tree.appendingPathComponent("xen")), log: log.path)
        }
    }

    /// The first `error:` lines of compiler output (up to 8), each followed by the source line it points at when
    /// that file is readable; when there are none, the last 15 lines.
    public static func errorExcerpt(_ output: String, xenDirectory: URL?) -> [String] {
        let lines = output.split(separator: "\n").map(String.init)
        var excerpt: [String] = []
        var count = 0
        for line in lines where line.contains("error:") || line.contains("Error:") {
            guard count < 8 else { break }
            count += 1
            excerpt.append(line)
            // file:line:col: error: ...
            let parts = line.split(separator: ":", maxSplits: 3, omittingEmptySubsequences: false)
            if parts.count >= 3, let n = Int(parts[1]), n > 0, let dir = xenDirectory {
                let file = String(parts[0])
                let url = file.hasPrefix("/") ? URL(fileURLWithPath: file) : dir.appendingPathComponent(file)
                if let text = try? String(contentsOf: url, encoding: .utf8) {
                    let src = text.split(separator: "\n", omittingEmptySubsequences: false)
                    if n <= src.count { excerpt.append("    \(n) | \(src[n - 1])") }
                }
            }
        }
        return excerpt.isEmpty ? Tool.lastLines(output, 15) : excerpt
    }

    static func logURL(tree: URL, phase: String, arch: Architecture) -> URL {
        tree.deletingLastPathComponent().appendingPathComponent("\(phase)-\(arch.rawValue).log")
    }

    static func appendText(_ text: String, to url: URL) {
        if !Files.exists(url) { _ = FileManager.default.createFile(atPath: url.path, contents: nil) }
        guard let h = try? FileHandle(forWritingTo: url) else { return }
        defer { try? h.close() }
        _ = try? h.seekToEnd()
        try? h.write(contentsOf: Data(text.utf8))
    }

    /// Objects compiled so far: Kbuild's `  CC      x.o` / `  AS      x.o` lines.
    static func countObjects(in log: URL) -> Int {
        guard let text = try? Files.read(log) else { return 0 }
        var n = 0
        for line in text.split(separator: "\n") where line.hasPrefix("  CC ") || line.hasPrefix("  AS ") { n += 1 }
        return n
    }

    static let prepareMakefile = """
    # Written by xen-board: the preparation steps of xen/Makefile's $(TARGET) recipe, without the link, so single
    # objects can be compiled (`make -C xen ... arch/arm/platforms/x.o`).
    .PHONY: xen-board-prepare
    xen-board-prepare: outputmakefile FORCE
    \t$(Q)$(MAKE) $(build)=tools
    \t$(Q)$(MAKE) $(build)=. include/xen/compile.h
    \t$(Q)$(MAKE) $(build)=include all
    \t$(Q)$(MAKE) $(build)=arch/$(SRCARCH) include
    \t$(Q)$(MAKE) $(build)=. arch/$(SRCARCH)/include/asm/asm-offsets.h

    """
}

/// Header checks of Xen's `xen/xen` output.
public enum XenImage {
    /// "ARM\x64" at 0x38 for an arm64 Image; 0x016F2818 (little-endian) at 0x24 for an arm32 zImage. Returns a
    /// short description; throws `badImage` when the file is not the expected kind.
    @discardableResult
    public static func check(_ url: URL, arch: Architecture) throws(XenSourceError) -> String {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw .badImage(path: url.path, detail: "missing after the build")
        }
        let bytes = [UInt8](data)
        func le32(_ o: Int) -> UInt32? {
            guard bytes.count >= o + 4 else { return nil }
            return UInt32(bytes[o]) | UInt32(bytes[o + 1]) << 8 | UInt32(bytes[o + 2]) << 16 | UInt32(bytes[o + 3]) << 24
        }
        switch arch {
        case .arm64:
            guard le32(0x38) == 0x644d_5241 else { throw .badImage(path: url.path, detail: "not an arm64 Image (no \"ARM\\x64\" magic at 0x38)") }
            return "arm64 Image (\(bytes.count) bytes)"
        case .arm32:
            guard le32(0x24) == 0x016f_2818 else { throw .badImage(path: url.path, detail: "not an arm32 zImage (no 0x016f2818 magic at 0x24)") }
            return "arm32 zImage (\(bytes.count) bytes)"
        }
    }
}
