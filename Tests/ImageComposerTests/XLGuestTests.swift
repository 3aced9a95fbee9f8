import XCTest
@testable import ImageComposer

/// `[[guest]]`s in a toolstack Dom0: the xl configuration, the archive carrying it, the part of `/init` that
/// creates the guests, and the relayed consoles read back.
final class XLGuestTests: XCTestCase {
    let guest = XLGuest(name: "web", memoryMiB: 128, vcpus: 2, kernel: "/var/lib/xen/images/debian-kernel",
                        ramdisk: "/var/lib/xen/images/report-initrd", cmdline: "console=hvc0 loglevel=4")
    let layout = ToolstackLayout(xl: "usr/lib/xen-4.17/bin/xl", xenstored: "usr/lib/xen-4.17/bin/xenstored",
                                 xenconsoled: "usr/lib/xen-4.17/bin/xenconsoled", initDom0: "usr/lib/xen-4.17/bin/xen-init-dom0",
                                 initDom0less: nil, modules: ["xenfs"])

    func testConfiguration() {
        XCTAssertEqual(guest.config, """
        # xen-board: [[guest]] web, started by Dom0's /init with `xl create /etc/xen/web.cfg`.
        name = "web"
        memory = 128
        vcpus = 2
        kernel = "/var/lib/xen/images/debian-kernel"
        ramdisk = "/var/lib/xen/images/report-initrd"
        extra = "console=hvc0 loglevel=4"

        """)
        XCTAssertEqual(guest.configPath, "/etc/xen/web.cfg")
        XCTAssertEqual(guest.consoleLog, "/var/log/xen/console/guest-web.log")
    }

    func testArchiveHoldsConfigurationsAndFilesOnceWithTheirDirectories() throws {
        let other = XLGuest(name: "db", memoryMiB: 64, vcpus: 1, kernel: guest.kernel, ramdisk: guest.ramdisk, cmdline: "console=hvc0")
        let a = try XLGuests.archive([guest, other], files: [("var/lib/xen/images/debian-kernel", [1, 2, 3]),
                                                              ("var/lib/xen/images/report-initrd", [4])])
        XCTAssertEqual(a.entries.map(\.path), ["etc", "etc/xen", "etc/xen/web.cfg", "etc/xen/db.cfg", "var", "var/lib", "var/lib/xen",
                                               "var/lib/xen/images", "var/lib/xen/images/debian-kernel", "var/lib/xen/images/report-initrd"])
        XCTAssertEqual(a.entries[2].kind, .file(Array(guest.config.utf8)))
        XCTAssertEqual(a.entries[8].kind, .file([1, 2, 3]))
        XCTAssertThrowsError(try XLGuests.archive([guest, guest], files: []), "the same configuration twice")
    }

    func testInitCreatesTheGuestsBeforeTheReportAndLogsTheirConsoles() throws {
        let text = ToolstackInit.text(layout, guests: [guest])
        let create = try XCTUnwrap(text.range(of: "/usr/lib/xen-4.17/bin/xl create \"/etc/xen/$g.cfg\""))
        let report = try XCTUnwrap(text.range(of: "echo XEN-BOARD-REPORT-BEGIN"))
        XCTAssertLessThan(create.lowerBound, report.lowerBound, "guests first, so that xl list shows them")
        XCTAssertTrue(text.contains("for g in web; do"), text)
        XCTAssertTrue(text.contains("xenconsoled --pid-file=/run/xenconsoled.pid --log=guest --log-dir=/var/log/xen/console"), text)
        XCTAssertTrue(text.contains("sed \"s/^/(xl $g) /\""), text)
        XCTAssertTrue(text.contains("mount -t devpts devpts /dev/pts"), "xenconsoled's ptys")
        let none = ToolstackInit.text(layout)
        XCTAssertFalse(none.contains("xl create"))
        XCTAssertFalse(none.contains("--log=guest"))
    }

    func testRelayedConsolesSplitByName() throws {
        let console = """
        Parsing config from /etc/xen/web.cfg
        (xl web) [    0.000000] Booting Linux
        (d1) not an xl guest
        (xl db) XEN-BOARD-REPORT-BEGIN
        (xl web) XEN-BOARD-REPORT-BEGIN
        (xl web) role=domu
        (xl web) XEN-BOARD-REPORT-END
        (xl) nameless
        xl_domain=web 1 128
        """
        let split = XLGuestConsole.split(console)
        XCTAssertEqual(Set(split.keys), ["web", "db"])
        XCTAssertEqual(split["web"], "[    0.000000] Booting Linux\nXEN-BOARD-REPORT-BEGIN\nrole=domu\nXEN-BOARD-REPORT-END")
        XCTAssertEqual(BootReport.parse(split["web"] ?? "")?.role, .domu)
        XCTAssertNil(BootReport.parse(split["db"] ?? ""), "db's report never ended")
        XCTAssertNil(BootReport.parse(console.replacingOccurrences(of: "(xl web) ", with: "(xl db) ")), "relayed lines are no Dom0 report")
        XCTAssertEqual(XLGuestConsole.split(console.replacingOccurrences(of: "\n", with: "\r\n"))["web"], split["web"], "a log with CRLF")
    }
}
