import Foundation
import Infrastructure

/// A Debian source package version as the private index gives it: the suite that carries it and the files of its
/// `.dsc`, each with size and SHA-256 (from `apt-get source --print-uris`).
public struct SourcePackage: Equatable, Sendable, CustomStringConvertible {
    public struct File: Equatable, Sendable {
        public var name: String
        public var size: UInt64
        public var sha256: String
    }

    public var name: String
    public var version: String
    /// The suites that carry this version (e.g. `bookworm-security`).
    public var suites: [String]
    public var files: [File]

    /// `xen 4.17.7+13-g2445b30a44-0+deb12u1 (bookworm-security)`.
    public var description: String { "\(name) \(version) (\(suites.joined(separator: ", ")))" }

    /// Parses `apt-get source --print-uris` output: `Selected version 'V' (SUITE) for NAME` and one line per file,
    /// `'URI' NAME SIZE SHA256:HEX`.
    static func parsePrintURIs(_ output: String, name: String) -> SourcePackage? {
        var version: String?
        var suite: String?
        var files: [File] = []
        for line in output.split(separator: "\n") {
            if line.hasPrefix("Selected version '"), let v = line.dropFirst("Selected version '".count).split(separator: "'").first {
                version = String(v)
                if let open = line.firstIndex(of: "("), let close = line.lastIndex(of: ")"), open < close {
                    suite = String(line[line.index(after: open)..<close])
                }
            } else if line.hasPrefix("'") {
                let words = line.split(separator: " ")
                guard words.count >= 4, let size = UInt64(words[2]), words[3].hasPrefix("SHA256:") else { continue }
                files.append(File(name: String(words[1]), size: size, sha256: String(words[3].dropFirst(7)).lowercased()))
            }
        }
        guard let version, let suite, !files.isEmpty else { return nil }
        return SourcePackage(name: name, version: version, suites: [suite], files: files)
    }

    /// The `.dsc` file's name.
    public var dscName: String? { files.first { $0.name.hasSuffix(".dsc") }?.name }
}

extension PrivateApt {
    /// The newest version of source package `name` whose upstream version starts with `prefix` (e.g. `4.17.`) across
    /// the release's suites (security updates included), with every suite that carries it.
    public func newestSource(_ name: String, versionPrefix prefix: String, progress: (String) -> Void = { _ in })
        throws(PrivateAptError) -> SourcePackage
    {
        try prepare(progress: progress)
        var found: [SourcePackage] = []
        for (suite, _) in suites {
            let r = try run("apt-get", ["source", "--print-uris", "-q", "\(name)/\(suite)"], timeout: 300)
            guard r.status == 0, let package = SourcePackage.parsePrintURIs(r.stdout, name: name),
                  Self.withoutEpoch(package.version).hasPrefix(prefix) else { continue }
            if let i = found.firstIndex(where: { $0.version == package.version }) {
                found[i].suites += package.suites
            } else {
                found.append(package)
            }
        }
        var best: SourcePackage?
        for candidate in found {
            if let current = best, try !isNewer(candidate.version, than: current.version) { continue }
            best = candidate
        }
        guard let best else {
            throw .sourceUnknown(package: name, release: release, wanted: prefix + "x", suites: suites.map(\.suite))
        }
        return best
    }

    /// Downloads `package`'s files into `directory` (`apt-get source --download-only`) and checks each file's size and
    /// SHA-256 against the index.
    public func download(_ package: SourcePackage, into directory: URL) throws(PrivateAptError) {
        let spec = "\(package.name)=\(package.version)"
        let r = try run("apt-get", ["source", "--download-only", "-q", spec], in: directory, timeout: 1800)
        guard r.status == 0 else {
            throw .aptFailed(command: "apt-get source --download-only \(spec) (\(release))", status: r.status,
                             output: r.stderr + r.stdout)
        }
        for file in package.files {
            let url = directory.appendingPathComponent(file.name)
            let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber)?.uint64Value
            guard size == file.size else {
                throw .sourceMismatch(file: url.path, expected: "\(file.size) bytes", got: size.map { "\($0) bytes" } ?? "no file")
            }
            let digest = try sha256(url)
            guard digest == file.sha256 else { throw .sourceMismatch(file: url.path, expected: file.sha256, got: digest) }
        }
    }

    /// `dpkg --compare-versions a gt b`.
    func isNewer(_ a: String, than b: String) throws(PrivateAptError) -> Bool {
        do {
            return try ProcessRunner.run("dpkg", ["--compare-versions", a, "gt", b], timeout: 30).status == 0
        } catch {
            throw .toolMissing(tool: "dpkg")
        }
    }

    /// SHA-256 of a file (the shared in-process SHA-256).
    func sha256(_ url: URL) throws(PrivateAptError) -> String {
        do { return try SHA256.hex(ofFile: url) } catch { throw .fileSystem(path: url.path, operation: "hash", detail: error.description) }
    }

    static func withoutEpoch(_ v: String) -> String {
        guard let colon = v.firstIndex(of: ":") else { return v }
        return String(v[v.index(after: colon)...])
    }
}
