/// The Debian releases xen-board takes packages from. Debian 12 carries Xen 4.17 (arm64 and armhf), Debian 13 Xen 4.20
/// (arm64 only); see docs/xen-versions.md.
public enum DebianRelease: String, CaseIterable, Sendable, Codable, CustomStringConvertible {
    case debian12 = "12"
    case debian13 = "13"

    /// The release's code name, which is also its main suite.
    public var codename: String {
        switch self {
        case .debian12: "bookworm"
        case .debian13: "trixie"
        }
    }

    /// The suites a private configuration lists, newest fixes last: the release, its stable updates, its security
    /// updates (served from the security archive).
    public var suites: [String] { [codename, codename + "-updates", codename + "-security"] }

    /// Whether `suite` is served from the security archive.
    static func isSecurity(_ suite: String) -> Bool { suite.hasSuffix("-security") || suite.hasSuffix("/updates") }

    /// `Debian 13 (trixie)`.
    public var description: String { "Debian \(rawValue) (\(codename))" }

    /// The release whose code name is `name`, if xen-board knows it.
    public init?(codename name: String) {
        guard let r = Self.allCases.first(where: { $0.codename == name }) else { return nil }
        self = r
    }

    /// Debian code names (for recognising the host's own suites); the releases above and their neighbours.
    static let knownCodenames: Set<String> = ["buster", "bullseye", "bookworm", "trixie", "forky", "duke", "sid"]
}
