/// Splits Xen's serial console by domain. Xen 4.17 prints a dom0less guest's console lines as `(XEN) DOMn: text`
/// (other setups use `(dn) text`); Dom0's hvc0 output and Xen's own lines go to domain 0. Dom0 writes byte by
/// byte, so a guest line can start in the middle of a Dom0 line: the Dom0 fragment is kept and completed by the
/// next unprefixed line.
public enum DomainConsoles {
    public static func split(_ console: String) -> [Int: String] {
        var out: [Int: [Substring]] = [:]
        var pending = ""
        for raw in console.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = raw
            if let r = line.range(of: "(XEN) DOM"), r.lowerBound != line.startIndex, guestLine(line[r.lowerBound...]) != nil {
                pending += line[..<r.lowerBound]
                line = line[r.lowerBound...]
            }
            if let (id, text) = guestLine(line) {
                out[id, default: []].append(text)
            } else {
                out[0, default: []].append(Substring(pending + line))
                pending = ""
            }
        }
        if !pending.isEmpty { out[0, default: []].append(Substring(pending)) }
        return out.mapValues { $0.joined(separator: "\n") }
    }

    /// `(XEN) DOMn: text` or `(dn) text` → (n, text).
    static func guestLine(_ line: Substring) -> (Int, Substring)? {
        let t = line.drop { $0 == " " }
        for (prefix, terminator) in [("(XEN) DOM", ":"), ("(d", ")")] where t.hasPrefix(prefix) {
            let rest = t.dropFirst(prefix.count)
            guard let end = rest.firstIndex(of: Character(terminator)), let id = Int(rest[..<end]), id > 0 else { continue }
            return (id, rest[rest.index(after: end)...].drop { $0 == " " })
        }
        return nil
    }
}
