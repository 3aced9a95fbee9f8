import Foundation

/// The outcome of running an external tool.
struct ProcessResult: Sendable {
    var status: Int32
    var stdout: String
    var stderr: String
    var timedOut: Bool

    /// stderr, else stdout: what to quote when the tool failed.
    var diagnostic: String { stderr.isEmpty ? stdout : stderr }
}

/// Runs external tools (apt-cache, apt-get, dpkg-deb, sha256sum) without a shell. Output goes to temporary files,
/// not pipes, so a chatty tool can never block on a full pipe; `LC_ALL=C` keeps apt's output stable.
enum ProcessRunner {
    enum Failure: Error {
        case notFound(String)
        case launch(String, String)
    }

    /// Absolute path of `tool` from `PATH` (or the standard system directories), or nil.
    static func locate(_ tool: String) -> String? {
        if tool.hasPrefix("/") { return FileManager.default.isExecutableFile(atPath: tool) ? tool : nil }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let dirs = path.split(separator: ":").map(String.init) + ["/usr/bin", "/bin", "/usr/sbin", "/sbin"]
        for dir in dirs where !dir.isEmpty {
            let candidate = dir + "/" + tool
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Runs `tool` with `arguments` in `directory`; kills it after `timeout` seconds (then `timedOut` is true).
    static func run(_ tool: String, _ arguments: [String], in directory: URL? = nil,
                    timeout: TimeInterval) throws(Failure) -> ProcessResult
    {
        guard let executable = locate(tool) else { throw .notFound(tool) }
        let scratch = FileManager.default.temporaryDirectory
        let stamp = UUID().uuidString
        let outURL = scratch.appendingPathComponent("xen-board-\(stamp).out")
        let errURL = scratch.appendingPathComponent("xen-board-\(stamp).err")
        defer {
            try? FileManager.default.removeItem(at: outURL)
            try? FileManager.default.removeItem(at: errURL)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        var environment = ProcessInfo.processInfo.environment
        environment["LC_ALL"] = "C"
        process.environment = environment
        let done = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in done.signal() }
        var timedOut = false
        do {
            guard FileManager.default.createFile(atPath: outURL.path, contents: nil),
                  FileManager.default.createFile(atPath: errURL.path, contents: nil)
            else { throw Failure.launch(tool, "cannot create output files in \(scratch.path)") }
            let out = try FileHandle(forWritingTo: outURL)
            let err = try FileHandle(forWritingTo: errURL)
            defer {
                try? out.close()
                try? err.close()
            }
            process.standardOutput = out
            process.standardError = err
            process.standardInput = FileHandle.nullDevice
            try process.run()
            if done.wait(timeout: .now() + timeout) == .timedOut {
                timedOut = true
                process.terminate()
                if done.wait(timeout: .now() + 5) == .timedOut {
                    kill(process.processIdentifier, SIGKILL)
                    done.wait()
                }
            }
            process.waitUntilExit()
        } catch let failure as Failure {
            throw failure
        } catch {
            throw .launch(tool, error.localizedDescription)
        }
        let stdout = (try? String(contentsOf: outURL, encoding: .utf8)) ?? ""
        let stderr = (try? String(contentsOf: errURL, encoding: .utf8)) ?? ""
        return ProcessResult(status: process.terminationStatus, stdout: stdout, stderr: stderr, timedOut: timedOut)
    }
}
