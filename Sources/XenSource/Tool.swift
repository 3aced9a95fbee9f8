import Foundation
import Infrastructure

/// Runs external tools (apt-get, dpkg-source, cp, make) without a shell. Output goes to a file (a build log or a
/// scratch file), never a pipe, so a chatty tool cannot block; `LC_ALL=C` keeps messages stable for parsing.
enum Tool {
    struct Result {
        let status: Int32
        let output: String
        let timedOut: Bool
    }

    static func locate(_ tool: String) -> String? { ProcessRunner.locate(tool) }

    static func require(_ tool: String, package: String) throws(XenSourceError) -> String {
        guard let path = locate(tool) else { throw .toolMissing(tool: tool, hint: package) }
        return path
    }

    /// Runs `executable arguments` in `directory`. Output (stdout and stderr, interleaved) is appended to `log` when
    /// given (and also returned), else captured in a scratch file. `tick` is called every `tickInterval` seconds while
    /// the tool runs, with the seconds elapsed. After `timeout` seconds the tool is terminated.
    static func run(_ executable: String, _ arguments: [String], in directory: URL? = nil, log: URL? = nil,
                    environment extra: [String: String] = [:], timeout: TimeInterval = 3600,
                    tickInterval: TimeInterval = 10, tick: (TimeInterval) -> Void = { _ in }) throws(XenSourceError) -> Result
    {
        let command = ([URL(fileURLWithPath: executable).lastPathComponent] + arguments).joined(separator: " ")
        // make's own variables from a calling make would leak into Xen's build.
        let r: ProcessResult
        do {
            r = try ProcessRunner.run(executable, arguments, in: directory, environment: extra, removing: ["MAKEFLAGS", "MFLAGS"],
                                   log: log, mergeStderr: true, timeout: timeout, tickInterval: tickInterval, tick: tick)
        } catch {
            throw .commandFailed(command: command, status: -1, excerpt: ["cannot start: \(error)"], log: log?.path)
        }
        var output = r.stdout
        if r.timedOut { output += "\n(timed out after \(Int(timeout)) s)" }
        return Result(status: r.timedOut ? -1 : r.status, output: output, timedOut: r.timedOut)
    }

    /// Runs and throws `commandFailed` (with the last lines of output) unless the tool exits 0.
    @discardableResult
    static func check(_ executable: String, _ arguments: [String], in directory: URL? = nil, log: URL? = nil,
                      environment: [String: String] = [:], timeout: TimeInterval = 3600) throws(XenSourceError) -> String
    {
        let r = try run(executable, arguments, in: directory, log: log, environment: environment, timeout: timeout)
        guard r.status == 0 else {
            let command = ([URL(fileURLWithPath: executable).lastPathComponent] + arguments).joined(separator: " ")
            throw .commandFailed(command: command, status: r.status, excerpt: lastLines(r.output, 15), log: log?.path)
        }
        return r.output
    }

    static func lastLines(_ text: String, _ n: Int) -> [String] {
        Array(text.split(separator: "\n").map(String.init).suffix(n))
    }
}

/// The file operations the cache builds on: unique temporary directories next to their final place, and `rename(2)`.
enum Files {
    static func makeDirectory(_ url: URL) throws(XenSourceError) {
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            throw .fileSystem(path: url.path, operation: "create directory", detail: error.localizedDescription)
        }
    }

    /// A new, empty, uniquely named scratch directory in `parent` (`.xb-scratch-PID-…-<prefix>`): a run killed
    /// before removing it leaves it to the next run's sweep of `parent` (StaleStaging).
    static func temporaryDirectory(in parent: URL, prefix: String) throws(XenSourceError) -> URL {
        do {
            return try StaleStaging.scratchDirectory(prefix.trimmingCharacters(in: CharacterSet(charactersIn: ".")), in: parent)
        } catch {
            throw .fileSystem(path: parent.path, operation: "create a temporary directory in", detail: error.reason)
        }
    }

    /// `rename(2)`: true on success.
    static func rename(_ from: URL, to: URL) -> Bool { Foundation.rename(from.path, to.path) == 0 }

    static func remove(_ url: URL) { try? FileManager.default.removeItem(at: url) }

    static func exists(_ url: URL) -> Bool { FileManager.default.fileExists(atPath: url.path) }

    static func isDirectory(_ url: URL) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir) && isDir.boolValue
    }

    static func read(_ url: URL) throws(XenSourceError) -> String {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw .fileSystem(path: url.path, operation: "read", detail: exists(url) ? "unreadable" : "no such file")
        }
        return String(decoding: data, as: UTF8.self)
    }

    static func write(_ data: Data, to url: URL) throws(XenSourceError) {
        do {
            try data.write(to: url)
        } catch {
            throw .fileSystem(path: url.path, operation: "write", detail: error.localizedDescription)
        }
    }

    /// Writes through the one output-placement helper (temporary sibling, then rename): bookkeeping files are
    /// either the old or the new content, never half-written.
    static func writeAtomically(_ data: Data, to url: URL) throws(XenSourceError) {
        do {
            try OutputPlacement.writeFile([UInt8](data), to: url.path, force: true)
        } catch {
            throw .fileSystem(path: url.path, operation: "write", detail: error.reason)
        }
    }

    /// Replaces the directory `target` with `staged` (a sibling): old moved aside, new renamed in, old removed.
    static func replaceDirectory(_ target: URL, with staged: URL) throws(XenSourceError) {
        let parent = target.deletingLastPathComponent()
        if exists(target) {
            let aside = StaleStaging.aside(for: target)
            guard rename(target, to: aside) else {
                throw .fileSystem(path: target.path, operation: "move aside", detail: errnoText())
            }
            defer { remove(aside) }
            guard rename(staged, to: target) else {
                let reason = errnoText()
                _ = rename(aside, to: target)
                throw .fileSystem(path: target.path, operation: "rename \(staged.lastPathComponent) to", detail: reason)
            }
        } else if !rename(staged, to: target) {
            throw .fileSystem(path: target.path, operation: "rename \(staged.lastPathComponent) to", detail: errnoText())
        }
    }

    static func errnoText() -> String { String(cString: strerror(errno)) }
}
