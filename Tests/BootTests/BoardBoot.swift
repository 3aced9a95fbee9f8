import Foundation
import TestSupport
import XCTest

/// What a boot test reads of one `xen-board build` + `boot` run.
struct BootRun {
    let console: String
    let seconds: Double?

    /// The console's last lines. QEMU's serial log ends lines in "\r\n", one Character in Swift: split on isNewline.
    func tail(_ count: Int = 60) -> String { console.split(whereSeparator: \.isNewline).suffix(count).joined(separator: "\n") }

    func printTime(_ what: String) {
        if let seconds { print("\(what): QEMU start to every report in \(String(format: "%.1f", seconds)) s") }
    }
}

/// The part every board boot test shares: build BOARD into `work`, boot it, read its console and time.
enum BoardBoot {
    /// Builds and boots `board`. With `text`, the board file is written to work/boards/BOARD.toml and only that
    /// folder's boards are seen. A failed build or boot is a test failure (with the console tail); nil when the build
    /// failed, since there is nothing to boot.
    static func run(_ board: String, text: String? = nil, in work: URL, timeout: Int,
                    file: StaticString = #filePath, line: UInt = #line) throws -> BootRun? {
        var environment: [String: String] = [:]
        if let text {
            let boards = work.appendingPathComponent("boards")
            try FileManager.default.createDirectory(at: boards, withIntermediateDirectories: true)
            try text.write(to: boards.appendingPathComponent("\(board).toml"), atomically: true, encoding: .utf8)
            environment["XEN_BOARD_BOARDS"] = boards.path
        }
        let out = work.appendingPathComponent("out-\(board)").path
        let build = try XenBoardCLI.run(["build", board, "--out", out], in: work, environment: environment)
        XCTAssertEqual(build.status, 0, "build \(board): \(build.stderr)", file: file, line: line)
        guard build.status == 0 else { return nil }
        let boot = try XenBoardCLI.run(["boot", board, "--out", out, "--timeout", String(timeout), "--json"], in: work, environment: environment)
        let json = (try? JSONSerialization.jsonObject(with: Data(boot.stdout.utf8))) as? [String: Any] ?? [:]
        let run = BootRun(console: (try? String(contentsOfFile: out + "/console.log", encoding: .utf8)) ?? "",
                          seconds: json["seconds"] as? Double)
        XCTAssertEqual(boot.status, 0, "boot \(board): \(boot.stderr)\n--- console tail ---\n\(run.tail(80))", file: file, line: line)
        return run
    }

    /// A repository board's text with `section` inserted before its [qemu] section.
    static func board(_ name: String, adding section: String) throws -> String {
        let text = try String(contentsOf: XenBoardCLI.repository.appendingPathComponent("boards/\(name).toml"), encoding: .utf8)
        guard text.contains("\n[qemu]") else { throw CocoaError(.fileReadCorruptFile, userInfo: [NSFilePathErrorKey: name]) }
        return text.replacingOccurrences(of: "\n[qemu]", with: "\n\(section)\n[qemu]")
    }

    /// A fresh temporary folder for one test; the caller removes it (`defer`).
    static func workFolder(_ prefix: String) throws -> URL {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        return work
    }
}
