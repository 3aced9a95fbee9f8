import Foundation
import Infrastructure

/// Remembers that a cached `.deb` was hashed and matched apt's SHA-256, so a cached build does not hash the same
/// 30 MB kernel package again on every run: `<name>.deb.verified` holds the digest and the file's identity (inode,
/// size, modification and change times to the nanosecond). Any write to the `.deb`, or its replacement, changes
/// the identity and the file is hashed again; a stamp that cannot be read or written only costs a hash.
enum VerifiedStamp {
    static func url(for deb: URL) -> URL { deb.appendingPathExtension("verified") }

    /// True when the stamp says `deb`, as it is now, was verified to have `sha256`.
    static func matches(_ deb: URL, sha256: String) -> Bool {
        guard let id = FileStamp.of(deb.path), let data = FileManager.default.contents(atPath: url(for: deb).path) else { return false }
        return String(decoding: data, as: UTF8.self) == "\(sha256) \(id)\n"
    }

    /// Records that `deb` (already in place) has `sha256`; written to a temporary file and renamed.
    static func record(_ deb: URL, sha256: String) {
        guard let id = FileStamp.of(deb.path) else { return }
        let stamp = url(for: deb)
        let temporary = deb.deletingLastPathComponent().appendingPathComponent(".dl.stamp.\(UUID().uuidString)")
        guard FileManager.default.createFile(atPath: temporary.path, contents: Data("\(sha256) \(id)\n".utf8)) else { return }
        if CacheFiles.rename(temporary, to: stamp) != 0 { CacheFiles.remove(temporary) }
    }
}
