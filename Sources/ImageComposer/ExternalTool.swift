import Foundation

/// Runs a host tool as a filter: bytes in on stdin, bytes out from stdout (internal; used for gzip).
/// stdin, stdout and stderr are temporary files, so no pipe can fill up and block either side.
enum ExternalTool {
    /// The absolute path of `name` in `$PATH` (or the usual system directories when `$PATH` is unset).
    static func locate(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for dir in path.split(separator: ":") where !dir.isEmpty {
            let candidate = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    static func filter(_ name: String, arguments: [String], input: [UInt8]) throws(ExternalToolError) -> [UInt8] {
        guard let executable = locate(name) else { throw .notFound(tool: name) }
        let fm = FileManager.default
        let dir = fm.temporaryDirectory.appendingPathComponent("xen-board-\(name)-\(UUID().uuidString)")
        defer { try? fm.removeItem(at: dir) }
        let inURL = dir.appendingPathComponent("in"), outURL = dir.appendingPathComponent("out")
        let errURL = dir.appendingPathComponent("err")
        let command = ([name] + arguments).joined(separator: " ")
        do {
            try fm.createDirectory(at: dir, withIntermediateDirectories: true)
            try Data(input).write(to: inURL)
            try Data().write(to: outURL)
            try Data().write(to: errURL)
            let stdin = try FileHandle(forReadingFrom: inURL)
            let stdout = try FileHandle(forWritingTo: outURL)
            let stderr = try FileHandle(forWritingTo: errURL)
            defer { try? stdin.close(); try? stdout.close(); try? stderr.close() }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
            process.standardInput = stdin
            process.standardOutput = stdout
            process.standardError = stderr
            try process.run()
            process.waitUntilExit()
            guard process.terminationReason == .exit, process.terminationStatus == 0 else {
                let message = (try? String(contentsOf: errURL, encoding: .utf8)) ?? ""
                throw ExternalToolError.failed(command: command, status: process.terminationStatus,
                                               stderr: message.trimmingCharacters(in: .whitespacesAndNewlines))
            }
            return [UInt8](try Data(contentsOf: outURL))
        } catch let error as ExternalToolError {
            throw error
        } catch {
            throw .io(command: command, reason: "\(error)")
        }
    }
}

/// A host tool this module runs (gzip) was missing or failed.
public enum ExternalToolError: Error, Sendable, Equatable, CustomStringConvertible {
    case notFound(tool: String)
    case failed(command: String, status: Int32, stderr: String)
    case io(command: String, reason: String)

    public var description: String {
        switch self {
        case .notFound(let tool): return "\(tool): expected the tool in $PATH (install it with scripts/setup.sh)"
        case .failed(let command, let status, let stderr):
            return "\(command): exited with status \(status)\(stderr.isEmpty ? "" : ": \(stderr)")"
        case .io(let command, let reason): return "\(command): could not run it: \(reason)"
        }
    }
}
