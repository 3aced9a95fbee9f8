import Foundation
import Infrastructure

extension PrivateApt {
    /// Creates the directories and files, and refreshes the index (`apt-get update`) when it is missing, was loaded
    /// from other sources, is older than `maxListAge`, or `refresh` is set. Under the exclusive lock.
    public func prepare(refresh: Bool = false, progress: (String) -> Void = { _ in }) throws(PrivateAptError) {
        try writeFiles()
        guard refresh || needsUpdate() else { return }
        try withLock(exclusive: true) { () throws(PrivateAptError) in
            guard refresh || needsUpdate() else { return }   // another process did it meanwhile
            try update(progress: progress)
        }
    }

    /// Whether the index must be loaded again (see `prepare`).
    func needsUpdate() -> Bool {
        guard let stamp = FileManager.default.contents(atPath: updateStamp.path),
              String(decoding: stamp, as: UTF8.self) == sourcesText,
              let attributes = try? FileManager.default.attributesOfItem(atPath: updateStamp.path),
              let modified = attributes[.modificationDate] as? Date
        else { return true }
        return Date().timeIntervalSince(modified) > maxListAge
    }

    private func update(progress: (String) -> Void) throws(PrivateAptError) {
        let what = suites.map(\.suite).joined(separator: ", ")
        progress("\(release): loading the package index of \(what) (apt-get update, private configuration)")
        let r = try run("apt-get", ["update", "-q"], timeout: 900, locked: false)
        if r.status != 0 || r.timedOut {
            throw .aptFailed(command: "apt-get update (\(release), sources \(sourcesFile.path))", status: r.status,
                             output: r.timedOut ? "timed out after 900 s" : r.stderr + r.stdout)
        }
        try write(sourcesText, to: updateStamp)
    }

    private func writeFiles() throws(PrivateAptError) {
        for dir in ["etc/sources.list.d", "etc/preferences.d", "lists/partial", "state", "cache", "archives/partial"] {
            let url = root.appendingPathComponent(dir, isDirectory: true)
            do { try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true) } catch {
                throw .fileSystem(path: url.path, operation: "create directory", detail: error.localizedDescription)
            }
        }
        if !FileManager.default.fileExists(atPath: status.path) { try write("", to: status) }
        let sourceList = etc.appendingPathComponent("sources.list")
        if !FileManager.default.fileExists(atPath: sourceList.path) { try write("", to: sourceList) }
        if FileManager.default.contents(atPath: sourcesFile.path).map({ String(decoding: $0, as: UTF8.self) }) != sourcesText {
            try write(sourcesText, to: sourcesFile)
        }
    }

    /// Writes `text` to a temporary file next to `url`, then renames it into place.
    private func write(_ text: String, to url: URL) throws(PrivateAptError) {
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString)")
        guard FileManager.default.createFile(atPath: temporary.path, contents: Data(text.utf8)),
              rename(temporary.path, url.path) == 0
        else {
            let detail = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw .fileSystem(path: url.path, operation: "write", detail: detail)
        }
    }

    /// Runs an apt tool with this configuration's options (under the shared lock unless `locked` is false).
    public func run(_ tool: String, _ arguments: [String], in directory: URL? = nil, timeout: TimeInterval,
                    locked: Bool = true) throws(PrivateAptError) -> ProcessResult
    {
        func launch() throws(PrivateAptError) -> ProcessResult {
            do {
                return try ProcessRunner.run(tool, options + arguments, in: directory, timeout: timeout)
            } catch {
                switch error {
                case .notFound: throw .toolMissing(tool: tool)
                case let .launch(_, detail): throw .aptFailed(command: tool, status: -1, output: "could not start: \(detail)")
                }
            }
        }
        return locked ? try withLock(exclusive: false, launch) : try launch()
    }

    /// Runs `body` holding `lock` (`FileLock`, exclusive or shared); released when `body` returns.
    func withLock<T>(exclusive: Bool, _ body: () throws(PrivateAptError) -> T) throws(PrivateAptError) -> T {
        switch FileLock.acquire(lockFile, shared: !exclusive) {
        case let .failure(f): throw .fileSystem(path: f.path, operation: f.step.rawValue, detail: f.detail)
        case let .success(lock):
            defer { lock.release() }
            return try body()
        }
    }

    /// A fingerprint of the loaded index (the update stamp's time and the sources), or nil before the first update:
    /// remembered answers are valid while it is unchanged.
    public func stateKey() -> String? {
        guard !needsUpdate(), let attributes = try? FileManager.default.attributesOfItem(atPath: updateStamp.path),
              let modified = attributes[.modificationDate] as? Date else { return nil }
        return "\(release.rawValue) \(modified.timeIntervalSince1970)\n" + sourcesText
    }
}
