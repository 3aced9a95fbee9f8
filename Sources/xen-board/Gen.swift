import ArgumentParser
import BoardFile
import BoardBuild
import Foundation

struct Gen: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gen",
        abstract: "Generate the Xen platform file, Kconfig/Makefile entries, defconfig fragment and command line for a board.",
        discussion: """
        Writes a tree mirroring Xen's (DIR/xen/arch/arm/platforms/xb-BOARD.c, Kconfig.xen-board, Makefile.xen-board,
        DIR/xen/arch/arm/configs/xen-board.fragment), xen-command-line.txt and a README explaining each piece. No
        platform file is generated when Xen's generic code suffices (PSCI + a supported UART); the README says why.
        The board's device tree is the one `xen-board build` uses (run it first, or pass --dtb). The port is for the
        board's Xen version (--xen-version overrides it): its drivers, Kconfig layout and xen-board.patch base differ.

        Example: xen-board build vexpress && xen-board gen vexpress --out out/vexpress/gen
        """
    )

    @Argument(help: "Board name or board file path.") var board: String
    @Option(help: "Output directory (default out/BOARD/gen).") var out: String?
    @OptionGroup var placement: PlacementOptions
    @Option(help: "Device tree to analyse (default: out/BOARD/board.dtb from `xen-board build`).") var dtb: String?
    @OptionGroup var version: XenVersionOption

    func run() throws {
        let b = try version.load(board)
        let dir = out ?? "out/\(b.name)/gen"
        let port = try PortGeneration.write(board: b, dtb: dtb ?? "out/\(b.name)/board.dtb", to: dir, force: placement.force,
                                             progress: { printError("gen: \($0)") })
        let spec = port.port.spec
        print(spec.needsPlatformFile ? "\(b.name): Xen \(b.xenVersion) platform \"\(spec.name)\" generated in \(dir)" : "\(b.name): no platform file needed for Xen \(b.xenVersion) (generic code suffices); config in \(dir)")
        for f in port.port.files { print("  \(f.path)") }
        print("  xen-board.patch (\(port.patchComplete ? "apply with: patch -p1 -d XEN_SOURCE" : "new files only: Debian's Xen source of this version could not be obtained"))")
    }
}
