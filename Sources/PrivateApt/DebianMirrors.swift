/// The Debian archive and security archive this machine already uses, derived from its `deb` entries: the URI of
/// an entry whose suite is a Debian release (`bookworm`, `bookworm-updates`, ...) with component `main`, and the URI
/// of one whose suite is a security suite (`bookworm-security`). No host name is ever written into xen-board: a
/// private configuration for another release reuses exactly these URIs with that release's suites.
public struct DebianMirrors: Equatable, Sendable {
    /// The main archive URI and the entry it came from.
    public var archive: String
    public var archiveOrigin: String
    /// The security archive URI and its entry, when the machine has one.
    public var security: String?
    public var securityOrigin: String?
    /// The keyring the host's entries name (`Signed-By`), if any.
    public var signedBy: String?

    /// Derives the mirrors from `entries` (see the type's description); `files` are named in the error.
    public static func derive(from entries: [AptSourceEntry], files: [String]) throws(PrivateAptError) -> DebianMirrors {
        var archive: (String, String, String?)?
        var security: (String, String, String?)?
        for entry in entries where entry.enabled && entry.types.contains("deb") && entry.components.contains("main") {
            for suite in entry.suites {
                let base = String(suite.split(separator: "-").first ?? "").split(separator: "/").first.map(String.init) ?? ""
                guard DebianRelease.knownCodenames.contains(base), let uri = entry.uris.first else { continue }
                if DebianRelease.isSecurity(suite) {
                    if security == nil { security = (uri, entry.origin, entry.signedBy) }
                } else if archive == nil, !uri.contains("security") {
                    archive = (uri, entry.origin, entry.signedBy)
                }
            }
        }
        guard let archive else { throw .noDebianArchive(files: files) }
        return DebianMirrors(archive: archive.0, archiveOrigin: archive.1, security: security?.0,
                             securityOrigin: security?.1, signedBy: archive.2 ?? security?.2)
    }

    /// The host's mirrors, read from `/etc/apt`.
    public static func host() throws(PrivateAptError) -> DebianMirrors {
        let (entries, files) = HostAptSources.read()
        return try derive(from: entries, files: files)
    }
}
