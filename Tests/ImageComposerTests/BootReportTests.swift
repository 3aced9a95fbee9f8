import ImageComposer
import XCTest

final class BootReportTests: XCTestCase {
    func testPlainReport() throws {
        let console = """
        [    0.000000] Booting Linux on physical CPU 0x0000000000 [0x411fd070]
        XEN-BOARD-REPORT-BEGIN
        hypervisor=xen
        xen_version=4.17.5
        cpus=2
        kernel=6.1.0-50-arm64
        role=dom0
        device=/hypervisor
        device=/pl011@9000000
        device=/soc/serial@1000
        rtc=rtc-pl031 9010000.pl031
        uptime=3.21
        XEN-BOARD-REPORT-END
        reboot: Power down
        """
        let r = try XCTUnwrap(BootReport.parse(console))
        XCTAssertEqual(r.hypervisor, "xen")
        XCTAssertTrue(r.isXen)
        XCTAssertEqual(r.xenVersion, "4.17.5")
        XCTAssertEqual(r.cpus, 2)
        XCTAssertEqual(r.kernel, "6.1.0-50-arm64")
        XCTAssertEqual(r.role, .dom0)
        XCTAssertEqual(r.devices, ["/hypervisor", "/pl011@9000000", "/soc/serial@1000"])
        XCTAssertEqual(r.value("rtc"), "rtc-pl031 9010000.pl031")
        XCTAssertEqual(r.uptime, 3.21)
        XCTAssertEqual(r.fields.count, 10)
    }

    func testPrefixesCarriageReturnsAndTheLastBlock() throws {
        let console = "(XEN) XEN-BOARD-REPORT-BEGIN\r\n(XEN) hypervisor=none\r\n(XEN) XEN-BOARD-REPORT-END\r\n"
            + "(d1) XEN-BOARD-REPORT-BEGIN\r\n"
            + "(XEN) (d1) hypervisor=xen\r\n"
            + "(d1) [    1.234567] xen_version=4.17.5-rc\r\n"
            + "[   12.5] cpus=1\r\r\n"
            + "random: crng init done\r\n"
            + "(d1) role=domu  \r\n"
            + "(d12) device=/passthrough/ethernet@ff0e0000\r\n"
            + "(d1) XEN-BOARD-REPORT-END\r\n"
        let r = try XCTUnwrap(BootReport.parse(console))
        XCTAssertEqual(r.hypervisor, "xen", "the last block wins")
        XCTAssertEqual(r.xenVersion, "4.17.5-rc")
        XCTAssertEqual(r.cpus, 1)
        XCTAssertEqual(r.role, .domu)
        XCTAssertEqual(r.devices, ["/passthrough/ethernet@ff0e0000"])
        XCTAssertEqual(r.fields.map(\.key), ["hypervisor", "xen_version", "cpus", "role", "device"],
                       "a kernel line without key=value inside the block is skipped")
    }

    func testNoneAndUnknownValues() throws {
        let r = try XCTUnwrap(BootReport.parse("XEN-BOARD-REPORT-BEGIN\nhypervisor=none\nxen_version=unknown\ncpus=x\nrole=dom7\nXEN-BOARD-REPORT-END\n"))
        XCTAssertNil(r.hypervisor)
        XCTAssertFalse(r.isXen)
        XCTAssertNil(r.xenVersion)
        XCTAssertNil(r.cpus)
        XCTAssertNil(r.role)
        XCTAssertNil(r.value("rtc"))
        XCTAssertEqual(r.devices, [])
    }

    func testIncompleteOrMissingReport() {
        XCTAssertNil(BootReport.parse(""))
        XCTAssertNil(BootReport.parse("Xen 4.17\n(XEN) Brought up 2 CPUs\n"))
        XCTAssertNil(BootReport.parse("XEN-BOARD-REPORT-BEGIN\nhypervisor=xen\ncpus=2\n"), "a cut-off block is no report")
        XCTAssertNil(BootReport.parse("XEN-BOARD-REPORT-END\nXEN-BOARD-REPORT-BEGIN\n"))
        // A complete block followed by a cut-off one: the complete one.
        let r = BootReport.parse("XEN-BOARD-REPORT-BEGIN\ncpus=4\nXEN-BOARD-REPORT-END\nXEN-BOARD-REPORT-BEGIN\ncpus=")
        XCTAssertEqual(r?.cpus, 4)
        // Markers count as whole lines only: a traced `echo` of the marker is not one.
        XCTAssertEqual(BootReport.parse("XEN-BOARD-REPORT-BEGIN\ncpus=1\n+ echo XEN-BOARD-REPORT-BEGIN\ncpus=2\nXEN-BOARD-REPORT-END\n")?.values("cpus"), ["1", "2"])
        XCTAssertEqual(BootReport.parse("  XEN-BOARD-REPORT-BEGIN \t\ncpus=3\n\tXEN-BOARD-REPORT-END")?.cpus, 3)
        // An empty block is a report with no fields.
        XCTAssertEqual(BootReport.parse("XEN-BOARD-REPORT-BEGIN\nXEN-BOARD-REPORT-END")?.fields, [])
    }
}
