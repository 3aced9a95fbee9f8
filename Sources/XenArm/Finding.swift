/// Something the analysis found. A blocker stops Xen from booting with a working console or from bringing up
/// every CPU; a warning is worth knowing but Xen boots regardless. `code` is stable (for summaries and
/// scripts); `message` says what and where, for people.
public struct Finding: Codable, Equatable, Hashable, Sendable, CustomStringConvertible {
    public enum Severity: String, Codable, Sendable { case blocker, warning }

    public let severity: Severity
    public let code: String
    public let message: String

    public init(_ severity: Severity, _ code: String, _ message: String) {
        self.severity = severity
        self.code = code
        self.message = message
    }

    public static func blocker(_ code: String, _ message: String) -> Finding { Finding(.blocker, code, message) }
    public static func warning(_ code: String, _ message: String) -> Finding { Finding(.warning, code, message) }

    public var description: String { "\(severity.rawValue): \(message) [\(code)]" }
}

/// Formats an address the way Xen and Linux logs do.
public func hex(_ v: UInt64) -> String { "0x" + String(v, radix: 16) }
