/// A board file's TOML as the schema check sees it: sections (top-level tables) in file order, each a list of
/// `key = value` entries with their lines. Any TOML 1.0 spelling of the same data gives the same sections:
/// `[dtb]` + `path = "x"`, `dtb.path = "x"` and `dtb = { path = "x" }`; `[[domu]]` blocks and `domu = [{...}]`.
public indirect enum TOMLValue: Equatable, Sendable {
    case string(String)
    case integer(Int64)
    case float(Double)
    case boolean(Bool)
    case datetime(String)
    case array([TOMLValue])
    /// A table below a section (board files have none; kept so the schema can say what it found).
    case table

    public var typeName: String {
        switch self {
        case .string: return "string"
        case .integer: return "integer"
        case .float: return "float"
        case .boolean: return "boolean"
        case .datetime: return "date-time"
        case .array: return "array"
        case .table: return "table"
        }
    }

    init(_ node: TOMLNode) {
        switch node {
        case .string(let s): self = .string(s)
        case .integer(let i): self = .integer(i)
        case .float(let f): self = .float(f)
        case .boolean(let b): self = .boolean(b)
        case .datetime(let d): self = .datetime(d.text)
        case .array(let a): self = .array(a.items.map(TOMLValue.init))
        case .table: self = .table
        }
    }
}

/// One `key = value`, with the line of its key.
public struct TOMLEntry: Equatable, Sendable {
    public let key: String
    public let value: TOMLValue
    public let line: Int
}

/// A section (or one element of `[[section]]`); the top level is the table named "".
public struct TOMLTable: Equatable, Sendable {
    public let name: String
    public let line: Int
    public var entries: [TOMLEntry]
    /// One element of an array of tables (`[[name]]`).
    public var isArrayElement = false
}

public enum BoardTOML {
    /// Parses `bytes` (TOML 1.0, UTF-8) into the top level and its sections, in file order.
    public static func tables(bytes: [UInt8], file: String) throws -> [TOMLTable] {
        let root = try TOMLParser.parse(bytes: bytes, file: file)
        var top = TOMLTable(name: "", line: 0, entries: [])
        var sections: [TOMLTable] = []
        for kv in root.entries {
            switch kv.value {
            case .table(let t):
                sections.append(TOMLTable(name: kv.key, line: t.line, entries: entries(of: t)))
            case .array(let a) where !a.items.isEmpty && a.items.allSatisfy({ if case .table = $0 { return true }; return false }):
                for case .table(let t) in a.items {
                    sections.append(TOMLTable(name: kv.key, line: a.isTableArray ? t.line : kv.line, entries: entries(of: t), isArrayElement: true))
                }
            default:
                top.entries.append(TOMLEntry(key: kv.key, value: TOMLValue(kv.value), line: kv.line))
            }
        }
        return [top] + sections
    }

    private static func entries(of table: TOMLTableNode) -> [TOMLEntry] {
        table.entries.map { TOMLEntry(key: $0.key, value: TOMLValue($0.value), line: $0.line) }
    }
}
