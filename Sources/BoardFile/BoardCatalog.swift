import Foundation
import Infrastructure
import XenArm

/// The `boards/` directory: every `NAME.toml` is one board.
public struct BoardCatalog {
    public let directory: String

    public init(directory: String) { self.directory = directory }

    /// Finds `boards/` next to the executable's source checkout: $XEN_BOARD_BOARDS, else ./boards.
    public static func locate() -> BoardCatalog {
        if let d = ProcessInfo.processInfo.environment["XEN_BOARD_BOARDS"] { return BoardCatalog(directory: d) }
        return BoardCatalog(directory: FileManager.default.currentDirectoryPath + "/boards")
    }

    public var names: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
            .filter { $0.hasSuffix(".toml") }.map { String($0.dropLast(5)) }.sorted()
    }

    /// Loads `NAME` (a board name in the catalog) or a path to a `.toml` file.
    /// `xenVersion`: the command line's `--xen-version`, replacing the file's `[xen] version` (see `BoardFileParser`).
    public func load(_ nameOrPath: String, xenVersion: XenVersion? = nil) throws -> Board {
        let path: String
        let name: String
        if nameOrPath.hasSuffix(".toml") {
            path = nameOrPath
            name = String(URL(fileURLWithPath: nameOrPath).deletingPathExtension().lastPathComponent)
        } else {
            path = directory + "/" + nameOrPath + ".toml"
            name = nameOrPath
        }
        do { try PathLimits.check(path) } catch { throw TOMLError(file: error.path, line: 0, message: "cannot read the board file: \(error.reason)") }
        guard let data = FileManager.default.contents(atPath: path) else {
            if FileManager.default.fileExists(atPath: path) {
                let reason = access(path, R_OK) == 0 ? "it is not a regular file" : String(cString: strerror(errno))
                throw TOMLError(file: path, line: 0, message: "cannot read the board file: \(reason)")
            }
            if nameOrPath.hasSuffix(".toml") { throw TOMLError(file: path, line: 0, message: "no such board file") }
            let known = names.joined(separator: ", ")
            throw TOMLError(file: path, line: 0, message: "unknown board '\(nameOrPath)'\(known.isEmpty ? "" : " (known: \(known))")")
        }
        let dir = URL(fileURLWithPath: path).deletingLastPathComponent().path
        return try BoardFileParser.parse(bytes: [UInt8](data), name: name, file: path, directory: dir, xenVersion: xenVersion)
    }
}
