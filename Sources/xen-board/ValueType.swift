import ArgumentParser
import DeviceTree
import Infrastructure

/// Value types for `dt get -t` and `dt set -t` (like fdtget/fdtput's -t, with readable names).
enum ValueType: String, ExpressibleByArgument, CaseIterable {
    case auto      // get: DTS syntax guess; set: numbers -> u32 cells, else strings
    case u32       // 32-bit cells
    case u64       // 64-bit values (two cells each)
    case string    // one string (set: the VALUE arguments joined by spaces)
    case strings   // a string list, one VALUE per string
    case bytes     // hex bytes, e.g. 0a 1b or 0a1b
    case empty     // no value (a boolean property)

    static var helpText: String { "One of: " + allCases.map(\.rawValue).joined(separator: ", ") + "." }
}

enum ValueCodec {
    /// Parses `set` arguments into a typed value; errors name the offending argument.
    static func parse(_ args: [String], as type: ValueType) throws -> PropertyValue {
        switch type {
        case .auto:
            if args.isEmpty { return .empty }
            if let cells = try? args.map(parseU32) { return .u32(cells) }
            return args.count == 1 ? .string(args[0]) : .strings(args)
        case .u32: return .u32(try args.map(parseU32))
        case .u64: return .u64(try args.map(parseU64))
        case .string: return .string(args.joined(separator: " "))
        case .strings: return .strings(args)
        case .bytes:
            let hex = args.joined().filter { !$0.isWhitespace }
            guard hex.count % 2 == 0 else { throw ValidationError("bytes value '\(hex)' has an odd number of hex digits") }
            var out: [UInt8] = []
            var i = hex.startIndex
            while i < hex.endIndex {
                let j = hex.index(i, offsetBy: 2)
                guard let b = UInt8(hex[i..<j], radix: 16) else { throw ValidationError("'\(hex[i..<j])' is not a hex byte") }
                out.append(b)
                i = j
            }
            return .bytes(out)
        case .empty:
            guard args.isEmpty else { throw ValidationError("type 'empty' takes no VALUE arguments") }
            return .empty
        }
    }

    static func parseU64(_ s: String) throws -> UInt64 {
        do { return try Numbers.parse(s) } catch { throw ValidationError(error.description) }
    }

    static func parseU32(_ s: String) throws -> UInt32 {
        let v = try parseU64(s)
        guard let c = UInt32(exactly: v) else { throw ValidationError("'\(s)' does not fit in 32 bits (use -t u64)") }
        return c
    }

    /// Formats a property for `get`: one line for cells and bytes, one line per string for string types.
    static func format(_ p: Property, as type: ValueType) throws -> String {
        func fail(_ why: String) -> Error { ValidationError("property '\(p.name)' (\(p.value.count) bytes) \(why)") }
        switch type {
        case .auto: return p.value.isEmpty ? "" : DTSPrinter.value(p.value)
        case .u32:
            guard let c = p.cells else { throw fail("is not a whole number of 32-bit cells") }
            return c.map { "0x" + String($0, radix: 16) }.joined(separator: " ")
        case .u64:
            guard p.value.count % 8 == 0, let c = p.cells else { throw fail("is not a whole number of 64-bit values") }
            return stride(from: 0, to: c.count, by: 2).map { "0x" + String(UInt64(c[$0]) << 32 | UInt64(c[$0 + 1]), radix: 16) }
                .joined(separator: " ")
        case .string:
            guard let s = p.string else { throw fail("is not a NUL-terminated string") }
            return s
        case .strings:
            guard let s = p.strings else { throw fail("is not a list of NUL-terminated strings") }
            return s.joined(separator: "\n")
        case .bytes:
            return p.value.map { String($0, radix: 16).leftPad(2) }.joined(separator: " ")
        case .empty:
            guard p.value.isEmpty else { throw fail("is not empty") }
            return ""
        }
    }
}

extension String {
    func leftPad(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
