import Foundation

/// The one timestamp every writer in this module uses (cpio mtimes, FAT dates), so that the same inputs always give
/// the same bytes. Callers take it from `$SOURCE_DATE_EPOCH` (see `fromEnvironment`), default 0.
public struct SourceDateEpoch: Sendable, Hashable, CustomStringConvertible {
    /// Seconds since 1970-01-01 00:00:00 UTC.
    public let seconds: UInt64

    public init(seconds: UInt64) { self.seconds = seconds }

    /// 1970-01-01 00:00:00 UTC.
    public static let zero = SourceDateEpoch(seconds: 0)

    /// The value of `SOURCE_DATE_EPOCH` in `environment` (decimal seconds), or `.zero` when it is unset or empty.
    /// - Throws: `SourceDateEpochError` when the value is not a non-negative decimal integer.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws(SourceDateEpochError) -> SourceDateEpoch {
        guard let text = environment["SOURCE_DATE_EPOCH"], !text.isEmpty else { return .zero }
        guard text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }), let seconds = UInt64(text) else {
            throw SourceDateEpochError(value: text)
        }
        return SourceDateEpoch(seconds: seconds)
    }

    public var description: String { String(seconds) }
}

/// `SOURCE_DATE_EPOCH` held something other than a decimal number of seconds.
public struct SourceDateEpochError: Error, Sendable, Equatable, CustomStringConvertible {
    public let value: String
    public var description: String {
        "SOURCE_DATE_EPOCH: expected a non-negative decimal number of seconds since 1970-01-01 UTC, got \"\(value)\""
    }
}
