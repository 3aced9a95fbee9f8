import Foundation

/// A board file's sections after the schema check (`BoardFileSchema`): the single sections' entries by key, the
/// repeated sections' instances in file order, and typed reads with errors naming file and line.
struct BoardFileSections {
    let tables: [TOMLTable]
    let file: String
    /// Relative paths in the board file are relative to this directory.
    let directory: String
    var values: [String: [String: TOMLEntry]] = [:]
    var instances: [String: [(line: Int, entries: [String: TOMLEntry])]] = [:]

    /// Checks every section and key against the schema: known section, `[x]` vs `[[x]]`, known key of the right
    /// type, required keys present.
    init(tables: [TOMLTable], file: String, directory: String) throws {
        self.tables = tables
        self.file = file
        self.directory = directory
        let fail = { (line: Int, message: String) in TOMLError(file: file, line: line, message: message) }
        for table in tables {
            let section = try Self.section(of: table, fail)
            var seen: [String: TOMLEntry] = [:]
            for entry in table.entries {
                guard let key = section.keys.first(where: { $0.name == entry.key }) else {
                    let known = section.keys.map(\.name).joined(separator: ", ")
                    throw fail(entry.line, "unknown key '\(entry.key)' in \(Self.title(table)) (known: \(known))")
                }
                try Self.check(entry, against: key, fail)
                seen[entry.key] = entry
            }
            for key in section.keys where key.required && seen[key.name] == nil {
                throw fail(table.line, "missing required key '\(key.name)' in \(Self.title(table))")
            }
            if section.repeated { instances[table.name, default: []].append((table.line, seen)) } else { values[table.name] = seen }
        }
    }

    func fail(_ line: Int, _ m: String) -> TOMLError { TOMLError(file: file, line: line, message: m) }

    func string(_ section: String, _ key: String) -> String? {
        if case .string(let s)? = values[section]?[key]?.value { return s }
        return nil
    }

    func int(_ section: String, _ key: String) -> Int64? {
        if case .integer(let n)? = values[section]?[key]?.value { return n }
        return nil
    }

    func bool(_ section: String, _ key: String) -> Bool? {
        if case .boolean(let b)? = values[section]?[key]?.value { return b }
        return nil
    }

    /// The line of section `name`'s header (1 when the file has no such section).
    func line(of name: String) -> Int { tables.first { $0.name == name }?.line ?? 1 }

    /// A path of the board file made absolute (relative to the board file's directory) and standardized: no `.`
    /// or `..` components (lexically, symlinks are not resolved), so errors name `/x/kernel`, not `/x/boards/../kernel`.
    func absolute(_ p: String) -> String {
        URL(fileURLWithPath: p.hasPrefix("/") ? p : directory + "/" + p).standardizedFileURL.path
    }

    static func title(_ table: TOMLTable) -> String { table.name.isEmpty ? "the top level" : "[\(table.name)]" }

    /// The schema section of a table, written the way the schema says (`[x]` or `[[x]]`).
    static func section(of table: TOMLTable, _ fail: (Int, String) -> TOMLError) throws -> BoardFileSchema.Section {
        guard let section = BoardFileSchema.section(table.name) else {
            let known = BoardFileSchema.sections.filter { !$0.name.isEmpty }
                .map { $0.repeated ? "[[\($0.name)]]" : "[\($0.name)]" }.joined(separator: ", ")
            throw fail(table.line, "unknown section [\(table.name)] (known: \(known))")
        }
        if section.repeated != table.isArrayElement && !table.name.isEmpty {
            throw fail(table.line, section.repeated ? "write [[\(table.name)]]: it may appear several times" : "write [\(table.name)], not [[\(table.name)]]")
        }
        return section
    }

    static func check(_ entry: TOMLEntry, against key: BoardFileSchema.Key, _ fail: (Int, String) -> TOMLError) throws {
        switch (key.type, entry.value) {
        case (.string, .string), (.integer, .integer), (.boolean, .boolean): return
        case (.strings, .array(let items)):
            guard items.allSatisfy({ if case .string = $0 { return true }; return false }) else {
                throw fail(entry.line, "'\(key.name)' must be an array of strings")
            }
        case (.choice, .string(let s)):
            guard key.choices.contains(s) else {
                throw fail(entry.line, "'\(key.name)' must be one of \(key.choices.map { "\"\($0)\"" }.joined(separator: ", ")), got \"\(s)\"")
            }
        default:
            let expected = key.type == .choice ? "string" : key.type == .strings ? "array of strings" : key.type.rawValue
            throw fail(entry.line, "'\(key.name)' must be a \(expected), got a \(entry.value.typeName)")
        }
    }
}
