import BoardFile
import Foundation
import Infrastructure
import PlatformGen
import XenArm
import XenSource

/// `xen-board xen`: Debian's Xen source with the files of a generated (or hand-written) tree applied, configured
/// with a defconfig fragment, then compile-checked or cross-built.
public enum XenPortBuild {
    public struct Request: Sendable {
        public var board: Board
        public var arch: Architecture
        /// A directory mirroring Xen's tree (DIR/xen/...), e.g. `gen`'s output.
        public var files: URL?
        /// CONFIG_X=value lines (default: DIR/xen/arch/arm/configs/xen-board.fragment of `files`, when present).
        public var configFragment: URL?
        public var outDirectory: URL
        public var force = false
        public var jobs: Int?
        /// Compile only the generated .c files (no link, nothing written).
        public var compileCheck = false
        /// Seconds since 1970 for Xen's compile.h (SOURCE_DATE_EPOCH): same inputs, same image.
        public var epoch: UInt64 = 0

        public init(board: Board, arch: Architecture? = nil, outDirectory: URL? = nil) {
            self.board = board
            self.arch = arch ?? board.arch
            self.outDirectory = outDirectory ?? URL(fileURLWithPath: "out/\(board.name)/xen-source")
        }
    }

    public enum Result: Sendable {
        /// Nothing to compile (the files hold no .c): Kconfig kept the whole fragment; the final .config.
        case configured(config: URL)
        case compiled(objects: [URL], log: URL)
        /// OUT/xen, OUT/config and OUT/build.log are in place; `objects` compiled.
        case built(directory: URL, objects: Int)
    }

    public struct Outcome: Sendable {
        public let source: XenSourceTree
        public let result: Result
    }

    /// `source` is called once the source is known (before the long steps), for the command to say which.
    public static func run(_ request: Request, source announce: (XenSourceTree) -> Void,
                           progress: @escaping (String) -> Void) throws -> Outcome {
        let fragment = try loadFragment(request, progress: progress)
        // Checked before the long build: a refused output fails now, not after minutes of compiling.
        let staged = request.compileCheck ? nil : try StagedDirectory(destination: request.outDirectory.path, force: request.force)
        let source = try XenSourceTree.obtain(version: request.board.xenVersion, progress: progress)
        announce(source)
        let files = try treeFiles(request, pristine: source.pristine)
        // The board's kept work tree: make rebuilds only what changed since the last `xen` of this board and arch.
        let result = try source.withWorkTree(name: "\(request.board.name)-\(request.arch.rawValue)", progress: progress) { tree in
            if let staged {
                return try build(request, tree: tree, files: files, fragment: fragment, into: staged, progress: progress)
            }
            return try check(request, tree: tree, files: files, fragment: fragment, progress: progress)
        }
        return Outcome(source: source, result: result)
    }

    static func check(_ request: Request, tree: URL, files: [GeneratedFile], fragment: ConfigFragment,
                      progress: @escaping (String) -> Void) throws -> Result {
        guard files.contains(where: { $0.path.hasSuffix(".c") }) else {
            // Nothing to compile (the board needs no platform file): check that Kconfig keeps the whole fragment.
            let log = tree.deletingLastPathComponent().appendingPathComponent("configure-check-\(request.arch.rawValue).log")
            return .configured(config: try XenBuild.configure(tree: tree, arch: request.arch, files: files, fragment: fragment, log: log,
                                                              identity: BuildIdentity(epoch: request.epoch), progress: progress))
        }
        let r = try XenBuild.compileCheck(tree: tree, arch: request.arch, files: files, fragment: fragment,
                                          identity: BuildIdentity(epoch: request.epoch), progress: progress)
        return .compiled(objects: r.objects, log: r.log)
    }

    static func build(_ request: Request, tree: URL, files: [GeneratedFile], fragment: ConfigFragment, into staged: StagedDirectory,
                      progress: @escaping (String) -> Void) throws -> Result {
        let r = try XenBuild.build(tree: tree, arch: request.arch, files: files, fragment: fragment,
                                   identity: BuildIdentity(epoch: request.epoch), jobs: request.jobs, progress: progress)
        try staged.copy(r.image, to: "xen")
        try staged.copy(r.config, to: "config")
        try staged.copy(r.log, to: "build.log")
        try staged.commit()
        return .built(directory: request.outDirectory, objects: r.objects)
    }

    /// The fragment file given, else the one `gen` wrote into `files`, else none.
    static func loadFragment(_ request: Request, progress: (String) -> Void) throws -> ConfigFragment {
        var file = request.configFragment
        if file == nil, let dir = request.files {
            let candidate = dir.appendingPathComponent(GeneratedPort.fragmentPath)
            if FileManager.default.fileExists(atPath: candidate.path) { file = candidate }
        }
        guard let file else { return ConfigFragment(entries: []) }
        let text = try read(file)
        let fragment: ConfigFragment
        do {
            fragment = try ConfigFragment(parsing: text)
        } catch {
            throw Builder.BuildError("\(file.path): \(error.description)")
        }
        progress("config fragment \(file.path) (\(fragment.entries.count) lines)")
        return fragment
    }

    /// The files of `request.files` as written into the work tree: snippets applied to Xen's Kconfig and Makefile,
    /// and the generated console driver's entries and the console variant's edits added. Edits start from the
    /// pristine tree (a kept work tree holds the last build's edits).
    static func treeFiles(_ request: Request, pristine tree: URL) throws -> [GeneratedFile] {
        guard let dir = request.files else { return [] }
        let loaded = try GeneratedFile.load(directory: dir).map { (path: $0.path, text: String(decoding: $0.contents, as: UTF8.self)) }
        var files = try PortSnippets.apply(to: loaded) { try read(tree.appendingPathComponent($0), what: "missing in the Xen source") }
        // gen's markers: the generated console driver's entries and the console variant's dt_match/Kconfig edits.
        let current = files
        let edited = try GeneratedUART.editsNamed(in: dir, version: request.board.xenVersion) { path in
            try current.first(where: { $0.path == path })?.text ?? read(tree.appendingPathComponent(path), what: "missing in the Xen source")
        }
        for f in edited {
            files.removeAll { $0.path == f.path }
            files.append(f)
        }
        return files.map { GeneratedFile(path: $0.path, text: $0.text) }
    }

    static func read(_ url: URL, what: String = "cannot be read") throws -> String {
        guard let d = FileManager.default.contents(atPath: url.path) else { throw Builder.BuildError("\(url.path): \(what)") }
        return String(decoding: d, as: UTF8.self)
    }
}
