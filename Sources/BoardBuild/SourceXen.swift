import BoardFile
import BoardModel
import DeviceTree
import Foundation
import PlatformGen
import XenSource

/// `build --xen source`: generate the board's Xen port (platform file, Kconfig choice, Makefile line, defconfig
/// fragment), apply it to the board's kept work tree of Debian's Xen source (`XenSourceTree.withWorkTree`: make
/// rebuilds only what changed), cross-build, and hand back the image.
enum SourceXen {
    struct Built {
        let image: [UInt8]
        let port: GeneratedPort
        let log: URL
        let seconds: Double
    }

    static func build(board: Board, tree: DeviceTree, model: BoardModel, cache: URL?, epoch: UInt64,
                      progress: @escaping (String) -> Void) throws -> Built {
        let spec = try PlatformSpecBuilder.spec(board: board, tree: tree, model: model)
        let port = try GeneratedPort(spec: spec)
        progress(spec.needsPlatformFile ? "generated platform \"\(spec.name)\"" : "no platform file needed; generated config only")
        if let u = spec.generatedUART { progress("generated console driver \(spec.uartKconfig ?? "") from the \"\(u)\" UART description") }
        let source = try XenSourceTree.obtain(cacheRoot: cache, version: board.xenVersion, progress: progress)
        // New files plus the edited build files (platform choice entry and Makefile line, the driver's entries).
        var files = port.files.filter { $0.path.hasPrefix("xen/") && $0.path != GeneratedPort.fragmentPath }
            .map { GeneratedFile(path: $0.path, text: $0.text) }
        // Edited from the pristine tree every time: the kept work tree holds the last build's edits.
        let edited = try port.editedTreeFiles { p in
            guard let d = FileManager.default.contents(atPath: source.pristine.appendingPathComponent(p).path) else {
                throw Builder.BuildError("Xen source \(source.pristine.path): \(p) missing")
            }
            return String(decoding: d, as: UTF8.self)
        }
        files += edited.map { GeneratedFile(path: $0.path, text: $0.text) }
        let fragment = try ConfigFragment(parsing: BuildGlue.defconfigFragment(spec))
        // The board's own kept tree (`xen-board xen` keeps another: its files come from a directory and may differ,
        // and sharing would make each command undo the other's). The image is read while the tree is still locked.
        return try source.withWorkTree(name: "\(board.name)-\(board.arch.rawValue)-source", progress: progress) { work in
            let result = try XenBuild.build(tree: work, arch: board.arch, files: files, fragment: fragment,
                                            identity: BuildIdentity(epoch: epoch), progress: progress)
            guard let image = FileManager.default.contents(atPath: result.image.path) else {
                throw Builder.BuildError("Xen build produced no image at \(result.image.path)")
            }
            return Built(image: [UInt8](image), port: port, log: result.log, seconds: result.seconds)
        }
    }
}
