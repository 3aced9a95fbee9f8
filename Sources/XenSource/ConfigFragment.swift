import Foundation
import Infrastructure

/// A defconfig fragment: lines `CONFIG_X=value` or `# CONFIG_X is not set`; other `#` comments and blank lines are
/// ignored. Appended to `xen/.config` after `defconfig`, then `olddefconfig` resolves it against Xen's Kconfig, which
/// silently drops what it cannot honour; `check(_:against:)` finds those lines.
public struct ConfigFragment: Equatable, Sendable {
    public struct Entry: Equatable, Sendable {
        /// Symbol without the `CONFIG_` prefix.
        public let symbol: String
        /// The value after `=` (as written: `y`, `0x09000000`, `"string"`), or nil for `# CONFIG_X is not set`.
        public let value: String?
        /// 1-based line number in the fragment text.
        public let line: Int
        /// The line in `.config` syntax.
        public var text: String { value.map { "CONFIG_\(symbol)=\($0)" } ?? "# CONFIG_\(symbol) is not set" }
    }

    public let entries: [Entry]

    public init(entries: [Entry]) { self.entries = entries }

    /// Parses fragment text; malformed lines are errors naming the line.
    public init(parsing text: String) throws(XenSourceError) {
        var entries: [Entry] = []
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty { continue }
            if let symbol = ConfigFragment.notSetSymbol(line) {
                entries.append(Entry(symbol: symbol, value: nil, line: i + 1))
                continue
            }
            if line.hasPrefix("#") { continue }
            guard let (symbol, value) = ConfigFragment.assignment(line) else {
                throw .invalidFragmentLine(line: i + 1, text: line)
            }
            entries.append(Entry(symbol: symbol, value: value, line: i + 1))
        }
        self.entries = entries
    }

    /// The fragment as `.config` lines (one per entry, newline-terminated).
    public var text: String { entries.map { $0.text + "\n" }.joined() }

    /// The entries the final `.config` text does not honour: a value that differs (numbers compared by value, so
    /// `0x9000000` matches `0x09000000`) or is absent, or a `# ... is not set` (or `=n`) whose symbol ended up set.
    /// When a symbol appears several times in the fragment, the last one is what Kconfig sees, so only it is checked.
    public static func check(_ fragment: ConfigFragment, against config: String) -> [DroppedConfig] {
        var final: [String: (value: String?, line: String)] = [:]
        for raw in config.split(separator: "\n") {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if let symbol = notSetSymbol(line) {
                final[symbol] = (nil, line)
            } else if !line.hasPrefix("#"), let (symbol, value) = assignment(line) {
                final[symbol] = (value, line)
            }
        }
        var lastIndex: [String: Int] = [:]
        for (i, e) in fragment.entries.enumerated() { lastIndex[e.symbol] = i }
        var dropped: [DroppedConfig] = []
        for (i, e) in fragment.entries.enumerated() where lastIndex[e.symbol] == i {
            let got = final[e.symbol]
            if let wanted = e.value, wanted != "n" {
                guard let have = got?.value, sameValue(have, wanted) else {
                    dropped.append(DroppedConfig(symbol: e.symbol, wanted: e.text, got: got?.line))
                    continue
                }
            } else if let have = got?.value, have != "n" {
                // Wanted off, but Kconfig forced it on (e.g. a `select` from another symbol).
                dropped.append(DroppedConfig(symbol: e.symbol, wanted: e.text, got: got?.line))
            }
        }
        return dropped
    }

    /// `# CONFIG_X is not set` -> X.
    static func notSetSymbol(_ line: String) -> String? {
        let prefix = "# CONFIG_", suffix = " is not set"
        guard line.hasPrefix(prefix), line.hasSuffix(suffix), line.count > prefix.count + suffix.count else { return nil }
        let symbol = String(line.dropFirst(prefix.count).dropLast(suffix.count))
        return isSymbol(symbol) ? symbol : nil
    }

    /// `CONFIG_X=value` -> (X, value).
    static func assignment(_ line: String) -> (String, String)? {
        guard line.hasPrefix("CONFIG_"), let eq = line.firstIndex(of: "=") else { return nil }
        let symbol = String(line[line.index(line.startIndex, offsetBy: 7)..<eq])
        let value = String(line[line.index(after: eq)...])
        guard isSymbol(symbol), !value.isEmpty else { return nil }
        return (symbol, value)
    }

    static func isSymbol(_ s: String) -> Bool {
        !s.isEmpty && s.unicodeScalars.allSatisfy { ($0 >= "A" && $0 <= "Z") || ($0 >= "a" && $0 <= "z") || ($0 >= "0" && $0 <= "9") || $0 == "_" }
    }

    static func sameValue(_ a: String, _ b: String) -> Bool {
        if a == b { return true }
        if let x = number(a), let y = number(b) { return x == y }
        return false
    }

    static func number(_ s: String) -> UInt64? { Numbers.optional(s) }
}

