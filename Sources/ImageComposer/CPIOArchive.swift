/// A cpio archive in the "newc" format (`070701` headers), the format the Linux kernel unpacks as an initramfs.
///
/// Entries keep the order they were added in; inode numbers are 1, 2, 3, ... in that order; owner and group are 0;
/// every mtime is the `SourceDateEpoch` given. Device nodes are only headers, so they need no privileges.
/// Paths are stored relative (`bin/sh`), the way `cpio -o` and the kernel's `gen_init_cpio` write them; a
/// parent directory must be added before anything inside it.
public struct CPIOArchive: Sendable {
    /// What one entry is.
    public enum Kind: Sendable, Equatable {
        case directory
        case file([UInt8])
        case symlink(target: String)
        case characterDevice(major: UInt32, minor: UInt32)
    }

    /// One archive member.
    public struct Entry: Sendable, Equatable {
        /// Relative path without a leading `/` (`dev/console`).
        public let path: String
        public let kind: Kind
        /// Permission bits (at most `0o7777`); the file-type bits come from `kind`.
        public let permissions: UInt32
    }

    /// The entries, in archive order.
    public private(set) var entries: [Entry] = []
    /// The mtime of every entry.
    public let epoch: SourceDateEpoch
    private var directories: Set<String> = [""]
    private var paths: Set<String> = []

    public init(epoch: SourceDateEpoch = .zero) { self.epoch = epoch }

    /// Adds a directory (`mode` = permission bits).
    public mutating func addDirectory(_ path: String, permissions: UInt32 = 0o755) throws(CPIOError) {
        let p = try add(path, .directory, permissions)
        directories.insert(p)
    }

    /// Adds a regular file with the given contents (at most 4 GiB - 1 bytes, the limit of the header's size field).
    public mutating func addFile(_ path: String, contents: [UInt8], permissions: UInt32 = 0o644) throws(CPIOError) {
        guard contents.count <= Int(UInt32.max) else { throw .fileTooLarge(path: path, size: contents.count) }
        try add(path, .file(contents), permissions)
    }

    /// Adds a symbolic link pointing to `target` (stored verbatim, relative or absolute).
    public mutating func addSymlink(_ path: String, target: String, permissions: UInt32 = 0o777) throws(CPIOError) {
        guard !target.isEmpty, !target.utf8.contains(0) else { throw .invalidSymlinkTarget(path: path, target: target) }
        try add(path, .symlink(target: target), permissions)
    }

    /// Adds a character device node (`c major minor`), e.g. `/dev/console` = 5, 1.
    public mutating func addCharacterDevice(_ path: String, major: UInt32, minor: UInt32, permissions: UInt32 = 0o600) throws(CPIOError) {
        try add(path, .characterDevice(major: major, minor: minor), permissions)
    }

