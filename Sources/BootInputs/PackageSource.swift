import Foundation
import Infrastructure

/// Where package records and `.deb` files come from. `AptSource` is the real one; tests substitute their own.
protocol PackageSource: Sendable {
    /// `apt-cache show` records answering `specs` (candidate version unless a spec pins one). Packages apt does not
    /// know are simply absent.
    func records(for specs: [PackageSpec]) throws(PackageError) -> [AptRecord]
    /// Downloads `package`'s `.deb` into `directory` (which is empty), under any file name ending in `.deb`.
    func download(_ package: ResolvedPackage, into directory: URL) throws(PackageError)
}

/// The machine's apt: `apt-cache show --no-all-versions` and `apt-get download`.
struct AptSource: PackageSource {
    func records(for specs: [PackageSpec]) throws(PackageError) -> [AptRecord] {
        guard !specs.isEmpty else { return [] }
        let arguments = ["show", "--no-all-versions"] + specs.map(\.description)
        let command = "apt-cache " + arguments.joined(separator: " ")
        let result: ProcessResult
        do {
            result = try ProcessRunner.run("apt-cache", arguments, timeout: 300)
        } catch {
            throw Self.map(error, tool: "apt-cache", command: command)
        }
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
        let result: ProcessResult
        do {
            result = try ProcessRunner.run("apt-get", ["download", "-q", package.aptSpec], in: directory, timeout: 3600)
        } catch {
            throw Self.map(error, tool: "apt-get", command: "apt-get download \(package.aptSpec)")
        }
        if result.timedOut { throw .downloadFailed(package: package.description, detail: "timed out after 3600 s") }
        if result.status != 0 {
            if Self.isNotFound(result.stderr) { throw .unknownPackage(package: package.description) }
            throw .downloadFailed(package: package.description,
                                  detail: "apt-get download exited \(result.status)\(PackageError.tail(result.diagnostic))")
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
