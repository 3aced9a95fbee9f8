import Foundation
import Infrastructure

/// A private apt configuration for one Debian release, entirely under the cache: its own sources, lists, state and
/// archive directories, passed to apt with `-o Dir::...` options, so Debian 13 packages (or Debian 12's newest
/// source) can be resolved and downloaded on any Debian machine without touching the host's apt configuration.
/// The URIs are the host's own (`DebianMirrors`).
///
/// Layout (`<cache>/apt/debian-<n>/`):
/// ```
/// etc/sources.list            empty: the host's sources are not read
/// etc/sources.list.d/xen-board.sources   the release's suites on the host's mirrors (deb822)
/// etc/preferences.d/          empty: no host pins
/// lists/  state/status  cache/  archives/   apt's state; `status` is empty (nothing is installed)
/// lock                        flock: `update` exclusive, queries shared
/// ```
/// Concurrent processes are safe: the index is refreshed under an exclusive lock, queries run under a shared one.
public struct PrivateApt: Sendable {
    public let release: DebianRelease
    /// `<cache>/apt/debian-<n>`.
    public let root: URL
    public let mirrors: DebianMirrors
    /// Debian architectures whose package indexes are loaded.
    public let architectures: [String]
    /// `deb`, `deb-src`, or both.
    public let types: [String]
    /// The index is refreshed when older than this (seconds).
    public let maxListAge: TimeInterval

    public init(release: DebianRelease, cacheRoot: URL, mirrors: DebianMirrors, architectures: [String] = ["arm64", "armhf"],
                types: [String] = ["deb", "deb-src"], maxListAge: TimeInterval = 24 * 3600)
    {
        self.release = release
        self.root = cacheRoot.appendingPathComponent("apt/debian-\(release.rawValue)", isDirectory: true)
        self.mirrors = mirrors
        self.architectures = architectures
        self.types = types
        self.maxListAge = maxListAge
    }

    /// The configuration for `release` on this machine's mirrors.
    public static func forHost(_ release: DebianRelease, cacheRoot: URL, types: [String] = ["deb", "deb-src"])
        throws(PrivateAptError) -> PrivateApt
    {
        PrivateApt(release: release, cacheRoot: cacheRoot, mirrors: try DebianMirrors.host(), types: types)
    }

    var etc: URL { root.appendingPathComponent("etc", isDirectory: true) }
    var sourcesFile: URL { etc.appendingPathComponent("sources.list.d/xen-board.sources") }
    var lists: URL { root.appendingPathComponent("lists", isDirectory: true) }
    var status: URL { root.appendingPathComponent("state/status") }
    /// Written after a successful `apt-get update`: the sources it loaded.
    var updateStamp: URL { lists.appendingPathComponent("xen-board-updated") }
    var lockFile: URL { root.appendingPathComponent("lock") }

    /// The suites listed, with their URIs: the security suite only when the host has a security archive.
    public var suites: [(suite: String, uri: String)] {
        release.suites.compactMap { suite in
            DebianRelease.isSecurity(suite) ? mirrors.security.map { (suite, $0) } : (suite, mirrors.archive)
        }
    }

    /// The deb822 sources file of this configuration.
    public var sourcesText: String {
        var stanzas: [String] = []
        for uri in Array(Set(suites.map(\.uri))).sorted() {
            var lines = ["Types: " + types.joined(separator: " "), "URIs: " + uri,
                         "Suites: " + suites.filter { $0.uri == uri }.map(\.suite).joined(separator: " "),
                         "Components: main", "Architectures: " + architectures.joined(separator: " ")]
            if let key = mirrors.signedBy { lines.append("Signed-By: " + key) }
            stanzas.append(lines.joined(separator: "\n"))
        }
        return stanzas.joined(separator: "\n\n") + "\n"
    }

    /// The `-o` options that make apt use only this configuration.
    public var options: [String] {
        var settings = [
            "Dir::Etc::SourceList=" + etc.appendingPathComponent("sources.list").path,
            "Dir::Etc::SourceParts=" + etc.appendingPathComponent("sources.list.d").path,
            "Dir::Etc::Preferences=" + etc.appendingPathComponent("preferences").path,
            "Dir::Etc::PreferencesParts=" + etc.appendingPathComponent("preferences.d").path,
            "Dir::State=" + root.appendingPathComponent("state").path,
            "Dir::State::Lists=" + lists.path,
            "Dir::State::status=" + status.path,
            "Dir::Cache=" + root.appendingPathComponent("cache").path,
            "Dir::Cache::archives=" + root.appendingPathComponent("archives").path,
            "Acquire::Languages=none",
            "APT::Get::List-Cleanup=true",
        ]
        settings += architectures.map { "APT::Architectures::=" + $0 }
        if getuid() == 0 { settings.append("APT::Sandbox::User=root") }
        return settings.flatMap { ["-o", $0] }
    }
}
