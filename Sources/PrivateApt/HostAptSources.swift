import Foundation

/// One source of the machine's apt configuration, from a one-line `sources.list` entry or a deb822 `.sources`
/// stanza, with the place it was read from.
public struct AptSourceEntry: Equatable, Sendable {
    public var types: [String]
    public var uris: [String]
    public var suites: [String]
    public var components: [String]
    public var signedBy: String?
    /// `file:line` of the entry (the stanza's first line for deb822).
    public var origin: String
    /// False for deb822 stanzas with `Enabled: no`.
    public var enabled: Bool = true
}

/// Reads the machine's apt sources (`/etc/apt/sources.list` and `sources.list.d/*.list|*.sources`). Only reading:
/// xen-board never writes the host's apt configuration.
public enum HostAptSources {
    /// Every entry under `etc` (default `/etc/apt`), in apt's order (sources.list first, then the parts sorted).
    public static func read(etc: URL = URL(fileURLWithPath: "/etc/apt", isDirectory: true)) -> (entries: [AptSourceEntry], files: [String]) {
        var files = [etc.appendingPathComponent("sources.list").path]
        let parts = etc.appendingPathComponent("sources.list.d", isDirectory: true)
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: parts.path)) ?? []).sorted()
        files += names.filter { $0.hasSuffix(".list") || $0.hasSuffix(".sources") }.map { parts.appendingPathComponent($0).path }
        var entries: [AptSourceEntry] = []
        var read: [String] = []
        for file in files {
            guard let data = FileManager.default.contents(atPath: file) else { continue }
            read.append(file)
            let text = String(decoding: data, as: UTF8.self)
            entries += file.hasSuffix(".sources") ? parseDeb822(text, file: file) : parseOneLine(text, file: file)
        }
        return (entries, read)
    }

    /// One-line format: `deb [options] uri suite [component...]`; `#` starts a comment.
    public static func parseOneLine(_ text: String, file: String) -> [AptSourceEntry] {
        var entries: [AptSourceEntry] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            var words = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" }).map(String.init)
            guard let type = words.first, type == "deb" || type == "deb-src", !line.contains("cdrom:") else { continue }
            words.removeFirst()
            var signedBy: String?
            if let first = words.first, first.hasPrefix("[") {
                var options: [String] = []
                while let w = words.first {
                    words.removeFirst()
                    options.append(w)
                    if w.hasSuffix("]") { break }
                }
                let joined = options.joined(separator: " ").trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
                for option in joined.split(separator: " ") where option.hasPrefix("signed-by=") {
                    signedBy = String(option.dropFirst("signed-by=".count))
                }
            }
            guard words.count >= 2 else { continue }
            entries.append(AptSourceEntry(types: [type], uris: [words[0]], suites: [words[1]],
                                          components: Array(words.dropFirst(2)), signedBy: signedBy,
                                          origin: "\(file):\(index + 1)"))
        }
        return entries
    }

    /// deb822 format: stanzas of `Field: value` separated by blank lines; continuation lines start with a space.
    public static func parseDeb822(_ text: String, file: String) -> [AptSourceEntry] {
        var entries: [AptSourceEntry] = []
        var fields: [String: String] = [:]
        var start = 0
        var last: String?
        func flush() {
            defer { fields = [:]; last = nil }
            guard let types = fields["types"], let uris = fields["uris"], let suites = fields["suites"] else { return }
            func words(_ s: String?) -> [String] { (s ?? "").split(whereSeparator: \.isWhitespace).map(String.init) }
            let signed = fields["signed-by"].map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            entries.append(AptSourceEntry(types: words(types), uris: words(uris), suites: words(suites),
                                          components: words(fields["components"]),
                                          signedBy: signed.flatMap { $0.hasPrefix("/") && !$0.contains("\n") ? $0 : nil },
                                          origin: "\(file):\(start)", enabled: fields["enabled"]?.lowercased() != "no"))
        }
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.hasSuffix("\r") ? String(raw.dropLast()) : String(raw)
            if line.hasPrefix("#") { continue }
            if line.trimmingCharacters(in: .whitespaces).isEmpty { flush(); continue }
            if line.first == " " || line.first == "\t" {
                if let last { fields[last, default: ""] += "\n" + line.trimmingCharacters(in: .whitespaces) }
                continue
            }
            guard let colon = line.firstIndex(of: ":") else { continue }
            if fields.isEmpty { start = index + 1 }
            let key = line[..<colon].lowercased()
            fields[key] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            last = key
        }
        flush()
        return entries
    }
}
