/// The parts xl's vif and disk specs share (docs/man/xl-network-configuration.5.pod, xl-disk-configuration.5.pod):
/// comma-separated `key=value` settings, the domain that runs the backend, and the checks on names and addresses.
public enum XLSpec {
    /// One `key=value` (or a bare word: a positional disk parameter or a flag) of a spec.
    struct Setting: Equatable {
        let key: String?
        let value: String
    }

    /// Splits `text` at commas. `restKey`: a key whose value is the rest of the spec, commas included (xl's disk
    /// `target=`, which "must be the last parameter"). Blanks around each setting are dropped.
    static func settings(_ text: String, restKey: String? = nil) throws(XLSpecError) -> [Setting] {
        var result: [Setting] = []
        var rest = Substring(text)
        while !rest.isEmpty {
            let trimmed = rest.drop { $0 == " " || $0 == "\t" }
            if let restKey, trimmed.hasPrefix(restKey + "=") {
                result.append(Setting(key: restKey, value: String(trimmed.dropFirst(restKey.count + 1))))
                break
            }
            let end = rest.firstIndex(of: ",") ?? rest.endIndex
            let item = rest[..<end].trimmingCharacters(in: " \t")
            rest = end == rest.endIndex ? "" : rest[rest.index(after: end)...]
            if item.isEmpty { continue }
            if let eq = item.firstIndex(of: "=") {
                let key = String(item[..<eq]).trimmingCharacters(in: " \t")
                guard !key.isEmpty else { throw XLSpecError("'\(item)' has no key before '='") }
                result.append(Setting(key: key, value: String(item[item.index(after: eq)...]).trimmingCharacters(in: " \t")))
            } else {
                result.append(Setting(key: nil, value: item))
            }
        }
        return result
    }

    /// Interface, bridge and script names: what Linux and the hotplug scripts take without quoting.
    static func checkName(_ value: String, _ what: String, limit: Int = 15) throws(XLSpecError) {
        let ok = !value.isEmpty && value.utf8.count <= limit && value.first != "-"
            && value.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ".") }
        guard ok else { throw XLSpecError("\(what) '\(value)' must be 1 to \(limit) letters, digits, '-', '_' or '.'") }
    }
}

/// Why a vif or disk spec was rejected (the board file parser adds the file and line).
public struct XLSpecError: Error, Equatable, CustomStringConvertible, Sendable {
    public let description: String
    init(_ message: String) { description = message }
}

extension Substring {
    func trimmingCharacters(in set: String) -> String {
        String(drop { set.contains($0) }.reversed().drop { set.contains($0) }.reversed())
    }
}

extension String {
    func trimmingCharacters(in set: String) -> String { Substring(self).trimmingCharacters(in: set) }
}

/// The domain that runs a device's backend (xl's `backend=`): Dom0 unless a driver domain is named.
public enum BackendDomain: Equatable, Sendable, CustomStringConvertible {
    case dom0
    /// A domain of the board, by name (a driver domain).
    case domain(String)

    /// xl's spellings of Dom0: its ID 0 or the name `Domain-0`; `dom0` as board files say it.
    init(_ value: String) throws(XLSpecError) {
        switch value {
        case "0", "Domain-0", "dom0": self = .dom0
        default:
            try XLSpec.checkName(value, "backend domain", limit: 26)
            self = .domain(value)
        }
    }

    /// How xl names it.
    public var description: String {
        switch self {
        case .dom0: return "Domain-0"
        case .domain(let name): return name
        }
    }
}

/// An Ethernet address, `xx:xx:xx:xx:xx:xx`.
public struct MACAddress: Equatable, Sendable, CustomStringConvertible {
    public let bytes: [UInt8]

    /// - Throws: unless six hex pairs separated by ':' (or '-'), of a unicast address.
    init(_ text: String) throws(XLSpecError) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).count == 6
            ? text.split(separator: ":", omittingEmptySubsequences: false) : text.split(separator: "-", omittingEmptySubsequences: false)
        let bytes = parts.compactMap { $0.count == 2 ? UInt8($0, radix: 16) : nil }
        guard parts.count == 6, bytes.count == 6 else { throw XLSpecError("mac '\(text)' is not six hex pairs like 00:16:3e:12:34:56") }
        guard let first = bytes.first, first & 1 == 0 else {
            throw XLSpecError("mac '\(text)' is a multicast address (lowest bit of the first byte set): an interface needs a unicast one")
        }
        self.bytes = bytes
    }

    public var description: String {
        bytes.map { b in let s = String(b, radix: 16); return s.count == 1 ? "0" + s : s }.joined(separator: ":")
    }
}

/// An IPv4 address with its prefix length (`192.168.100.2/24`; a bare address is /32 for xl, /24 here is not guessed).
public struct IPv4Interface: Equatable, Sendable, CustomStringConvertible {
    public let address: [UInt8]
    public let prefix: Int

    init(_ text: String, defaultPrefix: Int = 32) throws(XLSpecError) {
        let halves = text.split(separator: "/", omittingEmptySubsequences: false)
        let octets = halves.first.map { $0.split(separator: ".", omittingEmptySubsequences: false) } ?? []
        let bytes = octets.compactMap { $0.count <= 3 && $0.allSatisfy(\.isNumber) ? UInt8($0) : nil }
        let prefix = halves.count == 2 ? Int(halves[1]) : (halves.count == 1 ? defaultPrefix : nil)
        guard halves.count <= 2, octets.count == 4, bytes.count == 4, let prefix, (1...32).contains(prefix) else {
            throw XLSpecError("'\(text)' is not an IPv4 address like 192.168.100.2 or 192.168.100.2/24")
        }
        address = bytes
        self.prefix = prefix
    }

    public var addressText: String { address.map(String.init).joined(separator: ".") }
    public var description: String { "\(addressText)/\(prefix)" }

    /// Whether `other`'s address lies in this interface's network.
    public func contains(_ other: IPv4Interface) -> Bool {
        func value(_ a: [UInt8]) -> UInt32 { a.reduce(0) { $0 << 8 | UInt32($1) } }
        let mask: UInt32 = prefix == 0 ? 0 : ~UInt32(0) << UInt32(32 - prefix)
        return value(address) & mask == value(other.address) & mask
    }
}
