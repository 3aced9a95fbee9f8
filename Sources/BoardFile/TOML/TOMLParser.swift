/// A TOML 1.0 parser (https://toml.io/en/v1.0.0) that keeps the line of every key. Checked against the valid and
/// invalid cases of the public toml-test suite (Tests/BoardBuildTests/TOMLComplianceTests.swift, docs/dependencies.md).
/// Nesting of tables, arrays and inline tables is bounded by `maxDepth`, so hostile input cannot exhaust the stack.
public enum TOMLParser {
    public static let maxDepth = 64

    public static func parse(_ text: String, file: String) throws -> TOMLTableNode {
        try parse(bytes: Array(text.utf8), file: file)
    }

    public static func parse(bytes: [UInt8], file: String) throws -> TOMLTableNode {
        var state = try ParserState(scanner: TOMLScanner(bytes: bytes, file: file))
        try state.parseDocument()
        return state.root
    }
}

private struct ParserState {
    var s: TOMLScanner
    let root = TOMLTableNode(origin: .header, line: 0, depth: 0)
    /// The table the following `key = value` lines go into.
    var current: TOMLTableNode

    init(scanner: TOMLScanner) {
        s = scanner
        current = root
    }

    mutating func parseDocument() throws {
        if s.consume("\u{FEFF}") {}
        while true {
            try s.skipBlank()
            guard let b = s.peek else { return }
            if b == UInt8(ascii: "[") {
                try parseHeader()
            } else {
                try parseKeyValue(into: current)
                try s.expectEndOfLine(after: "a value")
            }
        }
    }

    mutating func parseHeader() throws {
        let line = s.line
        let isArray = s.consume("[[")
        if !isArray { s.advance() }
        let key = try s.parseKey()
        guard isArray ? s.consume("]]") : s.consume(UInt8(ascii: "]")) else {
            throw s.fail("expected '\(isArray ? "]]" : "]")' to close the table header, found \(s.describeNext())")
        }
        try s.expectEndOfLine(after: "the table header")
        let file = s.file
        current = try TableRules.open(key, in: root, line: line, isArray: isArray, fail: { TOMLError(file: file, line: line, message: $0) })
    }

    /// `key = value` into `table`; dotted keys create (or continue) sub-tables of origin `.dotted`.
    mutating func parseKeyValue(into table: TOMLTableNode) throws {
        let line = s.line
        let key = try s.parseKey()
        guard s.consume(UInt8(ascii: "=")) else { throw s.fail("expected '=' after the key '\(key.joined(separator: "."))', found \(s.describeNext())") }
        s.skipWhitespace()
        let file = s.file
        let fail = { (m: String) in TOMLError(file: file, line: line, message: m) }
        let target = try TableRules.dottedParent(key, in: table, line: line, fail: fail)
        let value = try parseValue(depth: target.depth + 1)
        guard let last = key.last else { throw fail("empty key") }
        if let first = target[last] { throw fail("key '\(key.joined(separator: "."))' appears twice (first on line \(first.line))") }
        target.insert(TOMLKeyValue(key: last, line: line, value: value))
    }

    mutating func parseValue(depth: Int) throws -> TOMLNode {
        guard depth <= TOMLParser.maxDepth else { throw s.fail("nesting deeper than \(TOMLParser.maxDepth) levels") }
        if s.atString { return .string(try s.parseString()) }
        if s.consume(UInt8(ascii: "[")) { return try parseArray(depth: depth) }
        if s.consume(UInt8(ascii: "{")) { return try parseInlineTable(depth: depth) }
        return try s.parseScalar()
    }

    mutating func parseArray(depth: Int) throws -> TOMLNode {
        var items: [TOMLNode] = []
        while true {
            try s.skipBlank()
            if s.consume(UInt8(ascii: "]")) { break }
            items.append(try parseValue(depth: depth + 1))
            try s.skipBlank()
            if s.consume(UInt8(ascii: ",")) { continue }
            guard s.consume(UInt8(ascii: "]")) else { throw s.fail("expected ',' or ']' in the array, found \(s.describeNext())") }
            break
        }
        return .array(TOMLArrayNode(items: items, isTableArray: false))
    }

    /// `{ a = 1, b.c = 2 }`: on one line, no trailing comma (TOML 1.0); complete once closed.
    mutating func parseInlineTable(depth: Int) throws -> TOMLNode {
        let table = TOMLTableNode(origin: .dotted, line: s.line, depth: depth)
        s.skipWhitespace()
        if !s.consume(UInt8(ascii: "}")) {
            while true {
                try parseKeyValue(into: table)
                s.skipWhitespace()
                if s.consume(UInt8(ascii: ",")) { continue }
                guard s.consume(UInt8(ascii: "}")) else {
                    throw s.fail("expected ',' or '}' in the inline table, found \(s.describeNext()) (inline tables are on one line)")
                }
                break
            }
        }
        table.freeze()
        return .table(table)
    }
}

