/// The one parser for numbers written by people: board files, `dt set` values, Kconfig values, CLI options.
/// Decimal or `0x`-hex, `_` allowed between digits, optional K/M/G (powers of 1024) for sizes; every step is
/// overflow-checked, so a number that does not fit is an error naming the text, never a wrap or a crash.
public enum Numbers {
    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        public let text: String
        public let expected: String
        public var description: String { "'\(text)' is not \(expected)" }
    }

    /// A decimal or `0x`-hex unsigned number (surrounding spaces ignored), at most `limit`.
    public static func parse(_ text: String, limit: UInt64 = .max) throws(Failure) -> UInt64 {
        guard let v = value(of: text.trimmed), v <= limit else {
            throw Failure(text: text, expected: limit == .max ? "a number (decimal or 0x-hex, fitting in 64 bits)"
                                                              : "a number (decimal or 0x-hex) of at most \(limit)")
        }
        return v
    }

    /// A size in bytes: a number as for `parse`, optionally followed by K, M or G (KiB, MiB, GiB; either case).
    public static func size(_ text: String) throws(Failure) -> UInt64 {
        let t = text.trimmed
        let units: [Character: UInt64] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30]
        let expected = "a size (bytes, or a number followed by K, M or G, fitting in 64 bits)"
        var digits = Substring(t), unit: UInt64 = 1
        if let last = t.last, let u = units[Character(last.uppercased())] { digits = t.dropLast(); unit = u }
        guard let v = value(of: String(digits)) else { throw Failure(text: text, expected: expected) }
        let (product, overflow) = v.multipliedReportingOverflow(by: unit)
        guard !overflow else { throw Failure(text: text, expected: expected) }
        return product
    }

    /// `parse`, or nil.
    public static func optional(_ text: String) -> UInt64? { try? parse(text) }

    /// Decimal or 0x-hex digits with optional `_` separators between digits; nil on anything else or overflow.
    static func value(of text: String) -> UInt64? {
        let lower = text.lowercased()
        let hex = lower.hasPrefix("0x")
        let body = hex ? lower.dropFirst(2) : Substring(lower)
        guard let first = body.first, let last = body.last, first != "_", last != "_", !body.contains("__") else { return nil }
        let digits = body.filter { $0 != "_" }
        // UInt64(_:radix:) rejects signs only after the first character; refuse them everywhere.
        guard digits.allSatisfy({ $0.isHexDigit && $0.isASCII }) else { return nil }
        return UInt64(digits, radix: hex ? 16 : 10)
    }
}

extension String {
    fileprivate var trimmed: String {
        var s = Substring(self)
        while let c = s.first, c == " " || c == "\t" { s = s.dropFirst() }
        while let c = s.last, c == " " || c == "\t" { s = s.dropLast() }
        return String(s)
    }
}
