import Foundation

/// A `.dtb` file that could not be read or decoded: names the file (and, for a malformed blob, the byte offset).
public struct DTBFileError: Error, CustomStringConvertible, Sendable {
    public let file: String
    public let detail: String
    public var description: String { "\(file): \(detail)" }
}

/// Reading device tree blobs from files, for every command and library that takes a path.
public enum DTBFile {
    public static func read(_ path: String) throws(DTBFileError) -> [UInt8] {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            throw DTBFileError(file: path, detail: "no such file")
        }
        guard !isDir.boolValue else { throw DTBFileError(file: path, detail: "is a directory, expected a .dtb file") }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DTBFileError(file: path, detail: "cannot be read")
        }
        return [UInt8](data)
    }

    /// Reads and decodes a blob; every failure names the file (and the byte offset for malformed blobs).
    public static func load(_ path: String) throws(DTBFileError) -> DeviceTree {
        let bytes = try read(path)
        do {
            return try DTBDecoder.decode(bytes)
        } catch {
            throw DTBFileError(file: path, detail: "invalid device tree blob at \(error)")
        }
    }
}
