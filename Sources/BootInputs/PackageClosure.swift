import Foundation
import Infrastructure
import PrivateApt

/// The dependency closure of a set of packages for one architecture, as apt resolves it: `apt-get install --simulate
/// --no-install-recommends` against an empty dpkg status with the target as apt's native architecture, so the answer
/// is the same on every machine (nothing installed on the host is left out, and `python3:any` is the target's python).
/// Answers are remembered in `<root>/apt-closures.json` while apt's state is unchanged (a simulation costs seconds).
extension PackageCache {
    /// Every package apt would install for `roots` on `arch` (a Debian architecture), each resolved with the size and
    /// SHA-256 of its `.deb`, sorted by name.
    public func closure(of roots: [String], arch: String) throws(PackageError) -> [ResolvedPackage] {
        let specs = try roots.map { name throws(PackageError) in try PackageSpec(name, arch: arch) }
        guard let apt = aptSource else { throw .aptFailed(command: "apt-get install --simulate", status: -1, output: "no apt source") }
        let memoKey = (["2", arch] + roots).joined(separator: " ")   // 2: architecture-independent packages as name:all
        let pinned: [PackageSpec]
        if let remembered = ClosureMemo.load(file: closureMemoFile, state: stateKey, key: memoKey) {
            pinned = try remembered.map { text throws(PackageError) in try PackageSpec(parsing: text) }
        } else {
            pinned = try apt.simulateInstall(specs, arch: arch, emptyStatus: try emptyStatusFile())
            ClosureMemo.save(pinned.map(\.description), file: closureMemoFile, state: stateKey, key: memoKey)
        }
        return try resolve(pinned).sorted { $0.name < $1.name }
    }

    var closureMemoFile: URL { root.appendingPathComponent("apt-closures.json") }

    /// The underlying apt source and the fingerprint of its state (nil: answers are not remembered).
    var aptSource: AptSource? { (source as? MemoizedSource)?.base as? AptSource ?? source as? AptSource }
    var stateKey: String? { (source as? MemoizedSource)?.stateKey() }

    /// `<root>/apt-empty-status`: a dpkg status with nothing installed.
    func emptyStatusFile() throws(PackageError) -> URL {
        let file = root.appendingPathComponent("apt-empty-status")
        if CacheFiles.fileSize(file) == 0 { return file }
        try CacheFiles.makeDirectory(root)
        guard FileManager.default.createFile(atPath: file.path, contents: Data()) else {
            throw .fileSystem(path: file.path, operation: "create", detail: CacheFiles.errnoText())
        }
        return file
    }
}

extension AptSource {
    /// `apt-get install --simulate --no-install-recommends ROOTS` with `arch` native and nothing installed: the
    /// `Inst NAME (VERSION ... [ARCH])` lines, as pinned specs.
    func simulateInstall(_ roots: [PackageSpec], arch: String, emptyStatus: URL) throws(PackageError) -> [PackageSpec] {
        var arguments = ["-o", "APT::Architecture=" + arch, "-o", "APT::Architectures=" + arch, "-o", "Debug::NoLocking=1"]
        if privateApt == nil { arguments += ["-o", "Dir::State::status=" + emptyStatus.path] }
        arguments += ["install", "--simulate", "--no-install-recommends", "-q"] + roots.map(\.name)
        let command = "apt-get install --simulate --no-install-recommends " + roots.map(\.name).joined(separator: " ")
            + " (\(arch)\(privateApt.map { ", \($0.release), private" } ?? ""))"
        let result: ProcessResult
        if let privateApt {
            do {
                try privateApt.prepare()
                result = try privateApt.run("apt-get", arguments, timeout: 600)
            } catch {
                throw .aptFailed(command: command, status: -1, output: error.description)
            }
        } else {
            do { result = try ProcessRunner.run("apt-get", arguments, timeout: 600) } catch {
                throw Self.map(error, tool: "apt-get", command: command)
            }
        }
        guard result.status == 0, !result.timedOut else {
            throw .aptFailed(command: command, status: result.status, output: result.timedOut ? "timed out after 600 s" : result.diagnostic)
        }
        let specs = try Self.installLines(result.stdout, arch: arch)
        guard !specs.isEmpty else { throw .aptFailed(command: command, status: 0, output: "apt would install nothing") }
        return specs
    }

    /// `Inst libc6 (2.36-9+deb12u14 Debian:12.15/oldstable [arm64]) []` -> `libc6:arm64=2.36-9+deb12u14`;
    /// `Inst debconf (1.5.82 Debian:12.15/oldstable [all])` -> `debconf:all=1.5.82`.
    static func installLines(_ output: String, arch: String) throws(PackageError) -> [PackageSpec] {
        var specs: [PackageSpec] = []
        for line in output.split(separator: "\n") where line.hasPrefix("Inst ") {
            let words = line.split(separator: " ")
            guard words.count >= 3, words[2].hasPrefix("(") else { continue }
            // apt answers `name:all=version` for architecture-independent packages, not `name:arm64=version`.
            let all = words.contains { $0 == "[all])" }
            specs.append(try PackageSpec(String(words[1]), arch: all ? "all" : arch, version: String(words[2].dropFirst())))
        }
        return specs
    }
}

/// `<root>/apt-closures.json`: closures by apt state and request (best effort, like `MemoizedSource`).
enum ClosureMemo {
    struct Memo: Codable {
        var state: String
        var closures: [String: [String]]
    }

    static func load(file: URL, state: String?, key: String) -> [String]? {
        guard let state, let data = FileManager.default.contents(atPath: file.path),
              let memo = try? JSONDecoder().decode(Memo.self, from: data), memo.state == state else { return nil }
        return memo.closures[key]
    }

    static func save(_ closure: [String], file: URL, state: String?, key: String) {
        guard let state else { return }
        var memo = (FileManager.default.contents(atPath: file.path)).flatMap { try? JSONDecoder().decode(Memo.self, from: $0) }
        if memo?.state != state { memo = Memo(state: state, closures: [:]) }
        memo?.closures[key] = closure
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        guard let memo, let data = try? encoder.encode(memo) else { return }
        let temporary = file.deletingLastPathComponent().appendingPathComponent(".\(file.lastPathComponent).\(UUID().uuidString)")
        guard FileManager.default.createFile(atPath: temporary.path, contents: data) else { return }
        if CacheFiles.rename(temporary, to: file) != 0 { CacheFiles.remove(temporary) }
    }
}
