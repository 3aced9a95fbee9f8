import ArgumentParser
import BoardFile
import BoardModel
import DeviceTree
import Foundation
import Infrastructure
import PlatformGen
import XenSource

struct Gen: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gen",
        abstract: "Generate the Xen platform file, Kconfig/Makefile entries, defconfig fragment and command line for a board.",
        discussion: """
        Writes a tree mirroring Xen's (DIR/xen/arch/arm/platforms/xb-BOARD.c, Kconfig.xen-board, Makefile.xen-board,
        DIR/xen/arch/arm/configs/xen-board.fragment), xen-command-line.txt and a README explaining each piece. No
        platform file is generated when Xen's generic code suffices (PSCI + a supported UART); the README says why.
        The board's device tree is the one `xen-board build` uses (run it first, or pass --dtb).

        Example: xen-board build vexpress && xen-board gen vexpress --out out/vexpress/gen
        """
    )

    @Argument(help: "Board name or board file path.") var board: String
    @Option(help: "Output directory (default out/BOARD/gen).") var out: String?
    @OptionGroup var placement: PlacementOptions
    @Option(help: "Device tree to analyse (default: out/BOARD/board.dtb from `xen-board build`).") var dtb: String?

    func run() throws {
        let b = try BoardCatalog.locate().load(board)
        let dtbPath = dtb ?? "out/\(b.name)/board.dtb"
        let tree = try DTBFile.load(dtbPath)
        let model = BoardModel(tree: tree, file: dtbPath, arch: b.arch, console: b.console, uartDriver: b.consoleDriverPreference)
        let spec = try PlatformSpecBuilder.spec(board: b, tree: tree, model: model)
        let port = try GeneratedPort(spec: spec)
        let dir = out ?? "out/\(b.name)/gen"
        let staged = try StagedDirectory(destination: dir, force: placement.force)
        for f in port.files { try staged.write(f.path, f.text) }
        let patch = try PortPatch.make(port)
        try staged.write("xen-board.patch", patch.text)
        try staged.commit()
        print(spec.needsPlatformFile ? "\(b.name): platform \"\(spec.name)\" generated in \(dir)" : "\(b.name): no platform file needed (generic code suffices); config in \(dir)")
        for f in port.files { print("  \(f.path)") }
        print("  xen-board.patch (\(patch.complete ? "apply with: patch -p1 -d XEN_SOURCE" : "new files only: no cached Xen source to diff Kconfig/Makefile against; run `xen-board xen` once"))")
    }
}

/// `xen-board.patch`: the generated port as a unified diff against Debian's Xen source (`patch -p1`), made with
/// `diff -ruN` from the pristine tree in the cache; without a cached tree, only the new files.
enum PortPatch {
    static func make(_ port: GeneratedPort) throws -> (text: String, complete: Bool) {
        let xenFiles = port.files.filter { $0.path.hasPrefix("xen/") && !$0.path.hasSuffix(".xen-board") }
        let cache = XenSourceTree.defaultCacheRoot().appendingPathComponent("xen-src")
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: cache.path)) ?? []).sorted()
        let pristine = versions.reversed().map { cache.appendingPathComponent($0).appendingPathComponent("pristine") }
            .first { FileManager.default.fileExists(atPath: $0.appendingPathComponent(GeneratedPort.kconfigPath).path) }
        let tmp = try StaleStaging.scratchDirectory("patch")
        defer { try? FileManager.default.removeItem(at: tmp) }
        let a = tmp.appendingPathComponent("a"), b = tmp.appendingPathComponent("b")
        func put(_ root: URL, _ path: String, _ text: String) throws {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        try FileManager.default.createDirectory(at: a, withIntermediateDirectories: true)
        for f in xenFiles { try put(b, f.path, f.text) }
        var complete = port.kconfigEntry.isEmpty && port.uart == nil && port.variant == nil
        if !complete, let pristine {
            func original(_ path: String) throws -> String {
                guard let d = FileManager.default.contents(atPath: pristine.appendingPathComponent(path).path) else {
                    throw InputError(file: pristine.appendingPathComponent(path).path, detail: "missing in the cached Xen source")
                }
                return String(decoding: d, as: UTF8.self)
            }
            for f in try port.editedTreeFiles(read: original) {
                try put(a, f.path, try original(f.path))
                try put(b, f.path, f.text)
            }
            complete = true
        }
        let diff = try ProcessRunner.run("diff", ["-ruN", "a", "b"], in: tmp, timeout: 300)
        // diff exits 1 when the trees differ (always, here); 2 is trouble.
        guard diff.status <= 1, !diff.timedOut else { throw InputError(file: tmp.path, detail: "diff failed: \(diff.diagnostic)") }
        var text = diff.stdout
        // No timestamps (reproducible): keep only the file names on the ---/+++ lines.
        text = text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            if line.hasPrefix("--- ") || line.hasPrefix("+++ ") { return String(line.split(separator: "\t").first ?? line) }
            return String(line)
        }.joined(separator: "\n")
        return (text, complete)
    }
}
