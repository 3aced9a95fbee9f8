import Foundation
import Subprocess

/// The outcome of running an external tool.
struct ProcessResult: Sendable {
    var status: Int32
    var stdout: String
    var stderr: String
    var timedOut: Bool

    /// stderr, else stdout: what to quote when the tool failed.
    var diagnostic: String { stderr.isEmpty ? stdout : stderr }
}

/// Runs the package tools (apt-cache, apt-get, dpkg-deb, sha256sum) through `Subprocess`, stdout and stderr apart.
enum ProcessRunner {
    typealias Failure = Subprocess.Failure

    static func locate(_ tool: String) -> String? { Subprocess.locate(tool) }

    /// Runs `tool` with `arguments` in `directory`; kills it after `timeout` seconds (then `timedOut` is true).
    static func run(_ tool: String, _ arguments: [String], in directory: URL? = nil,
                    timeout: TimeInterval) throws(Failure) -> ProcessResult
    {
        let r = try Subprocess.run(tool, arguments, in: directory, timeout: timeout)
        return ProcessResult(status: r.status, stdout: r.stdout, stderr: r.stderr, timedOut: r.timedOut)
    }
}
