import Foundation
import Infrastructure
import XCTest

/// A board key the chosen Xen version does not accept, through the commands (issue 14, scope 5): `build`, `gen`,
/// `xen` and `boot` exit non-zero before doing any work, with the file:line of the key, the version and the versions
/// that have it; `--xen-version` decides which version the key is checked against.
final class BoardKeyVersionCLITests: XCTestCase {
    var work: URL!
    var binary: URL { Bundle.main.bundleURL.appendingPathComponent("xen-board") }

    override func setUpWithError() throws {
        work = FileManager.default.temporaryDirectory.appendingPathComponent("xb-keyver-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: work) }

    /// Line 11 is `llc-colors`; `[xen] version` is line 7.
    func boardFile(version: String) throws -> String {
        let text = """
        description = "llc"
        arch = "arm64"
        status = "build-only"
        [dtb]
        qemu-dumpdtb = true
        [xen]
        version = "\(version)"
        [[domu]]
        name = "c"
        memory = "128M"
        llc-colors = "0-3"
        [qemu]
        machine = "virt,gic-version=3,virtualization=on"
        """
        let path = work.appendingPathComponent("llc.toml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func run(_ args: [String]) throws -> ProcessResult {
        try ProcessRunner.run(binary.path, args, in: work, timeout: 120)
    }

    func testEveryCommandRefusesTheKeyOnXen417() throws {
        let path = try boardFile(version: "4.17")
        for args in [["build", path, "--out", work.appendingPathComponent("out").path], ["gen", path, "--out", work.appendingPathComponent("gen").path],
                     ["xen", path, "--compile-check"], ["boot", path, "--out", work.appendingPathComponent("out").path]] {
            let r = try run(args)
            XCTAssertNotEqual(r.status, 0, "\(args[0]): \(r.stdout)")
            XCTAssertTrue(r.stderr.contains("\(path):11:"), "\(args[0]) names the key's line: \(r.stderr)")
            XCTAssertTrue(r.stderr.contains("Xen 4.17 does not accept") && r.stderr.contains("[xen] version at line 7"), "\(args[0]): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains("versions that have it: Xen 4.20"), "\(args[0]): \(r.stderr)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: work.appendingPathComponent("out").path), "nothing written")
        }
    }

    func testXenVersionOptionDecides() throws {
        let path = try boardFile(version: "4.20")
        let r = try run(["gen", path, "--out", work.appendingPathComponent("gen").path, "--xen-version", "4.17"])
        XCTAssertNotEqual(r.status, 0, r.stdout)
        XCTAssertTrue(r.stderr.contains("\(path):11:") && r.stderr.contains("this board uses Xen 4.17: --xen-version 4.17"), r.stderr)
    }
}
