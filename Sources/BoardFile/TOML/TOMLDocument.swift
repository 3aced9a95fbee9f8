/// A parsed TOML 1.0 document (https://toml.io/en/v1.0.0): tables of key/value pairs, every key with the line it
/// was written on, so that errors about meaning (the board-file schema) can still name file:line.
public enum TOMLNode {
    case string(String)
    case integer(Int64)
    case float(Double)
    case boolean(Bool)
    case datetime(TOMLDateTime)
    case array(TOMLArrayNode)
    case table(TOMLTableNode)

    public var typeName: String {
        switch self {
        case .string: return "string"
        case .integer: return "integer"
        case .float: return "float"
        case .boolean: return "boolean"
        case .datetime: return "date-time"
        case .array(let a): return a.isTableArray ? "array of tables" : "array"
        case .table: return "table"
        }
    }
}

/// One `key = value` (or the key of a sub-table), with the line of the key.
public struct TOMLKeyValue {
    public let key: String
    public let line: Int
    public internal(set) var value: TOMLNode
}

/// A table. Tables are shared references while the document is built (headers reopen them by path).
public final class TOMLTableNode {
    /// How the table came to exist: the rules of TOML 1.0 on defining a table twice depend on it.
    public enum Origin: Sendable {
        /// A prefix of a `[a.b]` header, not (yet) defined itself.
        case implicit
        /// Defined by its own `[header]`.
        case header
        /// Created by a dotted key (`a.b = 1` creates table `a`).
        case dotted
        /// An inline table `{ ... }` (or a table inside one): complete, nothing may be added later.
        case inline
        /// One `[[element]]` of an array of tables.
        case arrayElement
    }

    public internal(set) var origin: Origin
    /// Line of the header or key that created the table (0: the document's root).
    public let line: Int
    /// Nesting depth (root 0); bounded by `TOMLParser.maxDepth`.
    public let depth: Int
    public private(set) var entries: [TOMLKeyValue] = []
    private var index: [String: Int] = [:]

    init(origin: Origin, line: Int, depth: Int) {
        self.origin = origin
        self.line = line
        self.depth = depth
    }

    public subscript(key: String) -> TOMLKeyValue? { index[key].map { entries[$0] } }

    func insert(_ kv: TOMLKeyValue) {
        index[kv.key] = entries.count
        entries.append(kv)
    }

    /// Makes this table and every table inside it (through arrays too) immutable, as an inline table is.
    func freeze() {
        origin = .inline
        for kv in entries { kv.value.freeze() }
    }
}

extension TOMLNode {
    fileprivate func freeze() {
        switch self {
        case .table(let t): t.freeze()
        case .array(let a): a.items.forEach { $0.freeze() }
        default: return
        }
    }
}

/// An array value `[ ... ]` (static: nothing may be appended) or an array of tables built from `[[name]]` headers.
public final class TOMLArrayNode {
    public internal(set) var items: [TOMLNode]
    /// Made by `[[name]]` headers (further `[[name]]` append to it); false for an array value.
    public let isTableArray: Bool

    init(items: [TOMLNode], isTableArray: Bool) {
        self.items = items
        self.isTableArray = isTableArray
    }
}

/// An offset date-time, local date-time, local date or local time, kept as written (RFC 3339 normalised:
/// upper-case `T` and `Z`, `T` between date and time) after its fields were range-checked.
public struct TOMLDateTime: Equatable, Sendable {
    public enum Kind: String, Sendable {
        case offsetDateTime = "datetime", localDateTime = "datetime-local", localDate = "date-local", localTime = "time-local"
    }

    public let kind: Kind
    public let text: String
}

public struct TOMLError: Error, Equatable, CustomStringConvertible, Sendable {
    public let file: String
    public let line: Int
    public let message: String
    public var description: String { "\(file):\(line): \(message)" }
}
