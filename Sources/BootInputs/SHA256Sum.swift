import Foundation

/// SHA-256 of files, computed by coreutils' `sha256sum` (Foundation has no hash API on Linux and the target takes
/// no package dependencies).
enum SHA256Sum {
    /// Lower-case hex SHA-256 of `file`; errors name the file and `package`.
    static func of(_ file: URL, package: String) throws(PackageError) -> String {
        let result: ProcessResult
        do {
            result = try ProcessRunner.run("sha256sum", ["--", file.path], timeout: 600)
        } catch {
            switch error {
            case .notFound: throw .toolMissing(tool: "sha256sum")
            case let .launch(_, detail): throw .fileSystem(path: file.path, operation: "hash", detail: detail)
            }
        }
        let digest = String(result.stdout.prefix(64))
        guard result.status == 0, isHexDigest(digest) else {
            throw .fileSystem(path: file.path, operation: "hash",
                              detail: "sha256sum exited \(result.status)\(PackageError.tail(result.diagnostic))")
        }
        return digest
    }

    /// True for 64 lower-case hex digits.
    static func isHexDigest(_ s: String) -> Bool {
        s.utf8.count == 64 && s.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }
}
