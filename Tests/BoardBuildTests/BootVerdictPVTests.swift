@testable import BoardBuild
import ImageComposer
import XCTest

/// The PV expectations of a boot (`Manifest.pv`), judged from Dom0's and the guest's reports: each can fail alone.
final class BootVerdictPVTests: XCTestCase {
    static let sum = "4bdd04aae506edf8a174087e239ce5a66b85b964ff45e896d68911372ab83114"
    static let dom0 = ["hypervisor=xen", "xen_version=4.17.7", "cpus=2", "role=dom0", "xenstored=running", "xl_domain=Domain-0 0 512",
                       "xl_domain=dom0less-1 1 128", "bridge=xenbr0 192.168.100.1/24", "pv_attach=1 vif 0 ok", "pv_attach=1 disk xvda ok"]
    static let guest = ["hypervisor=xen", "role=domu", "net_eth0_driver=vif", "net_eth0_module=xen_netfront", "net_eth0_address=192.168.100.2/24",
                        "ping=192.168.100.1 3", "disk_xvda_module=xen_blkfront", "disk_xvda_sha256=\(sum)"]

    func console(dom0: [String] = dom0, guest: [String] = guest) -> String {
        let block = { (lines: [String]) in ["XEN-BOARD-REPORT-BEGIN"] + lines + ["XEN-BOARD-REPORT-END"] }
        return BootVerdictTests.xenLines + block(guest).map { "(XEN) DOM1: " + $0 }.joined(separator: "\n") + "\n"
            + block(dom0).joined(separator: "\n") + "\n"
    }

    func verdict(_ console: String) -> BootVerdict {
        var m = Manifest(board: "b", arch: "arm64", status: "ci-boot", consoleUART: nil, xenBootargs: "", dom0Bootargs: "", inputs: [], modules: [],
                         ram: [], reserved: [], files: [], qemu: ["qemu"], expectedCPUs: 2, warnings: [], domains: ["dom0", "pv"])
        m.toolstack = true
        m.pv = [.init(domain: "pv", domainID: 1, attachments: 2,
                      network: .init(address: "192.168.100.2/24", peer: "192.168.100.1", module: "xen_netfront"),
                      disks: [.init(vdev: "xvda", sha256: Self.sum, module: "xen_blkfront")])]
        var o = BootRunner.Outcome(seen: BootRunner.milestones.map { ($0.name, 1.0) }, console: console, exitedBeforeReport: false,
                                   timedOut: false, fatal: nil, inputHelp: nil, seconds: 12.5)
        o.timeout = 300
        return BootVerdict(outcome: o, manifest: m, checkInput: false)
    }

    func expectProblem(dom0: [String] = dom0, guest: [String] = guest, _ text: String, line: UInt = #line) {
        let v = verdict(console(dom0: dom0, guest: guest))
        guard case .pvDevice(let problem)? = v.failure else { return XCTFail("expected a PV failure, got \(String(describing: v.failure))", line: line) }
        XCTAssertTrue(problem.contains(text), problem, line: line)
    }

    func replacing(_ lines: [String], _ key: String, with value: String?) -> [String] {
        lines.compactMap { $0.hasPrefix(key + "=") ? value.map { key + "=" + $0 } : $0 }
    }

    func testEveryExpectationMetPasses() {
        let v = verdict(console())
        XCTAssertNil(v.failure, v.summary)
    }

    func testEachExpectationCanFail() {
        expectProblem(dom0: Self.dom0.map { $0 == "pv_attach=1 disk xvda ok" ? "pv_attach=1 disk xvda failed" : $0 }, "could not attach disk xvda to pv")
        expectProblem(dom0: Self.dom0.filter { !$0.hasPrefix("pv_attach=1 vif") }, "attached 1 of 2 PV devices to pv")
        expectProblem(guest: replacing(Self.guest, "net_eth0_module", with: "none"), "eth0 is driven by none, expected xen_netfront")
        expectProblem(guest: replacing(Self.guest, "net_eth0_address", with: "none"), "eth0 has address none")
        expectProblem(guest: replacing(Self.guest, "ping", with: "192.168.100.1 0"), "answered none of 3 pings")
        expectProblem(guest: replacing(Self.guest, "ping", with: nil), "no ping of 192.168.100.1")
        expectProblem(guest: replacing(Self.guest, "disk_xvda_module", with: "none"), "xvda is driven by none")
        expectProblem(guest: replacing(Self.guest, "disk_xvda_sha256", with: String(repeating: "0", count: 64)), "xvda reads back SHA-256 0000")
        XCTAssertEqual(verdict(console()).failure, nil)
    }

    func testReportAccessors() throws {
        let r = try XCTUnwrap(BootReport.parse(console()))
        XCTAssertEqual(r.pvAttachments, [.init(domain: 1, device: "vif 0", ok: true), .init(domain: 1, device: "disk xvda", ok: true)])
        XCTAssertEqual(r.bridges, ["xenbr0": "192.168.100.1/24"])
    }
}
