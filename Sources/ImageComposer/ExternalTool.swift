import Foundation
import Infrastructure

/// Runs a host tool as a filter through Infrastructure's process runner: bytes in on stdin, bytes out from stdout
/// (internal; used for gzip).
enum ExternalTool {
    static func filter(_ name: String, arguments: [String], input: [UInt8]) throws(ExternalToolError) -> [UInt8] {
        let command = ([name] + arguments).joined(separator: " ")
        let r: ProcessResult
        do {
            r = try ProcessRunner.run(name, arguments, stdin: input, timeout: 600)
        } catch {
            switch error {
            case .notFound: throw .notFound(tool: name)
            case .launch(_, let detail): throw .io(command: command, reason: detail)
            }
        }
        guard r.status == 0, !r.timedOut else {
            let message = r.timedOut ? "timed out after 600 s" : r.stderr.trimmingCharacters(in: .whitespacesAndNewlines)
            throw .failed(command: command, status: r.status, stderr: message)
        }
        return r.stdoutBytes
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
