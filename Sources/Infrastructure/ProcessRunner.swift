import Foundation

/// What a finished (or stopped) process did.
public struct ProcessResult: Sendable {
    public let status: Int32
    /// stdout, or stdout and stderr interleaved when merged, or the part appended to `log`.
    public let stdout: String
    public let stderr: String
    /// The process ran past its timeout and was terminated.
    public let timedOut: Bool
    /// `output` asked to stop and the process was terminated.
    public let stopped: Bool
    /// `stdout` as raw bytes (for tools whose output is binary).
    public let stdoutBytes: [UInt8]

    /// stderr, else stdout: what to quote when the tool failed.
    public var diagnostic: String { stderr.isEmpty ? stdout : stderr }
}

/// The tool could not be started.
public enum ProcessFailure: Error, Sendable, Equatable, CustomStringConvertible {
    case notFound(String)
    case launch(String, String)

    public var description: String {
        switch self {
        case .notFound(let tool): return "\(tool): expected the tool in $PATH (scripts/setup.sh installs it)"
        case .launch(let tool, let detail): return "\(tool): could not run it: \(detail)"
        }
    }
}

/// The one way xen-board runs another program (apt, dpkg-deb, mkimage, make, QEMU, gzip, and the tests' tools):
/// no shell, output to files (never pipes, so a chatty tool can never block on a full pipe), `LC_ALL=C` so messages
/// stay stable, a timeout after which the tool is terminated (then killed), and optionally its output streamed
/// to a callback as it arrives, which may end the run early (a boot that has shown what it had to).
public enum ProcessRunner {
    /// How to run one tool; every field has the default most callers want.
    public struct Options {
        /// Working directory (the current one when nil).
        public var directory: URL? = nil
        /// Added to the current environment (after `LC_ALL=C`); `removing` names variables dropped first.
        public var environment: [String: String] = [:]
        public var removing: [String] = []
        /// Bytes fed on stdin (through a file); nil means /dev/null.
        public var stdin: [UInt8]? = nil
        /// A pipe the caller writes to while the tool runs (typing on a console); replaces `stdin` when set.
        public var input: Pipe? = nil
        /// Append the output to this file (the result holds only what this run appended); implies `mergeStderr`.
        public var log: URL? = nil
        public var mergeStderr = false
        public var timeout: TimeInterval = 3600
        /// `tick` is called every `tickInterval` seconds while the tool runs, with the seconds elapsed.
        public var tickInterval: TimeInterval = 10
        public var tick: (TimeInterval) -> Void = { _ in }
        /// Called with each new piece of output (stdout, merged with stderr when merging); returning true stops the tool.
        public var output: ((String) -> Bool)? = nil
        /// Asked every 50 ms while the tool runs, output or not; returning true stops the tool (a grace period after
        /// a console marker ends even when the tool went quiet).
        public var poll: (() -> Bool)? = nil

        public init() {}
    }

    /// Absolute path of `tool` from `PATH` (or the standard system directories), or nil.
    public static func locate(_ tool: String) -> String? {
        if tool.contains("/") { return FileManager.default.isExecutableFile(atPath: tool) ? tool : nil }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        for dir in path.split(separator: ":").map(String.init) + ["/usr/bin", "/bin", "/usr/sbin", "/sbin"] where !dir.isEmpty {
            let candidate = dir + "/" + tool
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Runs `tool` (a name looked up on PATH, or a path) with the common options spelled out.
    public static func run(_ tool: String, _ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:],
                           removing: [String] = [], stdin: [UInt8]? = nil, log: URL? = nil, mergeStderr: Bool = false,
                           timeout: TimeInterval = 3600, tickInterval: TimeInterval = 10,
                           tick: (TimeInterval) -> Void = { _ in }) throws(ProcessFailure) -> ProcessResult
    {
        try withoutActuallyEscaping(tick) { (tick) throws(ProcessFailure) -> ProcessResult in
            var o = Options()
            o.directory = directory
            o.environment = environment
            o.removing = removing
            o.stdin = stdin
            o.log = log
            o.mergeStderr = mergeStderr
            o.timeout = timeout
            o.tickInterval = tickInterval
            o.tick = tick
            return try run(tool, arguments, o)
        }
    }

    /// Runs `tool` with `options`.
    public static func run(_ tool: String, _ arguments: [String], _ options: Options) throws(ProcessFailure) -> ProcessResult {
        guard let executable = locate(tool) else { throw .notFound(tool) }
        let files = try ProcessFiles(tool: tool, log: options.log, merge: options.mergeStderr || options.log != nil, stdin: options.stdin)
        defer { files.remove() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory = options.directory { process.currentDirectoryURL = directory }
        var env = ProcessInfo.processInfo.environment
        env["LC_ALL"] = "C"
        for name in options.removing { env.removeValue(forKey: name) }
        for (k, v) in options.environment { env[k] = v }
        process.environment = env
        let done = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in done.signal() }
        let (timedOut, stopped) = try files.launch(process, tool, input: options.input) { () throws(ProcessFailure) in
            watch(process, done: done, files: files, options: options)
        }
        return files.result(status: process.terminationStatus, timedOut: timedOut, stopped: stopped)
    }

    /// Waits for `process`, ticking, streaming and enforcing the timeout; returns (timed out, stopped by `output`).
    private static func watch(_ process: Process, done: DispatchSemaphore, files: ProcessFiles,
                              options: Options) -> (Bool, Bool) {
        let start = Date()
        var lastTick = start
        var reader = files.reader()
        while true {
            let elapsed = Date().timeIntervalSince(start)
            if elapsed >= options.timeout { stop(process, done); return (true, false) }
            let slice = options.output == nil && options.poll == nil ? options.tickInterval : 0.05
            let exited = done.wait(timeout: .now() + min(slice, options.timeout - elapsed)) == .success
            if let output = options.output, let chunk = reader?.next(), !chunk.isEmpty, output(chunk) {
                if !exited { stop(process, done) }
                return (false, true)
            }
            if exited { return (false, false) }
            if let poll = options.poll, poll() { stop(process, done); return (false, true) }
            if Date().timeIntervalSince(lastTick) >= options.tickInterval {
                lastTick = Date()
                options.tick(lastTick.timeIntervalSince(start))
            }
        }
    }

    /// SIGTERM, then SIGKILL after 5 s, to the tool's whole process group (Foundation starts each tool in a group of
    /// its own; a shell's or make's children would otherwise keep running, and Foundation waits for them).
    private static func stop(_ process: Process, _ done: DispatchSemaphore) {
        let group = -process.processIdentifier
        if kill(group, SIGTERM) != 0 { process.terminate() }
        if done.wait(timeout: .now() + 5) == .timedOut {
            if kill(group, SIGKILL) != 0 { kill(process.processIdentifier, SIGKILL) }
            done.wait()
        }
    }
}
