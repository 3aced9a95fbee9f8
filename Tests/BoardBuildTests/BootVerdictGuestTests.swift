@testable import BoardBuild
import ImageComposer
import XCTest

/// `boot`'s verdict for a toolstack Dom0 with `[[guest]]`s: each guest's report relayed by Dom0 (`(xl NAME) `
/// lines) and each guest in Dom0's `xl list`.
final class BootVerdictGuestTests: XCTestCase {
    static func report(_ lines: [String], prefix: String = "") -> String {
        (["XEN-BOARD-REPORT-BEGIN"] + lines + ["XEN-BOARD-REPORT-END"]).map { prefix + $0 }.joined(separator: "\n")
    }

    static let xen = "(XEN) Xen version 4.17.5 (Debian)\n(XEN) Brought up 2 CPUs\n(XEN) *** LOADING DOMAIN 0 ***\nBooting Linux on physical CPU 0x0\n"
    static let guestReport = report(["hypervisor=xen", "cpus=1", "role=domu"], prefix: "(xl web) ")

    func verdict(_ console: String, guests: [String] = ["web"]) -> BootVerdict {
        var o = BootRunner.Outcome(seen: BootRunner.milestones.map { ($0.name, 1.0) }, console: console, exitedBeforeReport: false,
                                   timedOut: false, fatal: nil, inputHelp: nil, seconds: 30)
        o.timeout = 300
        var m = Manifest(board: "b", arch: "arm64", status: "ci-boot", consoleUART: nil, xenBootargs: "", dom0Bootargs: "", inputs: [],
                         modules: [], ram: [], reserved: [], files: [], qemu: ["qemu"], expectedCPUs: 2, warnings: [], domains: ["dom0"])
        m.toolstack = true
        m.guests = guests
        return BootVerdict(outcome: o, manifest: m, checkInput: false)
    }

    func dom0(_ domains: [String]) -> String {
        Self.report(["hypervisor=xen", "cpus=2", "role=dom0", "xenstored=running"] + domains.map { "xl_domain=\($0)" })
    }

    func testGuestReportAndXLListPass() {
        let v = verdict(Self.xen + "Parsing config from /etc/xen/web.cfg\n" + Self.guestReport + "\n" + dom0(["Domain-0 0 512", "web 1 128"]))
        XCTAssertNil(v.failure, v.summary)
        XCTAssertEqual(v.domains.map(\.name), ["dom0", "web"])
        XCTAssertEqual(v.domains.last?.report?.role, .domu)
        XCTAssertEqual(v.dom0Report?.role, .dom0, "the relayed guest report is not taken for Dom0's")
    }

    func testMissingGuestReport() {
        let v = verdict(Self.xen + "xen-board: xl create web failed\n" + dom0(["Domain-0 0 512"]))
        XCTAssertEqual(v.failure, .missingReports(["web"]))
        let unfinished = Self.guestReport.replacingOccurrences(of: "(xl web) XEN-BOARD-REPORT-END", with: "")
        XCTAssertEqual(verdict(Self.xen + unfinished + "\n" + dom0(["Domain-0 0 512", "web 1 128"])).failure, .missingReports(["web"]))
    }

    func testGuestNotInXLListIsToolstackDown() {
        XCTAssertEqual(verdict(Self.xen + Self.guestReport + "\n" + dom0(["Domain-0 0 512"])).failure, .toolstackDown)
        XCTAssertEqual(verdict(Self.xen + Self.guestReport + "\n" + dom0(["Domain-0 0 512", "db 1 128"])).failure, .toolstackDown)
    }
}
