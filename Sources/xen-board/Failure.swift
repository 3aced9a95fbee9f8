import DeviceTree
import Foundation
import Infrastructure

/// An error from input the user gave, printed as `FILE: what went wrong` (ArgumentParser exits with code 1).
struct InputError: Error, CustomStringConvertible {
    let file: String
    let detail: String
    var description: String { "\(file): \(detail)" }
}

/// Writes to stderr (diagnostics and progress never go to stdout, which carries results).
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

enum DTBFile {
    static func read(_ path: String) throws -> [UInt8] {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            throw InputError(file: path, detail: "no such file")
        }
        guard !isDir.boolValue else { throw InputError(file: path, detail: "is a directory, expected a .dtb file") }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError(file: path, detail: "cannot be read")
        }
        return [UInt8](data)
    }

    /// Reads and decodes a blob; every failure names the file (and the byte offset for malformed blobs).
    static func load(_ path: String) throws -> DeviceTree {
        let bytes = try read(path)
        do {
            return try DTBDecoder.decode(bytes)
        } catch let e as DTBError {
            throw InputError(file: path, detail: "invalid device tree blob at \(e)")
        }
    }

    /// Encodes (validated by libfdt) and writes atomically through OutputPlacement (staged, then renamed).
    static func write(_ tree: DeviceTree, to path: String, force: Bool) throws {
        let bytes = try DTBEncoder.encode(tree)
        try OutputPlacement.writeFile(bytes, to: path, force: force)
    }
}

/// Resolves a node argument: an absolute path, an alias, or `alias/sub/path`.
func resolveNode(_ spec: String, in tree: DeviceTree, file: String) throws -> Node {
    if let node = tree.node(at: spec) { return node }
    if !spec.hasPrefix("/"), tree.aliasTarget(String(spec.split(separator: "/").first ?? "")) == nil {
        throw InputError(file: file, detail: "no alias '\(spec.split(separator: "/").first ?? "")' (node paths start with '/')")
    }
    throw InputError(file: file, detail: "no node '\(spec)'")
}
