/// Why the private apt configuration could not answer. Every case names the release, file or command involved.
public enum PrivateAptError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No `deb` entry of the machine names a Debian release with component main.
    case noDebianArchive(files: [String])
    /// An apt tool is not installed.
    case toolMissing(tool: String)
    /// An apt command failed.
    case aptFailed(command: String, status: Int32, output: String)
    /// Creating, writing or locking a file of the configuration failed.
    case fileSystem(path: String, operation: String, detail: String)
    /// No suite of the release has the source package (optionally at the version prefix).
    case sourceUnknown(package: String, release: DebianRelease, wanted: String, suites: [String])
    /// A downloaded source file whose size or SHA-256 is not the index's.
    case sourceMismatch(file: String, expected: String, got: String)

    public var description: String {
        switch self {
        case let .noDebianArchive(files):
            let read = files.isEmpty ? "no apt source file could be read" : "read " + files.joined(separator: ", ")
            return "cannot derive a Debian archive URI from this machine's apt sources (\(read)): expected a `deb` "
                + "entry for a Debian release (e.g. bookworm) with component main"
        case let .toolMissing(tool):
            return "\(tool) is not installed; xen-board fetches Debian packages with apt (run scripts/setup.sh)"
        case let .aptFailed(command, status, output):
            let lines = output.split(separator: "\n").suffix(5)
            return "`\(command)` failed with status \(status)" + (lines.isEmpty ? "" : ": " + lines.joined(separator: " | "))
        case let .fileSystem(path, operation, detail):
            return "cannot \(operation) \(path): \(detail)"
        case let .sourceUnknown(package, release, wanted, suites):
            return "\(release) has no source package \(package) \(wanted) in its suites \(suites.joined(separator: ", "))"
        case let .sourceMismatch(file, expected, got):
            return "downloaded source file \(file) does not match the index: expected \(expected), got \(got)"
        }
    }
}
