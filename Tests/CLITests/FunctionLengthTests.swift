import Foundation
import Infrastructure
import XCTest

/// Issue 9: no function over 60 lines in Sources/. `scripts/function-lengths.sh` finds them (brace matching); this
/// checks the script finds a long function, a long computed property and nothing in a protocol requirement or a
/// string, then that Sources/ has none.
extension CLITests {
    func testNoFunctionOver60LinesInSources() throws {
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let script = repo.appendingPathComponent("scripts/function-lengths.sh").path
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("xb-fnlen-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let body = (0..<60).map { "        x += \($0) // {" }.joined(separator: "\n")
        let fixture = """
        protocol P {
            func requirement() -> Int
        }
        struct S {
            func long() -> Int {
                var x = 0
        \(body)
                return x
            }
            var text: String {
                \"\"\"
        \((0..<61).map { "    line \($0) }" }.joined(separator: "\n"))
        \"\"\"
            }
            func short(_ f: () -> Void = {}) { f() }
        }
        """
        try fixture.write(to: dir.appendingPathComponent("Long.swift"), atomically: true, encoding: .utf8)
        let found = try ProcessRunner.run("bash", [script, dir.path])
        XCTAssertEqual(found.status, 1, found.stdout + found.stderr)
        let lines = found.stdout.split(separator: "\n").dropFirst().map(String.init)
        XCTAssertEqual(lines, ["65 \(dir.path)/Long.swift:69 var text: String", "64 \(dir.path)/Long.swift:5 func long"], found.stdout)
        let sources = try ProcessRunner.run("bash", [script, repo.appendingPathComponent("Sources").path])
        XCTAssertEqual(sources.status, 0, sources.stdout + sources.stderr)
    }
}
