import Foundation
@testable import Infrastructure
import XCTest

/// Output placement (issue 11): what may be replaced, what is refused, identity of outputs, stale staging.
final class OutputPlacementTests: XCTestCase {
    var root: URL!

    override func setUpWithError() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("xb-placement-tests-\(getpid())-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: root)
    }

    func path(_ name: String) -> String { root.appendingPathComponent(name).path }

    func names(_ dir: String) throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: dir).sorted() }

    func stagedOutput(_ dest: String, force: Bool = false, files: [String: String]) throws {
        let out = try StagedDirectory(destination: dest, force: force)
        for (name, text) in files { try out.write(name, text) }
        try out.commit()
    }

    func testDirectoryOutputReplacesItsOwnOutputAndCarriesTheMarker() throws {
        let dest = path("out")
        try stagedOutput(dest, files: ["a": "1", "sub/b": "2"])
        XCTAssertEqual(try names(dest), [OutputPlacement.markerName, "a", "sub"])
        try stagedOutput(dest, files: ["c": "3"])
        XCTAssertEqual(try names(dest), [OutputPlacement.markerName, "c"])
        XCTAssertEqual(try names(root.path), ["out"], "no staging or set-aside entries remain")
    }

    func testUserDirectoryWithContentIsRefusedAndKept() throws {
        let dest = path("mine")
        try FileManager.default.createDirectory(atPath: dest, withIntermediateDirectories: false)
        try Data("precious".utf8).write(to: URL(fileURLWithPath: dest + "/notes.txt"))
        XCTAssertThrowsError(try stagedOutput(dest, files: ["a": "1"])) { error in
            XCTAssertTrue("\(error)".contains("--force"), "\(error)")
            XCTAssertTrue("\(error)".hasPrefix(dest), "\(error)")
        }
        XCTAssertEqual(try names(dest), ["notes.txt"])
        XCTAssertEqual(try names(root.path), ["mine"], "a refused output leaves no staging behind")
        try stagedOutput(dest, force: true, files: ["a": "1"])
        XCTAssertEqual(try names(dest), [OutputPlacement.markerName, "a"])
    }

    func testEmptyDirectoryIsReplaced() throws {
        let dest = path("empty")
        try FileManager.default.createDirectory(atPath: dest, withIntermediateDirectories: false)
        try stagedOutput(dest, files: ["a": "1"])
        XCTAssertEqual(try names(dest), [OutputPlacement.markerName, "a"])
    }

    func testFileIsNotReplacedByADirectoryOutput() throws {
        let dest = path("file")
        try Data("keep".utf8).write(to: URL(fileURLWithPath: dest))
        XCTAssertThrowsError(try StagedDirectory(destination: dest)) { XCTAssertTrue("\($0)".contains("is a file"), "\($0)") }
        XCTAssertEqual(FileManager.default.contents(atPath: dest), Data("keep".utf8))
    }

    func testFIFOIsRefusedForBothKinds() throws {
        let fifo = path("fifo")
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        XCTAssertThrowsError(try OutputPlacement.writeFile([1, 2], to: fifo)) { XCTAssertTrue("\($0)".contains("FIFO"), "\($0)") }
        XCTAssertThrowsError(try StagedDirectory(destination: fifo)) { XCTAssertTrue("\($0)".contains("FIFO"), "\($0)") }
        XCTAssertEqual(FileKind.of(fifo), .fifo)
    }

    func testDeviceIsRefused() throws {
        XCTAssertThrowsError(try OutputPlacement.writeFile([1], to: "/dev/null")) {
            XCTAssertTrue("\($0)".contains("character device"), "\($0)")
        }
        XCTAssertThrowsError(try StagedDirectory(destination: "/dev/null"))
        XCTAssertEqual(FileKind.of("/dev/null"), .characterDevice)
    }

    func testFileOutputReplacesARegularFileAtomically() throws {
        let dest = path("x.dtb")
        try OutputPlacement.writeFile([1, 2, 3], to: dest)
        try OutputPlacement.writeFile([4], to: dest)
        XCTAssertEqual(FileManager.default.contents(atPath: dest), Data([4]))
        XCTAssertEqual(try names(root.path), ["x.dtb"])
    }

    func testFileOutputRefusesADirectoryUnlessForced() throws {
        let dest = path("d")
        try FileManager.default.createDirectory(atPath: dest + "/inner", withIntermediateDirectories: true)
        XCTAssertThrowsError(try OutputPlacement.writeFile([1], to: dest))
        XCTAssertEqual(try names(dest), ["inner"])
        try OutputPlacement.writeFile([1], to: dest, force: true)
        XCTAssertEqual(FileKind.of(dest), .regular)
    }

    func testSymbolicLinkIsNotReplaced() throws {
        let target = path("target"), link = path("link")
        try Data("t".utf8).write(to: URL(fileURLWithPath: target))
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        XCTAssertThrowsError(try OutputPlacement.writeFile([1], to: link)) { XCTAssertTrue("\($0)".contains("symbolic link"), "\($0)") }
        XCTAssertEqual(FileManager.default.contents(atPath: target), Data("t".utf8))
    }

    func testSameOutputByIdentityNotBySpelling() throws {
        let a = path("a.dtb")
        XCTAssertThrowsError(try OutputPlacement.requireDistinct([("-o", a), ("--host-out", root.path + "/./a.dtb")]))
        try Data().write(to: URL(fileURLWithPath: a))
        try FileManager.default.linkItem(atPath: a, toPath: path("hard.dtb"))
        XCTAssertThrowsError(try OutputPlacement.requireDistinct([("-o", a), ("--host-out", path("hard.dtb"))])) {
            XCTAssertTrue("\($0)".contains("same file"), "\($0)")
        }
        XCTAssertNoThrow(try OutputPlacement.requireDistinct([("-o", a), ("--host-out", path("b.dtb"))]))
    }

    func testStaleStagingOfDeadProcessesIsRemovedAndLiveOnesKept() throws {
        let dead = deadPID()
        let stale = path(".xb-stage-\(dead)-1a2b-out"), old = path(".xb-old-\(dead)-3c-out")
        let live = path(".xb-stage-1-ff-out"), user = path(".xb-stage-notapid-out")
        for dir in [stale, old, live, user] { try FileManager.default.createDirectory(atPath: dir + "/deep", withIntermediateDirectories: true) }
        try stagedOutput(path("out"), files: ["a": "1"])
        let left = try names(root.path)
        XCTAssertFalse(left.contains(URL(fileURLWithPath: stale).lastPathComponent))
        XCTAssertFalse(left.contains(URL(fileURLWithPath: old).lastPathComponent))
        XCTAssertTrue(left.contains(URL(fileURLWithPath: live).lastPathComponent), "PID 1 is alive: its staging stays")
        XCTAssertTrue(left.contains(URL(fileURLWithPath: user).lastPathComponent), "not one of ours: left alone")
    }

    func testUnfinishedStagingIsRemovedWhenDropped() throws {
        do {
            let out = try StagedDirectory(destination: path("out"))
            try out.write("a", "1")
        }
        XCTAssertEqual(try names(root.path), [])
    }

    func testScratchDirectoriesOfDeadProcessesAreSwept() throws {
        let tmp = FileManager.default.temporaryDirectory
        let stale = tmp.appendingPathComponent(".xb-scratch-\(deadPID())-0-test")
        try FileManager.default.createDirectory(at: stale, withIntermediateDirectories: true)
        let scratch = try StaleStaging.scratchDirectory("test")
        defer { try? FileManager.default.removeItem(at: scratch) }
        XCTAssertFalse(FileManager.default.fileExists(atPath: stale.path))
        XCTAssertTrue(FileManager.default.fileExists(atPath: scratch.path))
    }

    /// An over-long name is a clear error before anything is made (not ENAMETOOLONG at the final rename, nor
    /// Foundation's "The file name is invalid" when creating the parent).
    func testOverLongNamesAreRefusedBeforeAnyWork() throws {
        let long = String(repeating: "n", count: 300)
        for dest in [path(long), path(long + "/out")] {
            XCTAssertThrowsError(try StagedDirectory(destination: dest)) { e in
                XCTAssertTrue("\(e)".contains("is 300 bytes; a file name is at most 255 bytes"), "\(e)")
            }
            XCTAssertThrowsError(try OutputPlacement.writeFile([1], to: dest)) { e in
                XCTAssertTrue("\(e)".contains("a file name is at most 255 bytes"), "\(e)")
            }
        }
        let deep = root.path + String(repeating: "/d", count: 2100)
        XCTAssertThrowsError(try StagedDirectory(destination: deep)) { e in XCTAssertTrue("\(e)".contains("a path is at most 4095 bytes"), "\(e)") }
        XCTAssertEqual(try names(root.path), [], "nothing created")
    }

    /// ProcessRunner's stdout/stderr/stdin files are scratch entries of this process, so a SIGKILLed run's are swept.
    func testProcessRunnerFilesAreNamedForTheSweep() throws {
        let r = try ProcessRunner.run("/bin/sh", ["-c", "readlink /proc/self/fd/1"])
        let name = URL(fileURLWithPath: r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)).lastPathComponent
        XCTAssertTrue(name.hasPrefix(".xb-scratch-\(getpid())-"), name)
        XCTAssertEqual(URL(fileURLWithPath: r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)).deletingLastPathComponent().standardizedFileURL.path,
                       FileManager.default.temporaryDirectory.standardizedFileURL.path)
    }

    /// A PID no process has: that of a child that has exited and been reaped.
    func deadPID() -> pid_t {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/true")
        try? p.run()
        p.waitUntilExit()
        return p.processIdentifier
    }
}
