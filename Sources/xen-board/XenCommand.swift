import ArgumentParser
import BoardFile
import Foundation
import Infrastructure
import XenArm
import PlatformGen
import XenSource

struct XenSourceBuild: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "xen",
        abstract: "Cross-build Xen (4.17 or 4.20) from Debian's source package for a board, optionally with generated files.",
        discussion: """
        Fetches Debian's `xen` source package of the board's Xen version (--xen-version), the newest in any suite of its
        Debian release, security updates included (a private apt configuration under the cache), and prints which;, unpacks it
        once into the cache (~/.cache/xen-board/xen-src, or XEN_BOARD_CACHE), copies it into a fresh work tree,
        writes the files of --files DIR (a tree mirroring Xen's: DIR/xen/arch/arm/platforms/x.c ...; DIR's top-level
        files such as README and patches are not copied), then runs `make defconfig`, appends the config fragment
        (--config-fragment FILE, else DIR/xen/arch/arm/configs/xen-board.fragment when present), `make olddefconfig`,
        checks that Kconfig kept every fragment line, and cross-builds with Debian's gcc-aarch64-linux-gnu /
        gcc-arm-linux-gnueabihf. Writes OUT/xen (the image), OUT/config (the final .config) and OUT/build.log, all
        at once (default OUT: out/BOARD/xen-source).

        Examples:
          xen-board xen qemu-virt-arm64
          xen-board gen vexpress --out /tmp/gen && xen-board xen vexpress --files /tmp/gen
          xen-board xen vexpress --files /tmp/gen --compile-check     # only compile the generated .c files
        """
    )

    @Argument(help: "Board name (see `xen-board boards`) or a board file path.") var board: String
    @Option(help: "Architecture to build (arm64 | arm32; default: the board's).") var arch: String?
    @Option(help: "A defconfig fragment: CONFIG_X=value lines (default: DIR/xen/arch/arm/configs/xen-board.fragment of --files).")
    var configFragment: String?
    @Option(help: "A directory mirroring Xen's tree (DIR/xen/...) whose files are written into the source before configuring.")
    var files: String?
    @Option(help: "Output directory (default out/BOARD/xen-source).") var out: String?
    @OptionGroup var placement: PlacementOptions
    @OptionGroup var version: XenVersionOption
    @Option(help: "Parallel make jobs (default: the number of CPUs).") var jobs: Int?
    @Flag(help: "Configure and compile only the generated .c files (no link, no output written).") var compileCheck = false

    static let fragmentPath = "xen/arch/arm/configs/xen-board.fragment"

    func run() throws {
        let b = version.apply(to: try BoardCatalog.locate().load(board))
        let architecture: Architecture
        if let arch {
            guard let a = Architecture(rawValue: arch) else {
                throw ValidationError("--arch must be arm64 or arm32, not '\(arch)'")
            }
            architecture = a
        } else {
            architecture = b.arch
        }
        var generated = try files.map { try GeneratedFile.load(directory: URL(fileURLWithPath: $0)) } ?? []
        var fragmentFile = configFragment
        if fragmentFile == nil, let files {
            let candidate = URL(fileURLWithPath: files).appendingPathComponent(Self.fragmentPath).path
            if FileManager.default.fileExists(atPath: candidate) { fragmentFile = candidate }
        }
        var fragment = ConfigFragment(entries: [])
        if let fragmentFile {
            guard let data = FileManager.default.contents(atPath: fragmentFile) else {
                throw InputError(file: fragmentFile, detail: "cannot be read")
            }
            do {
                fragment = try ConfigFragment(parsing: String(decoding: data, as: UTF8.self))
            } catch {
                throw InputError(file: fragmentFile, detail: error.description)
            }
            printError("xen: config fragment \(fragmentFile) (\(fragment.entries.count) lines)")
        }
        let progress: (String) -> Void = { printError("xen: \($0)") }
        let clock = ContinuousClock()
        let start = clock.now
        let source = try XenSourceTree.obtain(version: b.xenVersion, progress: progress)
        print("\(b.name): Xen \(b.xenVersion) source \(source.debianVersion) from \(source.origin)")
        progress("copying the source into a work tree")
        let tree = try source.workTree(name: "\(b.name)-\(architecture.rawValue)")
        // `gen` writes its Kconfig choice entry and Makefile line as snippets: apply them to the work tree's files.
        for (snippet, target) in [(GeneratedPort.kconfigSnippetPath, GeneratedPort.kconfigPath), (GeneratedPort.makefileSnippetPath, GeneratedPort.makefilePath)] {
            guard let s = generated.first(where: { $0.path == snippet }) else { continue }
            generated.removeAll { $0.path == snippet }
            guard let original = FileManager.default.contents(atPath: tree.appendingPathComponent(target).path) else {
                throw InputError(file: tree.appendingPathComponent(target).path, detail: "missing in the Xen source")
            }
            let text = String(decoding: original, as: UTF8.self), add = String(decoding: s.contents, as: UTF8.self)
            let edited = target == GeneratedPort.kconfigPath ? try BuildGlue.insertChoiceEntry(add, into: text) : BuildGlue.appendMakefileLine(add, to: text)
            generated.append(GeneratedFile(path: target, text: edited))
        }
        if let files { try Self.applyGeneratedUART(from: URL(fileURLWithPath: files), tree: tree, to: &generated) }
        if compileCheck && !generated.contains(where: { $0.path.hasSuffix(".c") }) {
            // Nothing to compile (the board needs no platform file): check that Kconfig keeps the whole fragment.
            let log = tree.deletingLastPathComponent().appendingPathComponent("configure-check-\(architecture.rawValue).log")
            let config = try XenBuild.configure(tree: tree, arch: architecture, files: generated, fragment: fragment, log: log, progress: progress)
            print("\(b.name): no generated C; configuration check passed (\(architecture.rawValue), Xen \(source.xenVersion)): \(config.path)")
            return
        }
        if compileCheck {
            let r = try XenBuild.compileCheck(tree: tree, arch: architecture, files: generated, fragment: fragment, progress: progress)
            for o in r.objects { print("\(b.name): compiled \(o.path)") }
            print("\(b.name): compile check passed (\(architecture.rawValue), Xen \(source.xenVersion), \(clock.now - start)); log: \(r.log.path)")
            return
        }
        let outDir = URL(fileURLWithPath: out ?? "out/\(b.name)/xen-source")
        // Checked before the long build: a refused output fails now, not after minutes of compiling.
        let staged = try StagedDirectory(destination: outDir.path, force: placement.force)
        let result = try XenBuild.build(tree: tree, arch: architecture, files: generated, fragment: fragment, jobs: jobs, progress: progress)
        try staged.copy(result.image, to: "xen")
        try staged.copy(result.config, to: "config")
        try staged.copy(result.log, to: "build.log")
        try staged.commit()
        print("\(b.name): Xen \(source.xenVersion) (\(source.debianVersion)) built for \(architecture.rawValue) in \(clock.now - start)")
        print("  \(outDir.appendingPathComponent("xen").path)  (\(result.objects) objects; config: \(outDir.appendingPathComponent("config").path))")
    }

    /// `gen` names the generated console driver (DIR/xen-board-uart-driver.txt) and the console's variant
    /// (DIR/xen-board-uart-variant.txt): apply their edits to Xen's files (on top of the files already edited).
    static func applyGeneratedUART(from dir: URL, tree: URL, to generated: inout [GeneratedFile]) throws {
        let current = generated
        let edited = try GeneratedUART.editsNamed(in: dir) { path in
            if let g = current.first(where: { $0.path == path }) { return String(decoding: g.contents, as: UTF8.self) }
            guard let d = FileManager.default.contents(atPath: tree.appendingPathComponent(path).path) else {
                throw InputError(file: tree.appendingPathComponent(path).path, detail: "missing in the Xen source")
            }
            return String(decoding: d, as: UTF8.self)
        }
        for f in edited {
            generated.removeAll { $0.path == f.path }
            generated.append(GeneratedFile(path: f.path, text: f.text))
        }
    }
}