/// TOML 1.0's rules on which tables may be defined, reopened or extended, and how.
enum TableRules {
    /// `[a.b.c]` or `[[a.b.c]]`: the table the following key/value lines go into.
    static func open(_ key: [String], in root: TOMLTableNode, line: Int, isArray: Bool, fail: (String) -> TOMLError) throws -> TOMLTableNode {
        let name = key.joined(separator: ".")
        var table = root
        for part in key.dropLast() { table = try descendForHeader(part, in: table, line: line, name: name, fail: fail) }
        guard let last = key.last else { throw fail("empty table name") }
        let depth = table.depth + 1
        guard depth <= TOMLParser.maxDepth else { throw fail("tables nested deeper than \(TOMLParser.maxDepth) levels") }
        let element = TOMLTableNode(origin: isArray ? .arrayElement : .header, line: line, depth: depth)
        guard let existing = table[last] else {
            table.insert(TOMLKeyValue(key: last, line: line, value: isArray ? .array(TOMLArrayNode(items: [.table(element)], isTableArray: true)) : .table(element)))
            return element
        }
        switch (existing.value, isArray) {
        case (.array(let a), true) where a.isTableArray:
            a.items.append(.table(element))
            return element
        case (.table(let t), false) where t.origin == .implicit:
            t.origin = .header
            return t
        default:
            throw fail("[\(isArray ? "[" : "")\(name)\(isArray ? "]" : "")] appears twice: '\(name)' is already \(existing.value.typeName == "table" ? "a table" : "a " + existing.value.typeName) (line \(existing.line))")
        }
    }

    /// One prefix part of a header: missing tables are created implicitly; arrays of tables continue in their last element.
    private static func descendForHeader(_ part: String, in table: TOMLTableNode, line: Int, name: String, fail: (String) -> TOMLError) throws -> TOMLTableNode {
        guard let existing = table[part] else {
            guard table.depth + 1 <= TOMLParser.maxDepth else { throw fail("tables nested deeper than \(TOMLParser.maxDepth) levels") }
            let t = TOMLTableNode(origin: .implicit, line: line, depth: table.depth + 1)
            table.insert(TOMLKeyValue(key: part, line: line, value: .table(t)))
            return t
        }
        switch existing.value {
        case .table(let t) where t.origin != .inline: return t
        case .array(let a) where a.isTableArray:
            if case .table(let t)? = a.items.last { return t }
            throw fail("[\(name)]: '\(part)' is an empty array of tables")
        default:
            throw fail("[\(name)]: '\(part)' is \(existing.value.typeName == "table" ? "an inline table" : "a " + existing.value.typeName) (line \(existing.line)), not a table that can be extended")
        }
    }

    /// For `a.b.c = v` in `table`: the table that receives `c` (creating `a` and `a.b` as dotted tables).
    static func dottedParent(_ key: [String], in table: TOMLTableNode, line: Int, fail: (String) -> TOMLError) throws -> TOMLTableNode {
        var t = table
        for part in key.dropLast() {
            guard let existing = t[part] else {
                guard t.depth + 1 <= TOMLParser.maxDepth else { throw fail("tables nested deeper than \(TOMLParser.maxDepth) levels") }
                let sub = TOMLTableNode(origin: .dotted, line: line, depth: t.depth + 1)
                t.insert(TOMLKeyValue(key: part, line: line, value: .table(sub)))
                t = sub
                continue
            }
            // Only tables made by dotted keys of the same table may be extended by dotted keys.
            guard case .table(let sub) = existing.value, sub.origin == .dotted else {
                throw fail("key '\(key.joined(separator: "."))' extends '\(part)', already defined on line \(existing.line) as \(existing.value.typeName == "table" ? "a table" : "a " + existing.value.typeName)")
            }
            t = sub
        }
        return t
    }
}