/// Where Xen's Kconfig files define a symbol, with what it depends on: its own `depends on` lines plus the enclosing
/// `if` blocks and `menu`/`choice` dependencies, followed through `source` lines from `xen/Kconfig`. Context for
/// fragment lines Kconfig dropped.
enum KconfigLookup {
    static func definition(of symbol: String, in xenDirectory: URL) -> String {
        var found: [String] = []
        var visited = Set<String>()
        walk("Kconfig", xenDirectory: xenDirectory, inherited: [], symbol: symbol, found: &found, visited: &visited)
        if found.isEmpty { found = scanAll(for: symbol, in: xenDirectory) }
        return found.isEmpty ? "no Kconfig entry defines \(symbol) in this Xen" : "defined at " + found.joined(separator: ", ")
    }

    static func lines(_ url: URL) -> [String]? {
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return nil }
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
    }

    static let entryStarts = ["config ", "menuconfig ", "choice", "endchoice", "menu ", "endmenu", "if ", "endif", "source ", "comment "]

    /// The `depends on` conditions in the lines after `start` up to the next entry.
    static func dependsAfter(_ start: Int, in lines: [String]) -> [String] {
        var deps: [String] = []
        var j = start + 1
        while j < lines.count, !entryStarts.contains(where: { lines[j].hasPrefix($0) }) {
            if lines[j].hasPrefix("depends on ") { deps.append(String(lines[j].dropFirst("depends on ".count))) }
            j += 1
        }
        return deps
    }

    static func walk(_ rel: String, xenDirectory: URL, inherited: [String], symbol: String, found: inout [String], visited: inout Set<String>) {
        guard visited.insert(rel).inserted, let lines = lines(xenDirectory.appendingPathComponent(rel)) else { return }
        var stack: [(kind: String, conditions: [String])] = []
        for (i, t) in lines.enumerated() {
            if t.hasPrefix("if ") {
                stack.append(("if", [String(t.dropFirst(3))]))
            } else if t == "endif" || t.hasPrefix("endif ") || t.hasPrefix("endif#") {
                if let k = stack.lastIndex(where: { $0.kind == "if" }) { stack.remove(at: k) }
            } else if t.hasPrefix("menu ") || t == "choice" || t.hasPrefix("choice ") {
                stack.append((t.hasPrefix("menu") ? "menu" : "choice", dependsAfter(i, in: lines)))
            } else if t == "endmenu" || t == "endchoice" {
                let kind = t == "endmenu" ? "menu" : "choice"
                if let k = stack.lastIndex(where: { $0.kind == kind }) { stack.remove(at: k) }
            } else if t.hasPrefix("source ") {
                let path = t.dropFirst("source ".count).trimmingCharacters(in: CharacterSet(charactersIn: "\" "))
                    .replacingOccurrences(of: "$(SRCARCH)", with: "arm")
                walk(path, xenDirectory: xenDirectory, inherited: inherited + stack.flatMap(\.conditions), symbol: symbol,
                     found: &found, visited: &visited)
            } else if t == "config \(symbol)" || t == "menuconfig \(symbol)" {
                let all = inherited + stack.flatMap(\.conditions) + dependsAfter(i, in: lines)
                let text = all.map { $0.contains(" ") && all.count > 1 ? "(\($0))" : $0 }.joined(separator: " && ")
                found.append("xen/\(rel):\(i + 1)" + (all.isEmpty ? "" : " (depends on \(text))"))
            }
        }
    }

    /// Fallback without a root Kconfig: every `Kconfig*` file, own `depends on` lines only.
    static func scanAll(for symbol: String, in xenDirectory: URL) -> [String] {
        guard let walker = FileManager.default.enumerator(at: xenDirectory, includingPropertiesForKeys: nil) else { return [] }
        var found: [String] = []
        for case let url as URL in walker where url.lastPathComponent.hasPrefix("Kconfig") {
            guard let lines = lines(url) else { continue }
            for (i, t) in lines.enumerated() where t == "config \(symbol)" || t == "menuconfig \(symbol)" {
                let deps = dependsAfter(i, in: lines)
                let rel = url.path.hasPrefix(xenDirectory.path) ? "xen" + url.path.dropFirst(xenDirectory.path.count) : url.path
                found.append("\(rel):\(i + 1)" + (deps.isEmpty ? "" : " (depends on " + deps.joined(separator: " && ") + ")"))
            }
        }
        return found.sorted()
    }
}
