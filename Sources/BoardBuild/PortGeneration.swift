import BoardFile
import BoardModel
import DeviceTree
import Foundation
import Infrastructure
import PlatformGen

/// `xen-board gen`: the board's Xen port (platform file, Kconfig/Makefile snippets, defconfig fragment, command
/// line, README) and `xen-board.patch`, written into one output directory at once.
public enum PortGeneration {
    public struct Written: Sendable {
        public let port: GeneratedPort
        /// False only when the port edits Xen's files but Debian's source of its version could not be obtained.
        public let patchComplete: Bool
    }

    /// Analyses `dtb` (the tree `build` wrote, or one given) for `board` and writes the port into `directory`.
    public static func write(board: Board, dtb: String, to directory: String, force: Bool,
                             progress: (String) -> Void = { _ in }) throws -> Written {
        let tree = try DTBFile.load(dtb)
        let model = BoardModel(tree: tree, file: dtb, arch: board.arch, console: board.console, uartDriver: board.consoleDriverPreference,
                                version: board.xenVersion)
        let port = try GeneratedPort(spec: try PlatformSpecBuilder.spec(board: board, tree: tree, model: model))
        let staged = try StagedDirectory(destination: directory, force: force)
        for f in port.files { try staged.write(f.path, f.text) }
        let patch = try PortPatch.make(port, progress: progress)
        try staged.write("xen-board.patch", patch.text)
        try staged.commit()
        return Written(port: port, patchComplete: patch.complete)
    }
}
