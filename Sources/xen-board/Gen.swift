import ArgumentParser
import BoardFile
import BoardInspection
import DeviceTree
import Foundation
import PlatformGen

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
    @Option(help: "Device tree to analyse (default: out/BOARD/board.dtb from `xen-board build`).") var dtb: String?

    func run() throws {
        let b = try BoardCatalog.locate().load(board)
        let dtbPath = dtb ?? "out/\(b.name)/board.dtb"
        let tree = try DTBFile.load(dtbPath)
        let report = BoardReport(tree: tree, file: dtbPath, arch: b.arch)
        let spec = try PlatformSpecBuilder.spec(board: b, tree: tree, report: report)
        let port = GeneratedPort(spec: spec)
        let dir = out ?? "out/\(b.name)/gen"
        try writePort(port, to: dir)
        print(spec.needsPlatformFile ? "\(b.name): platform \"\(spec.name)\" generated in \(dir)" : "\(b.name): no platform file needed (generic code suffices); config in \(dir)")
        for f in port.files { print("  \(f.path)") }
    }
}

/// Writes the generated tree into a staging directory and renames it into place.
func writePort(_ port: GeneratedPort, to dir: String) throws {
    let dest = URL(fileURLWithPath: dir)
    let staging = dest.deletingLastPathComponent().appendingPathComponent(".\(dest.lastPathComponent).gen-\(getpid())")
    try? FileManager.default.removeItem(at: staging)
    for f in port.files {
        let url = staging.appendingPathComponent(f.path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(f.text.utf8).write(to: url)
    }
    try? FileManager.default.removeItem(at: dest)
    try FileManager.default.createDirectory(at: dest.deletingLastPathComponent(), withIntermediateDirectories: true)
    try FileManager.default.moveItem(at: staging, to: dest)
}
