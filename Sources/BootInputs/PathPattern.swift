import Foundation

/// Shell-style path patterns relative to a directory: `*` (any run of characters) and `?` (one character) inside a
/// component, `/` between components. Like the shell, wildcards do not match a leading `.`.
struct PathPattern: Sendable {
    let components: [String]

    init(_ pattern: String) {
        components = pattern.split(separator: "/").map(String.init).filter { $0 != "." && !$0.isEmpty }
    }

    /// Existing paths under `root` that match, sorted.
    func matches(under root: URL) -> [URL] {
        var current = [root]
        for component in components {
            var next: [URL] = []
            if !Self.hasWildcard(component) {
                for dir in current {
                    let url = dir.appendingPathComponent(component)
                    if FileManager.default.fileExists(atPath: url.path) { next.append(url) }
                }
            } else {
                for dir in current {
                    let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
                    for name in names where Self.match(name, component) {
                        next.append(dir.appendingPathComponent(name))
                    }
                }
            }
            current = next
            if current.isEmpty { break }
        }
        return components.isEmpty ? [] : current.sorted { $0.path < $1.path }
    }

    static func hasWildcard(_ s: String) -> Bool { s.contains("*") || s.contains("?") }

    /// Whether `name` matches the one-component pattern `pattern`.
    static func match(_ name: String, _ pattern: String) -> Bool {
        let n = Array(name.unicodeScalars)
        let p = Array(pattern.unicodeScalars)
        if n.first == ".", p.first != "." { return false }
        var i = 0, j = 0
        var star = -1, resume = 0
        while i < n.count {
            if j < p.count, p[j] == "?" || (p[j] != "*" && p[j] == n[i]) {
                i += 1
                j += 1
            } else if j < p.count, p[j] == "*" {
                star = j
                resume = i
                j += 1
            } else if star >= 0 {
                j = star + 1
                resume += 1
                i = resume
            } else {
                return false
            }
        }
        while j < p.count, p[j] == "*" { j += 1 }
        return j == p.count
    }
}
