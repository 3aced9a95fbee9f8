import ArgumentParser
import BoardFile
import XenArm

extension XenVersion: ExpressibleByArgument {}

/// `--xen-version`, shared by inspect, gen, xen and build: overrides the board file's `[xen] version`.
struct XenVersionOption: ParsableArguments {
    @Option(name: .customLong("xen-version"),
            help: "Xen version: 4.17 (Debian 12) or 4.20 (Debian 13). Default: the board's [xen] version, else the newest Debian ships prebuilt for its arch (4.20 on arm64, 4.17 on arm32).")
    var xenVersion: XenVersion?

    /// Loads the board with the requested version (checked against the board's keys while the file is read).
    func load(_ board: String) throws -> Board { try BoardCatalog.locate().load(board, xenVersion: xenVersion) }
}
