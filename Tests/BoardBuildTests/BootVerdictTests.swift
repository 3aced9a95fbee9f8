@testable import BoardBuild
import ImageComposer
import XCTest

/// `boot`'s verdict from console text: typed causes, not strings.
final class BootVerdictTests: XCTestCase {
    static func report(cpus: Int, hypervisor: String = "xen", prefix: String = "") -> String {
        ["XEN-BOARD-REPORT-BEGIN", "hypervisor=\(hypervisor)", "xen_version=4.17.5", "cpus=\(cpus)", "role=dom0", "XEN-BOARD-REPORT-END"]
            .map { prefix + $0 }.joined(separator: "\n")
    }

    static let xenLines = "(XEN) Xen version 4.17.5 (Debian)\n(XEN) Brought up 2 CPUs\n(XEN) *** LOADING DOMAIN 0 ***\nBooting Linux on physical CPU 0x0\n"

    func outcome(_ console: String, seen names: [String] = BootRunner.milestones.map(\.name), inputHelp: Double? = nil,
                 reset: Bool = false, timedOut: Bool = false, fatal: String? = nil) -> BootRunner.Outcome {
        var o = BootRunner.Outcome(seen: names.map { ($0, 1.0) }, console: console, exitedBeforeReport: false, timedOut: timedOut,
                                   fatal: fatal, inputHelp: inputHelp, seconds: 12.5)
        o.reset = reset
        o.timeout = 300
        return o
    }

    func manifest(domains: [String] = ["dom0"], cpus: Int? = 2, expectsReset: Bool? = nil) -> Manifest {
        Manifest(board: "b", arch: "arm64", status: "ci-boot", consoleUART: nil, xenBootargs: "", dom0Bootargs: "", inputs: [], modules: [],
                 ram: [], reserved: [], files: [], qemu: ["qemu"], expectedCPUs: cpus, warnings: [], domains: domains, expectsReset: expectsReset)
    }

    /// A toolstack Dom0 passes only with xenstored running and Domain-0 in `xl list`.
    func testToolstackDom0NeedsXenstoredAndDomain0() {
        var m = manifest()
        m.toolstack = true
        let base = Self.xenLines + Self.report(cpus: 2)
        func with(_ lines: [String]) -> String { base.replacingOccurrences(of: "XEN-BOARD-REPORT-END", with: (lines + ["XEN-BOARD-REPORT-END"]).joined(separator: "\n")) }
        XCTAssertEqual(BootVerdict(outcome: outcome(base), manifest: m, checkInput: false).failure, .toolstackDown)
        XCTAssertEqual(BootVerdict(outcome: outcome(with(["xenstored=stopped", "xl_domain=Domain-0 0 512"])), manifest: m, checkInput: false).failure,
                       .toolstackDown)
        XCTAssertEqual(BootVerdict(outcome: outcome(with(["xenstored=running", "xl_domain=rtc 1 64"])), manifest: m, checkInput: false).failure,
                       .toolstackDown)
        let up = BootVerdict(outcome: outcome(with(["xenstored=running", "xl_domain=Domain-0 0 512"])), manifest: m, checkInput: false)
        XCTAssertNil(up.failure, up.summary)
        XCTAssertEqual(up.dom0Report?.xlDomains, [.init(name: "Domain-0", id: 0, memoryMiB: 512)])
        XCTAssertNil(BootVerdict(outcome: outcome(base), manifest: manifest(), checkInput: false).failure, "only toolstack boards check it")
    }

    func testDom0OnXenWithEveryCPUPasses() {
        let v = BootVerdict(outcome: outcome(Self.xenLines + Self.report(cpus: 2)), manifest: manifest(), checkInput: false)
        XCTAssertNil(v.failure)
        XCTAssertEqual(v.hypervisor, "xen")
        XCTAssertEqual(v.xenCPUs, 2)
        XCTAssertEqual(v.dom0CPUs, 2)
        XCTAssertEqual(v.domains.map(\.name), ["dom0"])
    }

