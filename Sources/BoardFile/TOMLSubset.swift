/// A small TOML subset, enough for board files, parsed with the line of every key kept for error messages:
/// `# comments`, `[section]`, `[[array-of-tables]]`, `key = value` where value is a "string" (with \" \\ \n \t
/// escapes), an integer (decimal or 0x hex, `_` separators), true/false, or a one-line [array] of those.
public enum TOMLValue: Equatable, Sendable {
    case string(String)
    case integer(Int64)
    case boolean(Bool)
    case array([TOMLValue])

    public var typeName: String {
        switch self {
        case .string: return "string"
        case .integer: return "integer"
        case .boolean: return "boolean"
        case .array: return "array"
        }
    }
}

/// One `key = value` line.
public struct TOMLEntry: Equatable, Sendable {
    public let key: String
    public let value: TOMLValue
    public let line: Int
}

/// A `[section]` (or one element of `[[section]]`); the top level is the table named "".
public struct TOMLTable: Equatable, Sendable {
    public let name: String
    public let line: Int
    public var entries: [TOMLEntry]
    /// Declared with `[[name]]`.
    public var isArrayElement = false
}

public struct TOMLError: Error, Equatable, CustomStringConvertible, Sendable {
    public let file: String
    public let line: Int
    public let message: String
    public var description: String { "\(file):\(line): \(message)" }
}

public enum TOMLSubset {
    /// Parses the text into tables in file order.
    public static func parse(_ text: String, file: String) throws -> [TOMLTable] {
        var tables = [TOMLTable(name: "", line: 0, entries: [])]
        var seenSections = Set<String>()
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lineNo = index + 1
            func fail(_ m: String) -> TOMLError { TOMLError(file: file, line: lineNo, message: m) }
            let line = stripComment(rawLine).trimmingCharacters(in: " \t\r")
            if line.isEmpty { continue }
            if line.hasPrefix("[[") {
                guard line.hasSuffix("]]") else { throw fail("expected ']]' to close the table header") }
                let name = line.dropFirst(2).dropLast(2).trimmingCharacters(in: " \t")
                guard isBareKey(name) else { throw fail("invalid table name '\(name)'") }
                tables.append(TOMLTable(name: name, line: lineNo, entries: [], isArrayElement: true))
                continue
            }
            if line.hasPrefix("[") {
                guard line.hasSuffix("]") else { throw fail("expected ']' to close the section header") }
                let name = line.dropFirst().dropLast().trimmingCharacters(in: " \t")
                guard isBareKey(name) else { throw fail("invalid section name '\(name)'") }
                guard seenSections.insert(name).inserted else { throw fail("section [\(name)] appears twice") }
                tables.append(TOMLTable(name: name, line: lineNo, entries: []))
                continue
            }
            guard let eq = line.firstIndex(of: "=") else { throw fail("expected 'key = value'") }
            let key = line[..<eq].trimmingCharacters(in: " \t")
            guard isBareKey(key) else { throw fail("invalid key '\(key)' (letters, digits, '-' and '_')") }
            var rest = Substring(line[line.index(after: eq)...].trimmingCharacters(in: " \t"))
            let value = try parseValue(&rest, fail)
            guard rest.allSatisfy({ $0 == " " || $0 == "\t" }) else { throw fail("unexpected text after the value of '\(key)': '\(rest)'") }
            if tables[tables.count - 1].entries.contains(where: { $0.key == key }) { throw fail("key '\(key)' appears twice") }
            tables[tables.count - 1].entries.append(TOMLEntry(key: key, value: value, line: lineNo))
        }
        return tables
    }

    private static func isBareKey(_ s: String) -> Bool {
        !s.isEmpty && s.unicodeScalars.allSatisfy { ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || $0 == "-" || $0 == "_" }
    }

    /// Drops a `#` comment that is not inside a string.
    private static func stripComment(_ line: Substring) -> String {
        var inString = false, escaped = false
        for (i, ch) in zip(line.indices, line) {
            if inString {
                if escaped { escaped = false } else if ch == "\\" { escaped = true } else if ch == "\"" { inString = false }
            } else if ch == "\"" {
                inString = true
            } else if ch == "#" {
                return String(line[..<i])
            }
        }
        return String(line)
    }

    private static func parseValue(_ s: inout Substring, _ fail: (String) -> TOMLError) throws -> TOMLValue {
        s = s.drop { $0 == " " || $0 == "\t" }
        guard let first = s.first else { throw fail("missing value") }
        if first == "\"" {
            s = s.dropFirst()
            var out = ""
            while let ch = s.first {
                s = s.dropFirst()
                if ch == "\"" { return .string(out) }
                if ch == "\\" {
                    guard let e = s.first else { break }
                    s = s.dropFirst()
                    switch e {
                    case "\"": out.append("\"")
                    case "\\": out.append("\\")
                    case "n": out.append("\n")
                    case "t": out.append("\t")
                    default: throw fail("unknown escape '\\\(e)' in string")
                    }
                } else {
                    out.append(ch)
                }
            }
            throw fail("unterminated string")
        }
        if first == "[" {
            s = s.dropFirst()
            var items: [TOMLValue] = []
            while true {
                s = s.drop { $0 == " " || $0 == "\t" }
                if s.first == "]" { s = s.dropFirst(); return .array(items) }
                items.append(try parseValue(&s, fail))
                s = s.drop { $0 == " " || $0 == "\t" }
                if s.first == "," { s = s.dropFirst(); continue }
                if s.first == "]" { s = s.dropFirst(); return .array(items) }
                throw fail("expected ',' or ']' in array")
            }
        }
        let token = s.prefix { !" \t,]".contains($0) }
        s = s.dropFirst(token.count)
        switch token {
        case "true": return .boolean(true)
        case "false": return .boolean(false)
        default:
            let digits = String(token.filter { $0 != "_" })
            let v = digits.lowercased().hasPrefix("0x") ? Int64(digits.dropFirst(2), radix: 16) : Int64(digits)
            guard let v else { throw fail("'\(token)' is not a string, integer, boolean or array (strings need quotes)") }
            return .integer(v)
        }
    }
}

extension String {
    func trimmingCharacters(in set: String) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s = s.dropFirst() }
        while let l = s.last, set.contains(l) { s = s.dropLast() }
        return String(s)
    }
}

extension Substring {
    func trimmingCharacters(in set: String) -> String { String(self).trimmingCharacters(in: set) }
}
