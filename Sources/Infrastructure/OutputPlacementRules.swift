import Foundation

/// What is at a path, without following a final symbolic link (`lstat(2)`).
enum FileKind: Equatable {
    case missing, regular, directory, symbolicLink, characterDevice, blockDevice, fifo, socket, other

    static func of(_ path: String) -> FileKind {
        var st = stat()
        guard lstat(path, &st) == 0 else { return .missing }
        switch st.st_mode & S_IFMT {
        case S_IFREG: return .regular
        case S_IFDIR: return .directory
        case S_IFLNK: return .symbolicLink
        case S_IFCHR: return .characterDevice
        case S_IFBLK: return .blockDevice
        case S_IFIFO: return .fifo
        case S_IFSOCK: return .socket
        default: return .other
        }
    }

    var name: String {
        switch self {
        case .missing: "missing"
        case .regular: "a file"
        case .directory: "a directory"
        case .symbolicLink: "a symbolic link"
        case .characterDevice: "a character device"
        case .blockDevice: "a block device"
        case .fifo: "a FIFO"
        case .socket: "a socket"
        case .other: "a special file"
        }
    }
}

/// A file by identity: (device, inode) when it exists, else (device, inode) of its directory plus its name, so
/// `X`, `./X` and `dir/../X` are one output and two hard links to one inode are too.
enum FileIdentity: Equatable {
    case existing(dev: UInt64, ino: UInt64)
    case pending(dev: UInt64, ino: UInt64, name: String)

    static func of(outputPath path: String) -> FileIdentity? {
        var st = stat()
        if stat(path, &st) == 0 { return .existing(dev: UInt64(st.st_dev), ino: UInt64(st.st_ino)) }
        let url = URL(fileURLWithPath: path)
        guard stat(url.deletingLastPathComponent().path, &st) == 0 else { return nil }
        return .pending(dev: UInt64(st.st_dev), ino: UInt64(st.st_ino), name: url.lastPathComponent)
    }
}

/// Whether a destination may be replaced, and the swap itself.
enum Replacement {
    enum Output { case file, directory }

    static func check(_ destination: URL, as output: Output, force: Bool) throws(PlacementError) {
        try PathLimits.check(destination.path)
        let kind = FileKind.of(destination.path)
        if kind == .missing || force { return }
        switch (kind, output) {
        case (.regular, .file):
            return
        case (.directory, .directory):
            if isOwnOrEmpty(destination) { return }
            throw PlacementError(path: destination.path, reason: "is a directory with content xen-board did not write (no \(OutputPlacement.markerName) in it): it is left alone; choose another output or pass --force to replace it")
        default:
            throw PlacementError(path: destination.path, reason: "is \(kind.name), not \(output == .file ? "a regular file" : "an output directory of xen-board"): it is left alone; choose another output or pass --force to replace it")
        }
    }

    static func isOwnOrEmpty(_ directory: URL) -> Bool {
        if FileKind.of(directory.appendingPathComponent(OutputPlacement.markerName).path) == .regular { return true }
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { return false }
        return names.isEmpty
    }

    /// Renames `staged` to `destination`. A regular file is replaced in one rename; anything else present is
    /// first moved aside, then removed once the new output is in place (put back if the rename fails).
    static func swapIn(_ staged: URL, at destination: URL, as output: Output, force: Bool) throws(PlacementError) {
        let kind = FileKind.of(destination.path)
        if kind == .missing || (kind == .regular && output == .file) {
            try rename(staged, destination)
            return
        }
        let aside = StaleStaging.entry(for: destination, kind: .old)
        try rename(destination, aside)
        do {
            try rename(staged, destination)
        } catch {
            _ = Foundation.rename(aside.path, destination.path)
            throw error
        }
        try? FileManager.default.removeItem(at: aside)
    }

    static func rename(_ from: URL, _ to: URL) throws(PlacementError) {
        guard Foundation.rename(from.path, to.path) == 0 else {
            throw PlacementError(path: to.path, reason: "cannot move \(from.lastPathComponent) into place: \(String(cString: strerror(errno)))")
        }
    }
}

/// The file system's limits on names, checked before any work so an over-long output path is a clear error, not
/// ENAMETOOLONG (or Foundation's "The file name is invalid") after a long build.
public enum PathLimits {
    /// NAME_MAX and PATH_MAX of Linux (bytes, PATH_MAX counting the terminating NUL).
    public static let nameMax = 255, pathMax = 4096

    public static func check(_ path: String) throws(PlacementError) {
        if let long = path.split(separator: "/").first(where: { $0.utf8.count > nameMax }) {
            throw PlacementError(path: path, reason: "the name '\(long.prefix(32))…' is \(long.utf8.count) bytes; a file name is at most \(nameMax) bytes")
        }
        guard path.utf8.count < pathMax else {
            throw PlacementError(path: String(path.prefix(64)) + "…", reason: "the path is \(path.utf8.count) bytes; a path is at most \(pathMax - 1) bytes")
        }
    }
}
