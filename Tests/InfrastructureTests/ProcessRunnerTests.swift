import Foundation
import Infrastructure
import XCTest

final class ProcessRunnerTests: XCTestCase {
    func testStatusOutputsAndEnvironment() throws {
        let r = try ProcessRunner.run("sh", ["-c", "echo out; echo err >&2; echo $XB_T; exit 3"], environment: ["XB_T": "v"])
        XCTAssertEqual(r.status, 3)
        XCTAssertEqual(r.stdout, "out\nv\n")
        XCTAssertEqual(r.stderr, "err\n")
        XCTAssertEqual(r.diagnostic, "err\n")
        XCTAssertFalse(r.timedOut)
    }

    func testStdinAndLargeOutputDoNotBlock() throws {
        let input = [UInt8](repeating: 0x61, count: 3 << 20)
        let r = try ProcessRunner.run("cat", [], stdin: input)
        XCTAssertEqual(r.stdoutBytes.count, input.count)
    }

    func testTimeoutTerminates() throws {
        let start = Date()
        let r = try ProcessRunner.run("sleep", ["30"], timeout: 0.5)
        XCTAssertTrue(r.timedOut)
        XCTAssertLessThan(Date().timeIntervalSince(start), 10)
    }

    /// Streamed output arrives while the tool runs, and returning true stops it.
    func testStreamingStopsEarly() throws {
        var o = ProcessRunner.Options()
        var seen = ""
        o.output = { chunk in seen += chunk; return seen.contains("ready") }
        o.mergeStderr = true
        o.timeout = 20
        let start = Date()
        let r = try ProcessRunner.run("sh", ["-c", "echo booting; echo ready >&2; sleep 30"], o)
        XCTAssertTrue(r.stopped)
        XCTAssertFalse(r.timedOut)
        XCTAssertTrue(seen.contains("booting\nready"), seen)
        XCTAssertLessThan(Date().timeIntervalSince(start), 10)
    }

    func testLogAppendsAndMissingTool() throws {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("log-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: log) }
        _ = try ProcessRunner.run("sh", ["-c", "echo one"], log: log)
        let second = try ProcessRunner.run("sh", ["-c", "echo two >&2"], log: log)
        XCTAssertEqual(second.stdout, "two\n")
        XCTAssertEqual(try String(contentsOf: log, encoding: .utf8), "one\ntwo\n")
        XCTAssertThrowsError(try ProcessRunner.run("xen-board-no-such-tool", [])) {
            XCTAssertEqual($0 as? ProcessFailure, .notFound("xen-board-no-such-tool"))
        }
    }
}
