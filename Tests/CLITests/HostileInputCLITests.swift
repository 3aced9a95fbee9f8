import Foundation
import XCTest

/// README's promise on bad input, through the commands a user runs (issue 11, crash class): alias cycles and
/// `--out .` are errors (exit 1, a message), never a signal and never a wiped directory.
extension CLITests {
    func testAliasCyclesAreErrorsInEveryCommand() throws {
        try compile("""
        /dts-v1/;
        / { #address-cells = <1>; #size-cells = <1>; compatible = "vendor,board";
            aliases { self = "self"; a = "b"; b = "a"; rel = "rel/x"; serial0 = "a"; };
            chosen { stdout-path = "a"; };
            serial@1000 { compatible = "arm,pl011"; reg = <0x1000 0x100>; }; };
        """, to: "cycle.dtb")
        let dtb = path("cycle.dtb")
        let runs: [[String]] = [
            ["inspect", dtb], ["inspect", dtb, "--json"], ["dt", "get", dtb, "a"], ["dt", "get", dtb, "self"], ["dt", "get", dtb, "rel/x"],
            ["dtb-passthrough", "--dtb", dtb, "--device", "a", "-o", path("p.dtb")],
            ["gen", "vexpress", "--dtb", dtb, "--out", path("gen")],
        ]
        for args in runs {
            let r = try exec(binary.path, args)
            // 0 or 1 are answers; a trap or a stack overflow ends the process with a signal (status 4, 5, 6, 11).
            XCTAssertTrue(r.status == 0 || r.status == 1, "\(args): status \(r.status)\n\(r.stderr.suffix(300))")
        }
        let get = try xb("dt", "get", dtb, "a")
        XCTAssertEqual(get.status, 1)
        XCTAssertTrue(get.stderr.contains("a"), get.stderr)
    }

    func testOutDotRefusesTheWorkingDirectory() throws {
        let p = Process()
        p.executableURL = binary
        p.arguments = ["gen", "vexpress", "--dtb", path("board.dtb"), "--out", "."]
        p.currentDirectoryURL = work
        let boards = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("boards")
        p.environment = ProcessInfo.processInfo.environment.merging(["XEN_BOARD_BOARDS": boards.path]) { $1 }
        let err = Pipe()
        p.standardError = err
        p.standardOutput = Pipe()
        try p.run()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 1, message)
        XCTAssertTrue(message.contains("--force"), message)
        XCTAssertTrue(FileManager.default.fileExists(atPath: path("board.dtb")), "the working directory is kept")
    }
}
