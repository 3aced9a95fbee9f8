/// A named property with its raw big-endian value bytes.
public struct Property: Equatable, Sendable {
    public var name: String
    public var value: Bytes

    public init(name: String, value: Bytes = []) {
        self.name = name
        self.value = value
    }

    public init(name: String, value: [UInt8]) {
        self.init(name: name, value: Bytes(value))
    }

    public init(name: String, _ typed: PropertyValue) {
        self.init(name: name, value: Bytes(typed.encoded))
    }

    public var isEmpty: Bool { value.isEmpty }

    /// The value as 32-bit big-endian cells, or nil when its length is not a multiple of 4.
    public var cells: [UInt32]? {
        guard value.count % 4 == 0 else { return nil }
        var out: [UInt32] = []
        out.reserveCapacity(value.count / 4)
        var i = 0
        while i < value.count {
            out.append(UInt32(value[i]) << 24 | UInt32(value[i + 1]) << 16 | UInt32(value[i + 2]) << 8 | UInt32(value[i + 3]))
            i += 4
        }
        return out
    }

    /// A single u32 value, or nil when the value is not exactly 4 bytes.
    public var u32: UInt32? {
        guard value.count == 4 else { return nil }
        return UInt32(value[0]) << 24 | UInt32(value[1]) << 16 | UInt32(value[2]) << 8 | UInt32(value[3])
    }

    /// A single u64 value (two cells), or nil when the value is not exactly 8 bytes.
    public var u64: UInt64? {
        guard value.count == 8 else { return nil }
        var v: UInt64 = 0
        for i in 0..<8 { v = v << 8 | UInt64(value[i]) }
        return v
    }

    /// The value as a list of NUL-terminated strings, or nil when it is not one.
    public var strings: [String]? {
        guard let last = value.last, last == 0 else { return nil }
        return value.withUnsafeBufferPointer { all -> [String]? in
            var out: [String] = []
            var start = 0
            for i in 0..<all.count where all[i] == 0 {
                guard let s = UTF8Text.string(UnsafeBufferPointer(rebasing: all[start..<i])) else { return nil }
                out.append(s)
                start = i + 1
            }
            return out
        }
    }

    /// The first string of a string (list) value.
    public var string: String? { strings?.first }
}

/// Typed values for setting properties.
public enum PropertyValue: Equatable, Sendable {
    case empty
    case u32([UInt32])
    case u64([UInt64])
    case string(String)
    case strings([String])
    case bytes([UInt8])

    public var encoded: [UInt8] {
        switch self {
        case .empty: return []
        case .u32(let cells):
            var out: [UInt8] = []
            out.reserveCapacity(cells.count * 4)
            for c in cells { out.appendBigEndian(c) }
            return out
        case .u64(let values):
            var out: [UInt8] = []
            out.reserveCapacity(values.count * 8)
            for v in values { out.appendBigEndian(UInt32(truncatingIfNeeded: v >> 32)); out.appendBigEndian(UInt32(truncatingIfNeeded: v)) }
            return out
        case .string(let s): return Array(s.utf8) + [0]
        case .strings(let list): return list.flatMap { Array($0.utf8) + [0] }
        case .bytes(let b): return b
        }
    }
}

extension Array where Element == UInt8 {
    @inline(__always)
    mutating func appendBigEndian(_ v: UInt32) {
        append(UInt8(truncatingIfNeeded: v >> 24))
        append(UInt8(truncatingIfNeeded: v >> 16))
        append(UInt8(truncatingIfNeeded: v >> 8))
        append(UInt8(truncatingIfNeeded: v))
    }
}

/// UTF-8 bytes to `String`, with a fast path for ASCII (nearly every name and string in a device tree): the
/// standard library's validating initialiser is generic and costs a metadata lookup per string.
enum UTF8Text {
    /// The bytes as a string, or nil when they are not valid UTF-8.
    static func string(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        var ascii = true
        for b in bytes where b >= 0x80 { ascii = false; break }
        if ascii { return String(decoding: bytes, as: UTF8.self) }
        return String(validating: bytes, as: UTF8.self)
    }
}
