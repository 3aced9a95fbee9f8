/// Why a package could not be resolved, fetched or unpacked. Every case names the package (as `name:arch`, with
/// `=version` once known) or the file, and what was expected.
public enum PackageError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A package name, architecture or version that is not valid Debian syntax (and is never passed to apt).
    case invalidSpec(String, expected: String)
    /// A tool (`apt-cache`, `apt-get`, `dpkg-deb`) is not installed.
    case toolMissing(tool: String)
    /// apt has no candidate for the package on this machine.
    case unknownPackage(package: String)
    /// A meta package whose dependencies name no versioned package of the same family.
    case noConcretePackage(meta: String, depends: [String])
    /// apt-cache failed for another reason than an unknown package.
    case aptFailed(command: String, status: Int32, output: String)
    /// apt-cache's record for the package lacks a field, or holds a malformed one.
    case malformedRecord(package: String, field: String, value: String?)
    /// `apt-get download` failed or produced no `.deb`.
    case downloadFailed(package: String, detail: String)
    /// A `.deb` whose size is not the one apt's index gives.
    case sizeMismatch(package: String, file: String, expected: UInt64, got: UInt64)
    /// A `.deb` whose SHA-256 is not the one apt's index gives.
    case checksumMismatch(package: String, file: String, expected: String, got: String)
    /// `dpkg-deb -x` failed.
    case unpackFailed(package: String, deb: String, detail: String)
    /// A cache file operation failed (creating, renaming, reading a path).
    case fileSystem(path: String, operation: String, detail: String)
    /// No file of the unpacked package matches a pattern.
    case fileNotFound(package: String, pattern: String, root: String)
    /// Several files match a pattern that should name one.
    case ambiguousFile(package: String, pattern: String, matches: [String])

    /// One line naming the package or file and what was expected.
    public var description: String {
        switch self {
        case let .invalidSpec(spec, expected):
            return "invalid package specification '\(spec)': expected \(expected)"
        case let .toolMissing(tool):
            return "\(tool) is not installed; xen-board fetches Debian packages with apt and dpkg "
                + "(run scripts/setup.sh on a Debian machine)"
        case let .unknownPackage(package):
            return "apt does not know \(package); run scripts/setup.sh (it enables the arm64/armhf architectures "
                + "with `dpkg --add-architecture` and runs `apt-get update`)"
        case let .noConcretePackage(meta, depends):
            let list = depends.isEmpty ? "no dependencies" : depends.joined(separator: ", ")
            return "meta package \(meta) depends on no versioned package of its family (it depends on: \(list))"
        case let .aptFailed(command, status, output):
            return "`\(command)` failed with status \(status)\(Self.tail(output))"
        case let .malformedRecord(package, field, value):
            if let value { return "apt-cache record of \(package): field \(field) is malformed: '\(value)'" }
            return "apt-cache record of \(package) has no \(field) field"
        case let .downloadFailed(package, detail):
            return "downloading \(package) failed: \(detail)"
        case let .sizeMismatch(package, file, expected, got):
            return "\(file) (\(package)) is \(got) bytes; apt's index says \(expected)"
        case let .checksumMismatch(package, file, expected, got):
            return "sha256 mismatch for \(file) (\(package)): expected \(expected), got \(got)"
        case let .unpackFailed(package, deb, detail):
            return "unpacking \(deb) (\(package)) with dpkg-deb -x failed: \(detail)"
        case let .fileSystem(path, operation, detail):
            return "cannot \(operation) \(path): \(detail)"
        case let .fileNotFound(package, pattern, root):
            return "\(package) has no file matching \(pattern) (looked in \(root))"
        case let .ambiguousFile(package, pattern, matches):
            return "\(package) has \(matches.count) files matching \(pattern), expected one: "
                + matches.joined(separator: ", ")
        }
    }

    /// The last lines of a tool's output, for messages.
    static func tail(_ output: String) -> String {
        let lines = output.split(separator: "\n").suffix(5)
        return lines.isEmpty ? "" : ": " + lines.joined(separator: " | ")
    }
}

/// Why a file is not a usable boot image. `file` is nil when bytes were checked without a file behind them.
public enum ImageError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file could not be opened or read.
    case unreadable(file: String, detail: String)
    /// The file is empty.
    case empty(file: String?)
    /// Fewer bytes than the header its magic number announces (`format`), or than any kernel header (64).
    case truncated(file: String?, format: String, needed: UInt64, got: UInt64)
    /// An image for another architecture than the board's.
    case wrongArchitecture(role: String, file: String?, found: String, expected: ImageArch, board: String?)
    /// A compressed image where an uncompressed one is needed.
    case compressed(role: String, file: String?, format: String)
    /// A big-endian kernel (Xen and its Dom0 run little-endian).
    case bigEndian(role: String, file: String?, found: String)
    /// Something that is not a bootable kernel image (a DTB, an ELF file, a uImage script, unknown data).
    case notAKernel(role: String, file: String?, found: String, hint: String)

    /// One line naming the file, what it is and what was expected.
    public var description: String {
        switch self {
        case let .unreadable(file, detail):
            return "cannot read \(file): \(detail)"
        case let .empty(file):
            return "\(Self.name(file)) is empty"
        case let .truncated(file, format, needed, got):
            return "\(Self.name(file)) is truncated: \(format) needs \(needed) bytes, the file has \(got)"
        case let .wrongArchitecture(role, file, found, expected, board):
            let want = board.map { "board \($0) is \(expected.rawValue)" } ?? "\(expected.rawValue) is required"
            return "\(role) file \(Self.name(file)) is \(found) but \(want)"
        case let .compressed(role, file, format):
            return "\(role) file \(Self.name(file)) is \(format)-compressed; decompress it first "
                + "(e.g. `gunzip -c FILE > Image`) and use the uncompressed image"
        case let .bigEndian(role, file, found):
            return "\(role) file \(Self.name(file)) is \(found) built big-endian; Xen on Arm needs little-endian images"
        case let .notAKernel(role, file, found, hint):
            return "\(role) file \(Self.name(file)) is \(found), not a bootable kernel image; \(hint)"
        }
    }

    private static func name(_ file: String?) -> String { file ?? "(data)" }

    /// Whether the message names the image's role ("Dom0 kernel file ... is ..."), not only its file.
    public var namesRole: Bool {
        switch self {
        case .unreadable, .empty, .truncated: return false
        case .wrongArchitecture, .compressed, .bigEndian, .notAKernel: return true
        }
    }

    /// The same error naming `file`.
    public func naming(_ file: String) -> ImageError {
        switch self {
        case .unreadable: return self
        case .empty: return .empty(file: file)
        case let .truncated(_, format, needed, got): return .truncated(file: file, format: format, needed: needed, got: got)
        case let .wrongArchitecture(role, _, found, expected, board):
            return .wrongArchitecture(role: role, file: file, found: found, expected: expected, board: board)
        case let .compressed(role, _, format): return .compressed(role: role, file: file, format: format)
        case let .bigEndian(role, _, found): return .bigEndian(role: role, file: file, found: found)
        case let .notAKernel(role, _, found, hint): return .notAKernel(role: role, file: file, found: found, hint: hint)
        }
    }
}
