import Foundation
import Infrastructure
import XCTest

/// Runs QEMU through Infrastructure's ProcessRunner with its serial console on stdout (streamed), until it exits, a marker shows up (then QEMU gets
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
        var o = ProcessRunner.Options()
        o.mergeStderr = true
        o.timeout = timeout
        let start = Date()
        var seen = "", markerAt: Date?
        o.output = { chunk in
            seen += chunk
            if markerAt == nil, seen.contains(marker) { markerAt = Date() }
            return false
        }
        o.poll = { markerAt.map { Date().timeIntervalSince($0) > graceAfterMarker } ?? false }
        let result = try ProcessRunner.run(executable, arguments, o)
        let exited = !result.timedOut && !result.stopped
        let console = result.stdout
        if markerAt == nil, console.contains(marker) { markerAt = Date() }
        return Run(console: console, sawMarker: markerAt != nil, exitedByItself: exited, seconds: Date().timeIntervalSince(start),
                   markerSeconds: markerAt.map { $0.timeIntervalSince(start) })
    }
}
