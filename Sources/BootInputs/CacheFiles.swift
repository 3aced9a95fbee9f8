import Foundation
import Infrastructure

/// The few file-system operations the cache builds on: unique temporary directories next to their final place,
/// and `rename(2)`, which replaces a file or moves a complete directory into place atomically. Two processes filling
/// the same cache each work in their own temporary directory; the loser of a directory rename discards its copy.
enum CacheFiles {
    /// Prefixes of the temporary entries this module (and the fetch scripts) create inside the cache.
    static let temporaryPrefixes = [".dl.", ".x.", ".stale."]

    /// Creates `directory` and its parents.
    static func makeDirectory(_ directory: URL) throws(PackageError) {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw .fileSystem(path: directory.path, operation: "create directory", detail: error.localizedDescription)
        }
    }

    /// A new, empty, uniquely named directory `parent/<prefix>XXXXXX` (mode 0700).
    static func makeTemporaryDirectory(in parent: URL, prefix: String) throws(PackageError) -> URL {
        switch UniqueDirectory.make(in: parent, prefix: prefix) {
        case .success(let url): return url
        case .failure(let f): throw .fileSystem(path: f.path, operation: "create a temporary directory in", detail: f.detail)
        }
    }

    /// `rename(2)`: 0 on success, else errno.
    static func rename(_ from: URL, to: URL) -> Int32 {
        Foundation.rename(from.path, to.path) == 0 ? 0 : errno
    }

    /// Removes `url` if it exists; failures are ignored (it is scratch space).
    static func remove(_ url: URL) {
        try? FileManager.default.removeItem(at: url)
    }

    /// Sets POSIX permissions; failures are ignored (the cache stays usable by its owner).
    static func setPermissions(_ url: URL, _ mode: Int) {
        try? FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: url.path)
    }

    /// Size of a regular file, or nil when there is none.
    static func fileSize(_ url: URL) -> UInt64? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue,
              let attributes = try? FileManager.default.attributesOfItem(atPath: url.path)
        else { return nil }
        return (attributes[.size] as? NSNumber)?.uint64Value
    }

    /// Removes temporary entries in `directory` left by runs that died, i.e. untouched for `age` seconds. A live
    /// run's entries are younger (their modification time moves as files are written into them).
    static func sweepStale(in directory: URL, olderThan age: TimeInterval = 6 * 3600) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { return }
        let limit = Date().addingTimeInterval(-age)
        for name in names where temporaryPrefixes.contains(where: { name.hasPrefix($0) }) {
            let url = directory.appendingPathComponent(name)
            if let attributes = try? FileManager.default.attributesOfItem(atPath: url.path),
               let modified = attributes[.modificationDate] as? Date, modified < limit
            {
                remove(url)
            }
        }
    }

    static func errnoText(_ code: Int32 = errno) -> String {
        String(cString: strerror(code))
    }
}