    func testTooFewCPUsIsAWrongReport() {
        let v = BootVerdict(outcome: outcome(Self.xenLines + Self.report(cpus: 1)), manifest: manifest(), checkInput: false)
        XCTAssertEqual(v.failure, .wrongReport)
        XCTAssertEqual(v.dom0CPUs, 1)
        XCTAssertTrue(v.summary.contains("expected 2"), v.summary)
    }

    func testNoHypervisorIsAWrongReport() {
        let v = BootVerdict(outcome: outcome(Self.xenLines + Self.report(cpus: 2, hypervisor: "none")), manifest: manifest(), checkInput: false)
        XCTAssertEqual(v.failure, .wrongReport)
    }

    func testAMissingDomUReportIsNamed() {
        let v = BootVerdict(outcome: outcome(Self.xenLines + Self.report(cpus: 2)), manifest: manifest(domains: ["dom0", "rtc"]), checkInput: false)
        XCTAssertEqual(v.failure, .missingReports(["rtc"]))
        let both = BootVerdict(outcome: outcome(Self.xenLines + Self.report(cpus: 2) + "\n" + Self.report(cpus: 1, prefix: "(XEN) DOM1: ")),
                               manifest: manifest(domains: ["dom0", "rtc"]), checkInput: false)
        XCTAssertNil(both.failure, both.summary)
        XCTAssertEqual(both.domains.last?.report?.cpus, 1)
    }

    func testTheFirstMissedMilestoneComesFirst() {
        let names = BootRunner.milestones.map(\.name)
        let v = BootVerdict(outcome: outcome(Self.xenLines, seen: Array(names.prefix(2)), timedOut: true), manifest: manifest(), checkInput: true)
        XCTAssertEqual(v.failure, .missedMilestone(BootRunner.milestones[2]))
        XCTAssertEqual(v.stop, .timedOut)
        XCTAssertTrue(v.summary.hasSuffix("after 300 s timeout"), v.summary)
    }

    func testInputCheckAndResetAreRequiredOnlyWhenAsked() {
        let console = Self.xenLines + Self.report(cpus: 2)
        XCTAssertEqual(BootVerdict(outcome: outcome(console), manifest: manifest(), checkInput: true).failure, .noInputHelp)
        XCTAssertNil(BootVerdict(outcome: outcome(console, inputHelp: 20), manifest: manifest(), checkInput: true).failure)
        XCTAssertEqual(BootVerdict(outcome: outcome(console), manifest: manifest(expectsReset: true), checkInput: false).failure, .noReset)
        XCTAssertNil(BootVerdict(outcome: outcome(console, reset: true), manifest: manifest(expectsReset: true), checkInput: false).failure)
    }

    func testWithoutDom0TheGuestReportAndXensBannerDecide() {
        let guest = Self.report(cpus: 1, prefix: "(XEN) DOM1: ")
        let v = BootVerdict(outcome: outcome("(XEN) Xen version 4.17.5\n(XEN) Brought up 2 CPUs\n" + guest), manifest: manifest(domains: ["g"]),
                            checkInput: false)
        XCTAssertNil(v.failure, v.summary)
        XCTAssertNil(v.dom0Report)
        XCTAssertEqual(v.hypervisor, "xen")
        let noBanner = BootVerdict(outcome: outcome(guest), manifest: manifest(domains: ["g"], cpus: nil), checkInput: false)
        XCTAssertEqual(noBanner.failure, .wrongReport)
    }

    func testJSONKeepsItsKeys() {
        let v = BootVerdict(outcome: outcome(Self.xenLines + Self.report(cpus: 2)), manifest: manifest(), checkInput: true)
        let j = v.jsonObject(board: "b")
        XCTAssertEqual(Set(j.keys), ["board", "ok", "seconds", "hypervisor", "dom0CPUs", "xenCPUs", "expectedCPUs", "inputHelpSeconds",
                                     "milestones", "report", "domains"])
        XCTAssertEqual(j["ok"] as? Bool, false)
    }
}
