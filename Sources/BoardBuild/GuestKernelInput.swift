import BoardFile
import BootInputs
import Foundation

extension Builder {
    /// A guest's own kernel (`kernel = PATH` of a `[[domu]]` or `[[guest]]`): read, checked like Dom0's (a kernel
    /// image of the board's architecture, not compressed, not a device tree), recorded in the manifest's inputs.
    /// Every failure names the board file's line of `kernel` and the file.
    /// `role`: how errors and the manifest name the guest, e.g. "domu 'linux2'".
    static func ownKernel(_ board: Board, role: String, path: String, line: Int, host: inout HostStage) throws -> GuestKernel {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw board.error(line: line, "\(role) kernel \(path): no such file")
        }
        guard !isDirectory.boolValue, let data = FileManager.default.contents(atPath: path) else {
            throw board.error(line: line, "\(role) kernel \(path) cannot be read\(isDirectory.boolValue ? " (a directory)" : "")")
        }
        let bytes = [UInt8](data)
        let image: KernelImage
        do {
            image = try KernelImage.detect(bytes)
            try image.requireArch(board.arch == .arm64 ? .arm64 : .arm32, role: "\(role) kernel", file: path, board: board.name)
        } catch let e {
            // The checks' own messages name role and file; the header parser's name only the file.
            switch e.naming(path) {
            case let named where named.namesRole: throw board.error(line: line, "\(named)")
            case let named: throw board.error(line: line, "\(role) kernel \(named)")
            }
        }
        host.inputs.manifestInputs.append(.init(role: "\(role.replacingOccurrences(of: "'", with: "")) kernel", source: path,
                                                sha256: try Tools.sha256(bytes)))
        return GuestKernel(bytes: bytes, image: image)
    }
}
