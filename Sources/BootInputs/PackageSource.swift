import Foundation
import Infrastructure
import PrivateApt

/// Where package records and `.deb` files come from. `AptSource` is the real one; tests substitute their own.
protocol PackageSource: Sendable {
    /// `apt-cache show` records answering `specs` (candidate version unless a spec pins one). Packages apt does not
    /// know are simply absent.
    func records(for specs: [PackageSpec]) throws(PackageError) -> [AptRecord]
    /// Downloads `package`'s `.deb` into `directory` (which is empty), under any file name ending in `.deb`.
    func download(_ package: ResolvedPackage, into directory: URL) throws(PackageError)
}

/// apt: `apt-cache show --no-all-versions` and `apt-get download`, with the machine's configuration or a private one
/// (`PrivateApt`: another Debian release, its own sources and index under the cache).
struct AptSource: PackageSource {
    /// nil: the machine's own apt configuration.
    var privateApt: PrivateApt?

    func records(for specs: [PackageSpec]) throws(PackageError) -> [AptRecord] {
        guard !specs.isEmpty else { return [] }
        let arguments = ["show", "--no-all-versions"] + specs.map(\.description)
        let command = "apt-cache " + arguments.joined(separator: " ") + (privateApt.map { " (\($0.release), private)" } ?? "")
        let result = try run("apt-cache", arguments, in: nil, timeout: 300, command: command)
        if result.timedOut { throw .aptFailed(command: command, status: result.status, output: "timed out after 300 s") }
        let records = AptRecord.parse(result.stdout)
        // apt-cache exits 100 with "E: No packages found" when it knows none of the packages; a partial answer
        // exits 0 and omits the unknown ones.
        if result.status != 0, !(records.isEmpty && Self.isNotFound(result.stderr)) {
            throw .aptFailed(command: command, status: result.status, output: result.diagnostic)
        }
        return records
    }

    func download(_ package: ResolvedPackage, into directory: URL) throws(PackageError) {
        let result = try run("apt-get", ["download", "-q", package.aptSpec], in: directory, timeout: 3600,
                             command: "apt-get download \(package.aptSpec)")
        if result.timedOut { throw .downloadFailed(package: package.description, detail: "timed out after 3600 s") }
        if result.status != 0 {
            if Self.isNotFound(result.stderr) { throw .unknownPackage(package: package.description) }
            throw .downloadFailed(package: package.description,
                                  detail: "apt-get download exited \(result.status)\(PackageError.tail(result.diagnostic))")
        }
    }

    /// Runs an apt tool with the machine's configuration, or the private one (prepared first: index loaded).
    func run(_ tool: String, _ arguments: [String], in directory: URL?, timeout: TimeInterval,
                     command: String) throws(PackageError) -> ProcessResult
    {
        guard let privateApt else {
            do {
                return try ProcessRunner.run(tool, arguments, in: directory, timeout: timeout)
            } catch {
                throw Self.map(error, tool: tool, command: command)
            }
        }
        do {
            try privateApt.prepare()
            return try privateApt.run(tool, arguments, in: directory, timeout: timeout)
        } catch {
            switch error {
            case let .toolMissing(tool): throw .toolMissing(tool: tool)
            default: throw .aptFailed(command: command, status: -1, output: error.description)
            }
        }
    }

    static func isNotFound(_ stderr: String) -> Bool {
        ["No packages found", "Unable to locate package", "Can't select", "has no installation candidate",
         "Version '"].contains { stderr.contains($0) }
    }

    static func map(_ error: ProcessFailure, tool: String, command: String) -> PackageError {
        switch error {
        case .notFound: .toolMissing(tool: tool)
        case let .launch(_, detail): .aptFailed(command: command, status: -1, output: "could not start: \(detail)")
        }
    }
}
