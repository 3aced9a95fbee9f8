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

extension DTBFile {
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
