import Foundation
import Infrastructure
import TestSupport
import XCTest

/// README's promise on interruption (issue 11, debris class): a real `xen-board build` SIGKILLed mid-run leaves the
/// previous output as it was, and whatever it leaves (staging next to the output, scratch files in the temporary
/// directory) is removed by the next run.
final class DebrisTests: XCTestCase {
    var work: URL!
    var tmp: URL!
    var out: URL!

    override func setUpWithError() throws {
        work = FileManager.default.temporaryDirectory.appendingPathComponent("xb-debris-\(UUID().uuidString)")
        tmp = work.appendingPathComponent("tmp")
        out = work.appendingPathComponent("outputs/qemu-virt-arm64")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: work) }

    /// The build's own TMPDIR, so what it leaves in the temporary directory can be counted.
    var environment: [String: String] {
        ["TMPDIR": tmp.path, "XEN_BOARD_BOARDS": XenBoardCLI.repository.appendingPathComponent("boards").path]
    }

    func names(_ dir: URL) -> [String] { ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).sorted() }

    func build() throws -> ProcessResult {
        try ProcessRunner.run(XenBoardCLI.binary.path, ["build", "qemu-virt-arm64", "--out", out.path], in: work, environment: environment,
                              timeout: 600)
    }

    final class Kill: @unchecked Sendable { var pid: pid_t? }

    /// Runs `build` and SIGKILLs it (no handler can run) as soon as its staging directory satisfies `when`
    /// (staging of the `earlier` killed runs, not yet swept, is not its own).
    func buildKilled(after earlier: [pid_t], when: @escaping (URL) -> Bool) throws -> pid_t {
        let kill = Kill()
        let parent = out.deletingLastPathComponent()
        var o = ProcessRunner.Options()
        o.directory = work
        o.environment = environment
        o.timeout = 600
        o.tickInterval = 0.01
        o.tick = { _ in
            guard kill.pid == nil else { return }
            for staging in self.names(parent) where staging.hasPrefix(".xb-stage-") {
                guard let pid = pid_t(staging.dropFirst(".xb-stage-".count).prefix { $0 != "-" }), !earlier.contains(pid),
                      when(parent.appendingPathComponent(staging)) else { continue }
                Foundation.kill(pid, SIGKILL)
                kill.pid = pid
                return
            }
        }
        let r = try ProcessRunner.run(XenBoardCLI.binary.path, ["build", "qemu-virt-arm64", "--out", out.path], o)
        guard let pid = kill.pid else {
            XCTFail("the build ended (status \(r.status)) before it could be killed: \(r.stderr.suffix(400))")
            return 0
        }
        XCTAssertEqual(r.status, SIGKILL, "killed by SIGKILL, not finished: \(r.stderr.suffix(400))")
        return pid
    }

    func testSIGKILLDuringBuildLeavesNothingTheNextRunDoesNotRemove() throws {
        _ = try requireTool("mkimage")
        let first = try build()
        XCTAssertEqual(first.status, 0, first.stderr)
        let manifest = out.appendingPathComponent("manifest.json")
        let before = try Data(contentsOf: manifest)
        let parent = out.deletingLastPathComponent()

        // Killed as soon as its staging exists, then while it writes the outputs (the kernel is in, the disk image not yet).
        var killed: [pid_t] = []
        for trigger in [OutputPlacement.markerName, "kernel"] {
            let pid = try buildKilled(after: killed) { FileManager.default.fileExists(atPath: $0.appendingPathComponent(trigger).path) }
            killed.append(pid)
            XCTAssertTrue(names(parent).contains { $0.hasPrefix(".xb-stage-\(pid)-") }, "the killed run's staging is there: \(names(parent))")
            XCTAssertEqual(try Data(contentsOf: manifest), before, "the earlier output is untouched")
            XCTAssertFalse(names(out).contains { $0.hasPrefix(".xb-") })
        }

        let next = try build()
        XCTAssertEqual(next.status, 0, next.stderr)
        XCTAssertEqual(names(parent).filter { $0.hasPrefix(".xb-") }, [], "the next run removed the killed runs' staging")
        let leftInTmp = names(tmp).filter { name in name.hasPrefix("xen-board-") || killed.contains { name.contains("-\($0)-") } }
        XCTAssertEqual(leftInTmp, [], "nothing of the killed runs is left in TMPDIR")
        let files = ((try JSONSerialization.jsonObject(with: Data(contentsOf: manifest)) as? [String: Any])?["files"] as? [String]) ?? []
        XCTAssertFalse(files.isEmpty)
        for f in files { XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent(f).path), f) }
    }
}
