import BoardFile
import Foundation
import TestSupport
import XCTest

/// The board-file TOML parser against the public toml-test suite (`xen-board fetch --toml-test` fetches it into the
/// cache from Debian; $XEN_BOARD_TOML_TEST or <cache>/toml-test names it). Every valid case must give the expected JSON, every invalid
/// case an error with a line.
final class TOMLComplianceTests: XCTestCase {
    /// TOML 1.1 additions that toml-test itself excludes for 1.0.0 (its version.go).
    static let notTOML10: Set<String> = ["valid/string/escape-esc"]

    func suite() throws -> URL {
        try TestInputs.tomlTestDirectory()
    }

    func cases(_ kind: String) throws -> [(name: String, url: URL)] {
        let base = try suite()
        let root = base.appendingPathComponent(kind)
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { return [] }
        return walker.compactMap { $0 as? URL }.filter { $0.pathExtension == "toml" }
            .map { (String($0.path.dropFirst(base.path.count + 1).dropLast(5)), $0) }
            .filter { !Self.notTOML10.contains($0.name) }.sorted { $0.name < $1.name }
    }

    func testValidCases() throws {
        let all = try cases("valid")
        XCTAssertGreaterThan(all.count, 90, "the suite has ~100 valid cases")
        var failures: [String] = []
        for c in all {
            do {
                let root = try TOMLParser.parse(bytes: [UInt8](try Data(contentsOf: c.url)), file: c.name + ".toml")
                let want = try JSONSerialization.jsonObject(with: Data(contentsOf: c.url.deletingPathExtension().appendingPathExtension("json")),
                                                            options: [.fragmentsAllowed])
                if let m = TOMLTestJSON.mismatch(want: want, have: .table(root), path: "") { failures.append("\(c.name): \(m)") }
            } catch {
                failures.append("\(c.name): \(error)")
            }
        }
        XCTAssertEqual(failures, [], "\(failures.count) of \(all.count) valid cases fail")
    }

    func testInvalidCases() throws {
        let all = try cases("invalid")
        XCTAssertGreaterThan(all.count, 200, "the suite has ~230 invalid cases")
        var accepted: [String] = []
        for c in all {
            do {
                _ = try TOMLParser.parse(bytes: [UInt8](try Data(contentsOf: c.url)), file: c.name + ".toml")
                accepted.append(c.name)
            } catch let e as TOMLError {
                XCTAssertGreaterThanOrEqual(e.line, 1, "\(c.name): \(e) names no line")
                XCTAssertTrue(e.description.hasPrefix(c.name + ".toml:"), "\(e)")
            }
        }
        XCTAssertEqual(accepted, [], "\(accepted.count) of \(all.count) invalid cases accepted")
    }
}

/// Compares a parsed document with toml-test's tagged JSON ({"type": "integer", "value": "42"} for each value).
enum TOMLTestJSON {
    static func mismatch(want: Any, have: TOMLNode, path: String) -> String? {
        if let tagged = want as? [String: Any], tagged.count == 2, let type = tagged["type"] as? String, let value = tagged["value"] as? String {
            return scalarMismatch(type: type, value: value, have: have, path: path)
        }
        if let list = want as? [Any] {
            guard case .array(let a) = have, a.items.count == list.count else { return "\(path): expected an array of \(list.count), got \(have.typeName)" }
            return zip(list, a.items).enumerated().lazy.compactMap { mismatch(want: $1.0, have: $1.1, path: "\(path)[\($0)]") }.first
        }
        guard let table = want as? [String: Any] else { return "\(path): unreadable expectation" }
        guard case .table(let t) = have else { return "\(path): expected a table, got \(have.typeName)" }
        let haveKeys = Set(t.entries.map(\.key))
        guard haveKeys == Set(table.keys) else { return "\(path): keys \(haveKeys.sorted()) != expected \(table.keys.sorted())" }
        return table.sorted { $0.key < $1.key }.lazy.compactMap { key, value in
            t[key].flatMap { mismatch(want: value, have: $0.value, path: path + "." + key) }
        }.first
    }

    static func scalarMismatch(type: String, value: String, have: TOMLNode, path: String) -> String? {
        let ok: Bool
        switch (type, have) {
        case ("string", .string(let s)): ok = s == value
        case ("integer", .integer(let i)): ok = Int64(value) == i
        case ("bool", .boolean(let b)): ok = String(b) == value
        case ("float", .float(let f)):
            let w = Double(value) ?? (value.hasSuffix("nan") ? .nan : 0)
            ok = w.isNaN ? f.isNaN : w == f
        case (_, .datetime(let d)): ok = d.kind.rawValue == type && normalised(d.text) == normalised(value)
        default: ok = false
        }
        return ok ? nil : "\(path): expected \(type) \(value), got \(have.typeName) \(have)"
    }

    static func normalised(_ datetime: String) -> String {
        var chars = Array(datetime)
        if chars.count > 10, chars[10] == " " || chars[10] == "t" { chars[10] = "T" }
        if chars.last == "z" { chars[chars.count - 1] = "Z" }
        // Trailing zeros of the fraction of a second carry no meaning (toml-test writes .6000 for .6).
        guard let dot = chars.firstIndex(of: ".") else { return String(chars) }
        var end = dot + 1
        while end < chars.count, chars[end].isNumber { end += 1 }
        var fraction = chars[(dot + 1)..<end]
        while fraction.last == "0" { fraction = fraction.dropLast() }
        return String(chars[..<dot]) + (fraction.isEmpty ? "" : "." + String(fraction)) + String(chars[end...])
    }
}
