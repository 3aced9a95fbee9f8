import Foundation
import ImageComposer

/// What a QEMU boot proved, decided from the runner's outcome and each domain's report (typed: `boot` prints it).
///
/// A boot passes when Dom0's report says the hypervisor is Xen (or, without Dom0, Xen's banner appeared and the
/// first guest reported), every DomU reported, Xen and Dom0 brought up the expected CPUs, and, when asked, the
/// machine reset on Dom0's reboot and Xen printed its debug-key help.
public struct BootVerdict: Sendable {
    /// One domain of the manifest and the report its console printed (nil: none arrived).
    public struct Domain: Sendable {
        public let name: String
        public let report: BootReport?
    }

    /// Why a boot failed, first cause first.
    public enum Failure: Sendable, Equatable {
        case missedMilestone(BootRunner.Milestone)
        case noInputHelp
        case noReset
        case missingReports([String])
        case wrongReport
        /// A toolstack Dom0 reported, but xenstored was not running or `xl list` did not show Domain-0 and every guest.
        case toolstackDown
        /// A PV device was not attached, or a guest did not see it work (`Manifest.pv`); the text says which.
        case pvDevice(String)
    }

    /// How the run ended early, when it did.
    public enum Stop: Sendable, Equatable {
        case fatal(String)
        case timedOut
        case qemuExited
    }

    public let outcome: BootRunner.Outcome
    public let domains: [Domain]
    /// Dom0's report (nil without Dom0, or when it printed none).
    public let dom0Report: BootReport?
    /// `xen` when the boot ran on Xen (Dom0's `hypervisor=` line; without Dom0, Xen's banner and a guest report).
    public let hypervisor: String?
    public let dom0CPUs: Int?
    /// From Xen's "Brought up N CPUs".
    public let xenCPUs: Int?
    public let expectedCPUs: Int?
    public let expectsReset: Bool
    /// Dom0 runs the toolstack root filesystem (the manifest's `toolstack`).
    public let expectsToolstack: Bool
    public let checkedInput: Bool
    public let failure: Failure?

    public var ok: Bool { failure == nil }

    public var stop: Stop? {
        if let fatal = outcome.fatal { return .fatal(fatal) }
        if outcome.timedOut { return .timedOut }
        return outcome.exitedBeforeReport ? .qemuExited : nil
    }

    /// Judges `outcome` for the domains listed in `manifest` (Dom0 first when present).
    public init(outcome: BootRunner.Outcome, manifest: Manifest, checkInput: Bool) {
        let names = manifest.domains ?? ["dom0"]
        let hasDom0 = names.first == "dom0"
        // Dom0 prints on the unprefixed console; each DomU on "(dN) " lines, N in boot order from 1.
        let consoles = DomainConsoles.split(outcome.console)
        let relayed = XLGuestConsole.split(outcome.console)
        let guests = manifest.guests ?? []
        domains = names.enumerated().map { i, name in
            Domain(name: name, report: consoles[hasDom0 ? i : i + 1].flatMap { BootReport.parse($0) })
        } + guests.map { Domain(name: $0, report: relayed[$0].flatMap { BootReport.parse($0) }) }
        dom0Report = hasDom0 ? domains.first?.report : nil
        dom0CPUs = dom0Report?.values("cpus").first.flatMap(Int.init)
        hypervisor = hasDom0 ? dom0Report?.values("hypervisor").first
            : (outcome.console.contains("Xen version") && domains.first?.report != nil ? "xen" : nil)
        xenCPUs = Self.xenBroughtUp(outcome.console)
        expectedCPUs = manifest.expectedCPUs
        expectsReset = manifest.expectsReset == true
        expectsToolstack = manifest.toolstack == true
        checkedInput = checkInput
        self.outcome = outcome
        let judged = Self.judge(outcome: outcome, domains: domains, hasDom0: hasDom0, hypervisor: hypervisor, dom0CPUs: dom0CPUs,
                                xenCPUs: xenCPUs, expectedCPUs: expectedCPUs, expectsReset: expectsReset, checkInput: checkInput)
        failure = judged ?? (expectsToolstack && !Self.toolstackUp(dom0Report, guests: guests) ? .toolstackDown : nil)
            ?? Self.pvProblem(manifest.pv ?? [], dom0: dom0Report, domains: domains).map(Failure.pvDevice)
    }

    /// The first cause of failure, nil when the boot passed.
    static func judge(outcome: BootRunner.Outcome, domains: [Domain], hasDom0: Bool, hypervisor: String?, dom0CPUs: Int?, xenCPUs: Int?,
                      expectedCPUs: Int?, expectsReset: Bool, checkInput: Bool) -> Failure? {
        // A DomU without xen,enhanced gets no /hypervisor node, so its kernel cannot tell it runs on Xen: a DomU
        // counts as up when its report arrived (its kernel booted and its init ran).
        let guests = domains.dropFirst(hasDom0 ? 1 : 0)
        let cpusOK = expectedCPUs.map { xenCPUs == $0 && (!hasDom0 || dom0CPUs == $0) } ?? true
        let resetOK = !expectsReset || outcome.reset
        let inputOK = !checkInput || outcome.inputHelp != nil
        if hypervisor == "xen" && guests.allSatisfy({ $0.report != nil }) && inputOK && resetOK && cpusOK { return nil }
        if let missed = outcome.missed { return .missedMilestone(missed) }
        if !inputOK { return .noInputHelp }
        if !resetOK { return .noReset }
        let missing = domains.filter { $0.report == nil }.map(\.name)
        return missing.isEmpty ? .wrongReport : .missingReports(missing)
    }

    /// xenstored running, Domain-0 (id 0) and every `[[guest]]` in `xl list`, as a toolstack Dom0's report says.
    static func toolstackUp(_ report: BootReport?, guests: [String] = []) -> Bool {
        guard let report, report.xenstoredRunning == true else { return false }
        let listed = report.xlDomains
        return listed.contains { $0.id == 0 && $0.name == "Domain-0" } && guests.allSatisfy { g in listed.contains { $0.name == g } }
    }

    /// N of Xen's "Brought up N CPUs" (nil when Xen never said it).
    static func xenBroughtUp(_ console: String) -> Int? {
        guard let r = console.range(of: "Brought up ") else { return nil }
        return console[r.upperBound...].split(separator: " ", maxSplits: 1).first.flatMap { Int($0) }
    }
}
