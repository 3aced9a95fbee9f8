import XCTest
@testable import ImageComposer

/// The toolstack Dom0's `/init` archive: the tools at the layout's paths, and no entry that would replace the root
/// filesystem's merged-/usr links (the kernel replaces an existing path of another type).
final class ToolstackInitTests: XCTestCase {
    let layout = ToolstackLayout(xl: "usr/lib/xen-4.17/bin/xl", xenstored: "usr/lib/xen-4.17/bin/xenstored",
                                 xenconsoled: "usr/lib/xen-4.17/bin/xenconsoled", initDom0: "usr/lib/xen-4.17/bin/xen-init-dom0",
                                 initDom0less: nil, modules: ["xen-evtchn", "xenfs"])

    func testScriptStartsTheToolsAndReportsXL() {
        let text = ToolstackInit.text(layout)
        XCTAssertTrue(text.contains("for m in xen-evtchn xenfs; do modprobe"), text)
        XCTAssertTrue(text.contains("mount -t xenfs xenfs /proc/xen"))
        XCTAssertTrue(text.contains("\n/usr/lib/xen-4.17/bin/xenstored --pid-file"))
        XCTAssertTrue(text.contains("/usr/lib/xen-4.17/bin/xl list"))
        XCTAssertTrue(text.contains("# no init-dom0less in this Xen"))
        let begin = text.range(of: "echo XEN-BOARD-REPORT-BEGIN")!, end = text.range(of: "echo XEN-BOARD-REPORT-END")!
        XCTAssertTrue(text[begin.upperBound..<end.lowerBound].contains("xl_domain=$name $id $mem"), "inside the report block")
        XCTAssertTrue(ToolstackInit.text(layout, powerOff: false).contains("# stay up"))
    }

    func testArchiveHasNoTopLevelBinOrLib() throws {
        let a = try ToolstackInit.archive(layout)
        let paths = a.entries.map(\.path)
        XCTAssertTrue(paths.contains("init"))
        XCTAssertTrue(paths.contains("usr/bin/sh"))
        XCTAssertFalse(paths.contains { $0 == "bin" || $0 == "lib" || $0 == "sbin" || $0.hasPrefix("bin/") }, "\(paths)")
    }
}