    /// The archive: each header, name and data 4-byte aligned, ending with the `TRAILER!!!` entry.
    public func encoded() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(entries.reduce(512) { $0 + 128 + $1.path.utf8.count + $1.dataCount })
        for (index, entry) in entries.enumerated() {
            let data: [UInt8]
            let type: UInt32, nlink: UInt32
            var rdev: (UInt32, UInt32) = (0, 0)
            switch entry.kind {
            case .directory: (data, type, nlink) = ([], 0o040000, 2)
            case .file(let bytes): (data, type, nlink) = (bytes, 0o100000, 1)
            case .symlink(let target): (data, type, nlink) = (Array(target.utf8), 0o120000, 1)
            case .characterDevice(let major, let minor): (data, type, nlink) = ([], 0o020000, 1); rdev = (major, minor)
            }
            Self.appendHeader(to: &out, inode: UInt32(index + 1), mode: type | entry.permissions, nlink: nlink,
                              mtime: mtime, size: UInt32(data.count), rdev: rdev, name: entry.path)
            out.append(contentsOf: data)
            out.pad(toMultipleOf: 4)
        }
        Self.appendHeader(to: &out, inode: 0, mode: 0, nlink: 1, mtime: 0, size: 0, rdev: (0, 0), name: "TRAILER!!!")
        return out
    }

    /// `encoded()` compressed with `gzip -n -9` (no name, no timestamp: deterministic), as the kernel accepts it.
    public func gzipped() throws(ExternalToolError) -> [UInt8] {
        try Gzip.compress(encoded())
    }

    /// The header's mtime field is 32 bits: later epochs are clamped to 2106-02-07.
    var mtime: UInt32 { UInt32(clamping: epoch.seconds) }

    @discardableResult
    private mutating func add(_ path: String, _ kind: Kind, _ permissions: UInt32) throws(CPIOError) -> String {
        let p = try Self.normalize(path)
        guard permissions <= 0o7777 else { throw .invalidPermissions(path: path, permissions: permissions) }
        guard !paths.contains(p) else { throw .duplicatePath(p) }
        let parent = p.split(separator: "/").dropLast().joined(separator: "/")
        guard directories.contains(parent) else { throw .missingParentDirectory(path: p, parent: parent) }
        paths.insert(p)
        entries.append(Entry(path: p, kind: kind, permissions: permissions))
        return p
    }

    /// `/bin/sh`, `bin/sh` and `./bin/sh` all become `bin/sh`; empty, `.` and `..` components are rejected.
    static func normalize(_ path: String) throws(CPIOError) -> String {
        var text = Substring(path)
        while text.hasPrefix("/") { text = text.dropFirst() }
        if text.hasPrefix("./") { text = text.dropFirst(2) }
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard !text.isEmpty, !text.utf8.contains(0), parts.allSatisfy({ !$0.isEmpty && $0 != "." && $0 != ".." }) else {
            throw .invalidPath(path)
        }
        return String(text)
    }

    private static func appendHeader(to out: inout [UInt8], inode: UInt32, mode: UInt32, nlink: UInt32, mtime: UInt32,
                                     size: UInt32, rdev: (UInt32, UInt32), name: String) {
        let nameBytes = Array(name.utf8)
        // magic, ino, mode, uid, gid, nlink, mtime, filesize, devmajor, devminor, rdevmajor, rdevminor, namesize, check
        let fields: [UInt32] = [inode, mode, 0, 0, nlink, mtime, size, 0, 0, rdev.0, rdev.1, UInt32(nameBytes.count + 1), 0]
        out.appendASCII("070701")
        for field in fields { out.append(contentsOf: hex8(field)) }
        out.append(contentsOf: nameBytes)
        out.append(0)
        out.pad(toMultipleOf: 4)
    }

    private static func hex8(_ value: UInt32) -> [UInt8] {
        let digits = Array("0123456789ABCDEF".utf8)
        return (0..<8).map { digits[Int((value >> UInt32(28 - 4 * $0)) & 0xF)] }
    }
}

extension CPIOArchive.Entry {
    var dataCount: Int {
        switch kind {
        case .file(let bytes): return bytes.count
        case .symlink(let target): return target.utf8.count
        case .directory, .characterDevice: return 0
        }
    }
}

/// Why an entry could not be added to a `CPIOArchive`.
public enum CPIOError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidPath(String)
    case duplicatePath(String)
    case missingParentDirectory(path: String, parent: String)
    case invalidPermissions(path: String, permissions: UInt32)
    case invalidSymlinkTarget(path: String, target: String)
    case fileTooLarge(path: String, size: Int)

    public var description: String {
        switch self {
        case .invalidPath(let p):
            return "cpio: invalid path \"\(p)\": expected a relative or absolute path with non-empty components other than . and .."
        case .duplicatePath(let p): return "cpio: \(p) is already in the archive"
        case .missingParentDirectory(let p, let parent):
            return "cpio: \(p): expected its parent directory \(parent) to be added first"
        case .invalidPermissions(let p, let m):
            return "cpio: \(p): expected permission bits up to 0o7777, got 0o\(String(m, radix: 8))"
        case .invalidSymlinkTarget(let p, let t): return "cpio: \(p): expected a non-empty symlink target without NUL, got \"\(t)\""
        case .fileTooLarge(let p, let n): return "cpio: \(p): \(n) bytes; a newc entry holds at most 4294967295"
        }
    }
}
