import Foundation

/// Runs external tools without a shell, for every module that needs one (package cache, Xen builds, image tools).
/// Output goes to files, never pipes, so a chatty tool can never block on a full pipe; `LC_ALL=C` keeps messages
/// stable for parsing. Foundation only.
public enum Subprocess {
    public struct Result: Sendable {
        public let status: Int32
        /// stdout, or stdout and stderr interleaved when `mergeStderr`, or the part appended to `log`.
        public let stdout: String
        public let stderr: String
        public let timedOut: Bool
        /// `stdout` as raw bytes (for tools whose output is binary).
        public let stdoutBytes: [UInt8]
    }

    public enum Failure: Error, Sendable {
        case notFound(String)
        case launch(String, String)
    }

    /// Absolute path of `tool` from `PATH` (or the standard system directories), or nil.
    public static func locate(_ tool: String) -> String? {
        if tool.hasPrefix("/") { return FileManager.default.isExecutableFile(atPath: tool) ? tool : nil }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        for dir in path.split(separator: ":").map(String.init) + ["/usr/bin", "/bin", "/usr/sbin", "/sbin"] where !dir.isEmpty {
            let candidate = dir + "/" + tool
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Runs `tool` (a name looked up on PATH, or an absolute path).
    /// - Parameters:
    ///   - environment: added to the current environment (after `LC_ALL=C`); `removing` names variables to drop.
    ///   - stdin: bytes fed to the tool (through a file); nil means /dev/null.
    ///   - log: append the output to this file (and return only what this run appended); implies `mergeStderr`.
    ///   - tick: called every `tickInterval` seconds while the tool runs, with the seconds elapsed.
    ///   - timeout: the tool is terminated (then killed) after this many seconds; `timedOut` is then true.
    public static func run(_ tool: String, _ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:],
                           removing: [String] = [], stdin: [UInt8]? = nil, log: URL? = nil, mergeStderr: Bool = false,
                           timeout: TimeInterval = 3600, tickInterval: TimeInterval = 10,
                           tick: (TimeInterval) -> Void = { _ in }) throws(Failure) -> Result
    {
        guard let executable = locate(tool) else { throw .notFound(tool) }
        let fm = FileManager.default
        let scratch = fm.temporaryDirectory.appendingPathComponent("xen-board-\(UUID().uuidString)")
        let outURL = log ?? scratch.appendingPathExtension("out")
        let errURL = scratch.appendingPathExtension("err")
        let inURL = scratch.appendingPathExtension("in")
        defer {
            if log == nil { try? fm.removeItem(at: outURL) }
            try? fm.removeItem(at: errURL)
            try? fm.removeItem(at: inURL)
        }
        let merge = mergeStderr || log != nil
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        var env = ProcessInfo.processInfo.environment
        env["LC_ALL"] = "C"
        for name in removing { env.removeValue(forKey: name) }
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let done = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in done.signal() }
        var timedOut = false
        let startOffset: UInt64
        do {
            if !fm.fileExists(atPath: outURL.path), !fm.createFile(atPath: outURL.path, contents: nil) {
                throw Failure.launch(tool, "cannot create \(outURL.path)")
            }
            guard merge || fm.createFile(atPath: errURL.path, contents: nil) else { throw Failure.launch(tool, "cannot create \(errURL.path)") }
            let out = try FileHandle(forWritingTo: outURL)
            startOffset = try out.seekToEnd()
            let err = merge ? out : try FileHandle(forWritingTo: errURL)
            defer {
                try? out.close()
                if !merge { try? err.close() }
            }
            process.standardOutput = out
            process.standardError = err
            if let stdin {
                guard fm.createFile(atPath: inURL.path, contents: Data(stdin)) else { throw Failure.launch(tool, "cannot create \(inURL.path)") }
                process.standardInput = try FileHandle(forReadingFrom: inURL)
            } else {
                process.standardInput = FileHandle.nullDevice
            }
            try process.run()
            let start = Date()
            while true {
                let elapsed = Date().timeIntervalSince(start)
                if elapsed >= timeout {
                    timedOut = true
                    process.terminate()
                    if done.wait(timeout: .now() + 5) == .timedOut {
                        kill(process.processIdentifier, SIGKILL)
                        done.wait()
                    }
                    break
                }
                if done.wait(timeout: .now() + min(tickInterval, timeout - elapsed)) == .success { break }
                tick(Date().timeIntervalSince(start))
            }
            process.waitUntilExit()
        } catch let failure as Failure {
            throw failure
        } catch {
            throw .launch(tool, error.localizedDescription)
        }
        var bytes: [UInt8] = []
        if let read = try? FileHandle(forReadingFrom: outURL) {
            defer { try? read.close() }
            if (try? read.seek(toOffset: startOffset)) != nil, let data = try? read.readToEnd() { bytes = [UInt8](data) }
        }
        let stderr = merge ? "" : ((try? String(contentsOf: errURL, encoding: .utf8)) ?? "")
        return Result(status: process.terminationStatus, stdout: String(decoding: bytes, as: UTF8.self), stderr: stderr,
                      timedOut: timedOut, stdoutBytes: bytes)
    }
}
