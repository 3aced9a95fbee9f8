import Foundation
import Infrastructure

/// One stanza of `apt-cache show` output (a Debian control record).
struct AptRecord: Equatable, Sendable {
    /// Field values by name; continuation lines are joined with "\n".
    var fields: [String: String]

    subscript(_ field: String) -> String? { fields[field] }

    /// Splits `apt-cache show` output into records (stanzas are separated by blank lines).
    static func parse(_ text: String) -> [AptRecord] {
        var records: [AptRecord] = []
        var current: [String: String] = [:]
        var last: String?
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
            if line.trimmingCharacters(in: .whitespaces).isEmpty {
                if !current.isEmpty { records.append(AptRecord(fields: current)) }
                current = [:]
                last = nil
            } else if line.first == " " || line.first == "\t" {
                if let last, let value = current[last] { current[last] = value + "\n" + line.trimmingCharacters(in: .whitespaces) }
            } else if let colon = line.firstIndex(of: ":") {
                let key = String(line[..<colon])
                current[key] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                last = key
            }
        }
        if !current.isEmpty { records.append(AptRecord(fields: current)) }
        return records
    }

    /// Whether this record answers `spec` (architecture-independent packages answer any architecture).
    func answers(_ spec: PackageSpec) -> Bool {
        guard self["Package"] == spec.name else { return false }
        guard self["Architecture"] == spec.arch || self["Architecture"] == "all" else { return false }
        if let version = spec.version { return self["Version"] == version }
        return true
    }

    /// The package this record describes, with its fields checked.
    func resolved(for spec: PackageSpec) throws(PackageError) -> ResolvedPackage {
        let who = spec.description
        guard let version = self["Version"], PackageSpec.isValidVersion(version) else {
            throw .malformedRecord(package: who, field: "Version", value: self["Version"])
        }
        guard let arch = self["Architecture"], PackageSpec.isValidArch(arch) else {
            throw .malformedRecord(package: who, field: "Architecture", value: self["Architecture"])
        }
        guard let sha = self["SHA256"]?.lowercased(), SHA256.isHexDigest(sha) else {
            throw .malformedRecord(package: who, field: "SHA256", value: self["SHA256"])
        }
        guard let sizeText = self["Size"], let size = UInt64(sizeText) else {
            throw .malformedRecord(package: who, field: "Size", value: self["Size"])
        }
        return ResolvedPackage(name: spec.name, arch: arch, version: version, sha256: sha, size: size,
                               poolPath: self["Filename"])
    }
}

/// One alternative of a `Depends` entry: `name[:archqual] [(op version)]`.
struct Dependency: Equatable, Sendable {
    var name: String
    var relation: String?
    var version: String?

    /// Parses a `Depends`/`Pre-Depends` value into its entries, each a list of alternatives.
    static func parse(_ field: String) -> [[Dependency]] {
        field.split(separator: ",").map { entry in
            entry.split(separator: "|").compactMap { alt -> Dependency? in
                let text = alt.trimmingCharacters(in: .whitespacesAndNewlines)
                let namePart = text.prefix { $0 != " " && $0 != "(" && $0 != "[" && $0 != "<" }
                let name = String(namePart.split(separator: ":", maxSplits: 1).first ?? "")
                guard !name.isEmpty else { return nil }
                var relation: String?
                var version: String?
                if let open = text.firstIndex(of: "("), let close = text.firstIndex(of: ")"), open < close {
                    let inner = text[text.index(after: open)..<close].split(separator: " ", omittingEmptySubsequences: true)
                    if inner.count == 2 {
                        relation = String(inner[0])
                        version = String(inner[1])
                    }
                }
                return Dependency(name: name, relation: relation, version: version)
            }
        }
    }

    /// The dependency of meta package `meta` that is its concrete, versioned package: for `stem-flavour` the one
    /// named `stem-<digit>...-flavour` (`linux-image-arm64` -> `linux-image-6.1.0-50-arm64`).
    static func concrete(of meta: String, among entries: [[Dependency]]) -> Dependency? {
        let dashes = meta.indices.filter { meta[$0] == "-" }
        for entry in entries {
            for dep in entry where dep.name != meta {
                for dash in dashes {
                    let stem = meta[..<dash] + "-"
                    let flavour = "-" + meta[meta.index(after: dash)...]
                    guard dep.name.count > stem.count + flavour.count,
                          dep.name.hasPrefix(stem), dep.name.hasSuffix(flavour) else { continue }
                    let middle = dep.name.dropFirst(stem.count).dropLast(flavour.count)
                    if let c = middle.first, c.isASCII, c.isNumber { return dep }
                }
            }
        }
        return nil
    }
}
