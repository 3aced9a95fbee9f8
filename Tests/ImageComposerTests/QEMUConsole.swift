import Foundation
import XCTest

/// Runs QEMU with its serial console on stdout (a file, polled), until it exits, a marker shows up (then QEMU gets
/// a few seconds to power off by itself before it is killed), or the timeout.
struct QEMUConsole {
    struct Run {
        let console: String
        let sawMarker: Bool
        let exitedByItself: Bool
        let seconds: Double
        /// Seconds from start until the marker was first seen.
        let markerSeconds: Double?
        /// Console lines without their \r\n or \n (a "\r\n" is one Character in Swift: split on both).
        var lines: [String] { console.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }.map(String.init) }
        var tail: String { lines.suffix(40).joined(separator: "\n") }
    }

    static func run(_ executable: String, _ arguments: [String], marker: String, timeout: TimeInterval,
                    graceAfterMarker: TimeInterval = 5) throws -> Run {
        let dir = try TemporaryDirectory("xb-qemu")
        let log = dir.file("console.log")
        try Data().write(to: log)
        let out = try FileHandle(forWritingTo: log)
        defer { try? out.close() }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        p.standardInput = FileHandle.nullDevice
        p.standardOutput = out
        p.standardError = out
        let start = Date()
        try p.run()
        var markerAt: Date?
        func text() -> String { String(decoding: (try? Data(contentsOf: log)) ?? Data(), as: UTF8.self) }
        while p.isRunning {
            let now = Date()
            if now.timeIntervalSince(start) > timeout { break }
            if markerAt == nil, text().contains(marker) { markerAt = now }
            if let markerAt, now.timeIntervalSince(markerAt) > graceAfterMarker { break }
            usleep(100_000)
        }
        let exited = !p.isRunning
        if !exited {
            p.terminate()
            p.waitUntilExit()
        }
        let console = text()
        if markerAt == nil, console.contains(marker) { markerAt = Date() }
        return Run(console: console, sawMarker: markerAt != nil, exitedByItself: exited, seconds: Date().timeIntervalSince(start),
                   markerSeconds: markerAt.map { $0.timeIntervalSince(start) })
    }
}
