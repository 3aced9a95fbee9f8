import BoardFile
import Foundation

/// `xen-board boot`: run the QEMU command of a built board's manifest and judge the console.
public enum BootSession {
    public struct Options: Sendable {
        public var timeout: Double = 300
        /// Type Xen's input switch and `h`, and require Xen's debug-key help.
        public var checkInput = false
        /// Receives the console as it arrives (`boot --console`).
        public var echo: (@Sendable (String) -> Void)?
        public init() {}
    }

    /// Boots the build in `outDirectory` (its manifest.json says how), keeps the console in console.log there.
    public static func run(board: Board, outDirectory: URL, options: Options,
                           progress: @escaping @Sendable (String) -> Void) throws -> BootVerdict {
        let manifestURL = outDirectory.appendingPathComponent("manifest.json")
        guard let data = FileManager.default.contents(atPath: manifestURL.path) else {
            throw Builder.BuildError("\(manifestURL.path): not found: run `xen-board build \(board.name)` first")
        }
        let manifest: Manifest
        do {
            manifest = try JSONDecoder().decode(Manifest.self, from: data)
        } catch {
            throw Builder.BuildError("\(manifestURL.path): not a manifest written by `xen-board build`: \(error)")
        }
        guard let qemu = manifest.qemu, let exe = qemu.first else {
            throw Builder.BuildError("\(board.file): board \(board.name) has no [qemu] section: it cannot be booted here")
        }
        let outcome = try BootRunner.run(QEMUCommand(executable: exe, arguments: Array(qemu.dropFirst())), in: outDirectory,
                                         timeout: options.timeout, consoleLog: consoleLog(outDirectory),
                                         reports: (manifest.domains ?? ["dom0"]).count + (manifest.guests ?? []).count, checkInput: options.checkInput,
                                         expectReset: manifest.expectsReset ?? false, echo: options.echo, progress: progress)
        return BootVerdict(outcome: outcome, manifest: manifest, checkInput: options.checkInput)
    }

    public static func consoleLog(_ outDirectory: URL) -> URL { outDirectory.appendingPathComponent("console.log") }
}
