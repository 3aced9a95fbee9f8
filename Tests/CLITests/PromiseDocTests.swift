import Foundation
import XCTest

/// README's promise section and docs/reliability.md name the tests that check each sentence: every named test
/// must exist, so the documents cannot drift from the tests.
extension CLITests {
    func testEveryTestThePromiseNamesExists() throws {
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        var sources = ""
        for case let file as String in FileManager.default.enumerator(atPath: repo.appendingPathComponent("Tests").path) ?? NSEnumerator()
        where file.hasSuffix(".swift") {
            sources += (try? String(contentsOf: repo.appendingPathComponent("Tests/" + file), encoding: .utf8)) ?? ""
        }
        let readme = try String(contentsOf: repo.appendingPathComponent("README.md"), encoding: .utf8)
        let start = try XCTUnwrap(readme.range(of: "## What xen-board promises"), "README has the promise section")
        let promise = String(readme[start.lowerBound...]).components(separatedBy: "\n## ")[0]
        let reliability = try String(contentsOf: repo.appendingPathComponent("docs/reliability.md"), encoding: .utf8)
        for (doc, text) in [("README", promise), ("docs/reliability.md", reliability)] {
            let names = text.matches(of: /`([A-Z][A-Za-z]*Tests)(?:\.(test[A-Za-z0-9]+))?`/).map { (String($0.output.1), $0.output.2.map(String.init)) }
            XCTAssertGreaterThan(names.count, 5, doc)
            for (cls, test) in names {
                XCTAssertTrue(sources.contains("class \(cls)") || sources.contains("extension \(cls)"), "\(doc) names \(cls), which does not exist")
                if let test { XCTAssertTrue(sources.contains("func \(test)("), "\(doc) names \(cls).\(test), which does not exist") }
            }
        }
    }
}
