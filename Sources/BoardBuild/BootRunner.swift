import Foundation
import Infrastructure

/// Runs a board under QEMU and watches its console for the milestones of a Xen + Dom0 boot.
public enum BootRunner {
    public struct Milestone: Sendable, Equatable {
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

    /// `boot --check-input`: once Xen hands its serial input to a domain, type Xen's input switch (CTRL-a three times)
    /// and `h`, and wait for Xen's debug-key help, proving the console driver's receive path (Xen 4.17
    /// xen/drivers/char/console.c `serial_rx` / `switch_serial_input`, xen/common/keyhandler.c `show_handlers`).
    public enum InputCheck {
        /// Xen prints this when it gives the serial input to a domain at the end of boot (`console_endboot`).
        public static let trigger = "*** Serial input to DOM"
        /// QEMU's `-nographic` multiplexes the serial line with its monitor and takes CTRL-a as its escape:
        /// CTRL-a CTRL-a sends one CTRL-a to the UART.
        public static let keys: [UInt8] = [0x01, 0x01, 0x01, 0x01, 0x01, 0x01, UInt8(ascii: "h")]
        /// `show_handlers`' first line.
        public static let helpMarker = "pressed -> showing installed handlers"
    }

    /// Console lines after which the boot cannot succeed: stop at once instead of waiting for the timeout.
    public static let fatalMarkers = ["Kernel panic - not syncing", "(XEN) Panic on CPU", "(XEN) Hardware Dom0 crashed"]

    /// After a reboot request: Xen's own message when its `reset` hook (and PSCI) left the machine running.
    public static let resetFailedMarker = "Platform reset did not work"
    /// The machine reset when Xen's banner appears a second time (QEMU restarts the `-kernel` image on reset).
    public static let resetMilestone = Milestone(name: "machine reset", marker: "Xen version")

    public struct Outcome: Sendable {
        /// Seconds from QEMU start to each milestone seen.
        public let seen: [(name: String, seconds: Double)]
        public let console: String
        public let exitedBeforeReport: Bool
        public let timedOut: Bool
        /// The fatal console line that stopped the boot early, if any.
        public let fatal: String?
        /// With `checkInput`: seconds from QEMU start to Xen's debug-key help (nil: never printed).
        public let inputHelp: Double?
        public let seconds: Double
        /// With `expectReset`: whether the machine reset after the report.
        public var reset = false
        /// The time limit the run had.
        public var timeout: Double = 0

        public var missed: Milestone? { BootRunner.milestones.first { m in !seen.contains { $0.name == m.name } } }
        public var tail: String { console.split(separator: "\n", omittingEmptySubsequences: false).suffix(40).joined(separator: "\n") }
    }

    /// Starts QEMU in `directory`, streams its console to `consoleLog` (and progress lines to `progress`), and stops
    /// it once the Dom0 report is complete, QEMU exits, or `timeout` seconds pass.
    /// `echo`, when given, receives the console text as it arrives (for `boot --console`).
    /// `reports`: how many domains print a report (Dom0 and each DomU); the boot ends when all have.
    /// `expectReset`: Dom0 asks for a reboot after its report; the run goes on until the machine has reset (or
    /// Xen says its reset did not work).
    /// `checkInput`: type `InputCheck.keys` once Xen switches its input to a domain; the boot ends only when Xen's
    /// help has been printed as well.
    public static func run(_ command: QEMUCommand, in directory: URL, timeout: Double, consoleLog: URL, reports: Int = 1,
                           checkInput: Bool = false, expectReset: Bool = false, echo: (@Sendable (String) -> Void)? = nil,
                           progress: @escaping @Sendable (String) -> Void) throws -> Outcome {
        // The console log is the runner's log: a fresh file, QEMU's stdout and stderr appended to it as they come.
        guard FileManager.default.createFile(atPath: consoleLog.path, contents: nil) else {
            throw ProcessFailure.launch(command.executable, "cannot create \(consoleLog.path)")
        }
        let input = checkInput ? Pipe() : nil
        let state = WatchState(reports: reports, expectReset: expectReset, typeKeys: input.map { pipe in { try? pipe.fileHandleForWriting.write(contentsOf: Data(InputCheck.keys)) } })
        let start = Date()
        var o = ProcessRunner.Options()
        o.directory = directory
        o.log = consoleLog
        o.timeout = timeout
        o.input = input
        o.output = { chunk in
            echo?(chunk)
            return state.append(chunk, at: Date().timeIntervalSince(start), progress: progress)
        }
        let r = try ProcessRunner.run(command.executable, command.arguments, o)
        try? input?.fileHandleForWriting.close()
        let exitedEarly = !r.stopped && !r.timedOut && !state.reportComplete
        var outcome = Outcome(seen: state.seen, console: state.text, exitedBeforeReport: exitedEarly && state.fatal == nil,
                              timedOut: r.timedOut && !state.reportComplete, fatal: state.fatal, inputHelp: state.inputHelp,
                              seconds: Date().timeIntervalSince(start))
        outcome.reset = state.resetSeen
        outcome.timeout = timeout
        return outcome
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
    private let expectReset: Bool
    private(set) var resetSeen = false
    /// Types the input check's keys (nil: no input check).
    private let typeKeys: (() -> Void)?
    private var typed = false
    private(set) var inputHelp: Double?

    init(reports: Int, expectReset: Bool, typeKeys: (() -> Void)?) {
        self.reports = reports
        self.expectReset = expectReset
        self.typeKeys = typeKeys
    }

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
        checkInput(at: t, progress: progress)
        let ends = buffer.components(separatedBy: "XEN-BOARD-REPORT-END").count - 1
        if ends >= reports && !reportComplete && (typeKeys == nil || inputHelp != nil) {
            reportComplete = true
            if reports > 1 { progress(String(format: "[%6.1fs] all %d domain reports", t, reports)) }
        }
        guard expectReset, reportComplete else { return reportComplete }
        return watchReset(at: t, progress: progress)
    }

    /// After the report of a Dom0 that asked for a reboot: done once Xen's banner is seen again after the report
    /// (the machine reset), or Xen reports that its reset did not work.
    private func watchReset(at t: Double, progress: (String) -> Void) -> Bool {
        guard let end = buffer.range(of: "XEN-BOARD-REPORT-END") else { return false }
        let after = buffer[end.upperBound...]
        if fatal == nil, after.contains(BootRunner.resetFailedMarker) {
            fatal = BootRunner.resetFailedMarker
            progress(String(format: "[%6.1fs] fatal: %@", t, BootRunner.resetFailedMarker))
            return true
        }
        if !resetSeen, after.contains(BootRunner.resetMilestone.marker) {
            resetSeen = true
            seen.append((BootRunner.resetMilestone.name, t))
            progress(String(format: "[%6.1fs] %@", t, BootRunner.resetMilestone.name))
        }
        return resetSeen
    }

    /// Types the keys once Xen has handed its input to a domain; notes when Xen's help appears.
    private func checkInput(at t: Double, progress: (String) -> Void) {
        guard let typeKeys else { return }
        if !typed, buffer.contains(BootRunner.InputCheck.trigger) {
            typed = true
            typeKeys()
            progress(String(format: "[%6.1fs] typed CTRL-a x3 and 'h' on the serial line", t))
        }
        if typed, inputHelp == nil, buffer.contains(BootRunner.InputCheck.helpMarker) {
            inputHelp = t
            progress(String(format: "[%6.1fs] Xen printed its debug-key help", t))
        }
    }
}
