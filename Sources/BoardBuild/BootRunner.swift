import Foundation
import Infrastructure

/// Runs a board under QEMU and watches its console for the milestones of a Xen + Dom0 boot.
public enum BootRunner {
    public struct Milestone: Sendable {
        public let name: String
        public let marker: String
    }

    /// In boot order.
    public static let milestones = [
        Milestone(name: "Xen banner", marker: "Xen version"),
        Milestone(name: "secondary CPUs", marker: "Brought up"),
        Milestone(name: "Dom0 construction", marker: "LOADING DOMAIN 0"),
        Milestone(name: "Dom0 kernel banner", marker: "Booting Linux on physical CPU"),
        // The first report; with DomUs the boot goes on until every domain has reported.
        Milestone(name: "Dom0 report", marker: "XEN-BOARD-REPORT-END"),
    ]

    /// Console lines after which the boot cannot succeed: stop at once instead of waiting for the timeout.
    public static let fatalMarkers = ["Kernel panic - not syncing", "(XEN) Panic on CPU", "(XEN) Hardware Dom0 crashed"]

    public struct Outcome: Sendable {
        /// Seconds from QEMU start to each milestone seen.
        public let seen: [(name: String, seconds: Double)]
        public let console: String
        public let exitedBeforeReport: Bool
        public let timedOut: Bool
        /// The fatal console line that stopped the boot early, if any.
        public let fatal: String?
        public let seconds: Double

        public var missed: Milestone? { BootRunner.milestones.first { m in !seen.contains { $0.name == m.name } } }
        public var tail: String { console.split(separator: "\n", omittingEmptySubsequences: false).suffix(40).joined(separator: "\n") }
    }

    /// Starts QEMU in `directory`, streams its console to `consoleLog` (and progress lines to `progress`), and stops
    /// it once the Dom0 report is complete, QEMU exits, or `timeout` seconds pass.
    /// `echo`, when given, receives the console text as it arrives (for `boot --console`).
    /// `reports`: how many domains print a report (Dom0 and each DomU); the boot ends when all have.
    public static func run(_ command: QEMUCommand, in directory: URL, timeout: Double, consoleLog: URL, reports: Int = 1,
                           echo: (@Sendable (String) -> Void)? = nil,
                           progress: @escaping @Sendable (String) -> Void) throws -> Outcome {
        // The console log is the runner's log: a fresh file, QEMU's stdout and stderr appended to it as they come.
        guard FileManager.default.createFile(atPath: consoleLog.path, contents: nil) else {
            throw ProcessFailure.launch(command.executable, "cannot create \(consoleLog.path)")
        }
        let state = WatchState(reports: reports)
        let start = Date()
        var o = ProcessRunner.Options()
        o.directory = directory
        o.log = consoleLog
        o.timeout = timeout
        o.output = { chunk in
            echo?(chunk)
            return state.append(chunk, at: Date().timeIntervalSince(start), progress: progress)
        }
        let r = try ProcessRunner.run(command.executable, command.arguments, o)
        let exitedEarly = !r.stopped && !r.timedOut && !state.reportComplete
        return Outcome(seen: state.seen, console: state.text, exitedBeforeReport: exitedEarly && state.fatal == nil,
                       timedOut: r.timedOut && !state.reportComplete, fatal: state.fatal, seconds: Date().timeIntervalSince(start))
    }
}

/// Console text and milestones seen so far, shared with the pipe reader.
private final class WatchState: @unchecked Sendable {
    private let lock = NSLock()
    private var buffer = ""
    private(set) var seen: [(name: String, seconds: Double)] = []
    private(set) var reportComplete = false
    private(set) var fatal: String?
    private let reports: Int

    init(reports: Int) { self.reports = reports }

    var text: String { lock.lock(); defer { lock.unlock() }; return buffer }

    /// Returns true once the report end marker (or a fatal line) has been seen.
    func append(_ chunk: String, at t: Double, progress: (String) -> Void) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        // U-Boot and Xen end lines with \r\n; keep \n only (in Swift "\r\n" is one Character and would not split).
        buffer += String(String.UnicodeScalarView(chunk.unicodeScalars.filter { $0 != "\r" }))
        if fatal == nil, let marker = BootRunner.fatalMarkers.first(where: { buffer.contains($0) }) {
            fatal = marker
            progress(String(format: "[%6.1fs] fatal: %@", t, marker))
            return true
        }
        for m in BootRunner.milestones where !seen.contains(where: { $0.name == m.name }) && buffer.contains(m.marker) {
            seen.append((m.name, t))
            progress(String(format: "[%6.1fs] %@", t, m.name))
        }
        let ends = buffer.components(separatedBy: "XEN-BOARD-REPORT-END").count - 1
        if ends >= reports && !reportComplete {
            reportComplete = true
            if reports > 1 { progress(String(format: "[%6.1fs] all %d domain reports", t, reports)) }
        }
        return reportComplete
    }
}
