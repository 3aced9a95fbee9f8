import XCTest
@testable import ImageComposer

/// The PV parts of the init scripts: what Dom0 attaches and how, what the guest checks and reports.
final class PVScriptTests: XCTestCase {
    let layout = ToolstackLayout(xl: "usr/lib/xen-4.17/bin/xl", xenstored: "usr/lib/xen-4.17/bin/xenstored",
                                 xenconsoled: "usr/lib/xen-4.17/bin/xenconsoled", initDom0: "usr/lib/xen-4.17/bin/xen-init-dom0",
                                 initDom0less: "usr/lib/xen-4.17/bin/init-dom0less", modules: ["xen-netback"])
    let plan = PVAttachPlan(bridges: [.init(name: "xenbr0", address: "192.168.100.1/24")], attachments: [
        .init(domain: 1, device: .network(spec: "bridge=xenbr0,backend=Domain-0,mac=00:16:3e:00:00:02", index: 0)),
        .init(domain: 1, device: .block(spec: "format=raw,vdev=xvda,access=ro,backend=Domain-0,target=/var/lib/xen-board/disks/pv-xvda.img",
                                        vdev: "xvda", file: "var/lib/xen-board/disks/pv-xvda.img", contents: [1, 2, 3])),
    ])

    func testDom0AttachesAfterInitDom0less() throws {
        let text = ToolstackInit.text(layout, powerOff: false, pv: plan)
        let dom0less = try XCTUnwrap(text.range(of: "/usr/lib/xen-4.17/bin/init-dom0less ||"))
        let bridge = try XCTUnwrap(text.range(of: "ip link add name xenbr0 type bridge"))
        let vif = try XCTUnwrap(text.range(of: "xl network-attach 1 'bridge=xenbr0' 'backend=Domain-0' 'mac=00:16:3e:00:00:02'"), "one argument per setting")
        let disk = try XCTUnwrap(text.range(of: "xl block-attach 1 'format=raw,vdev=xvda,access=ro,backend=Domain-0,target=/var/lib/xen-board/disks/pv-xvda.img'"))
        XCTAssertTrue(dom0less.upperBound < bridge.lowerBound && bridge.upperBound < vif.lowerBound && vif.upperBound < disk.lowerBound)
        XCTAssertTrue(text.contains("ip addr add 192.168.100.1/24 dev xenbr0"))
        XCTAssertTrue(text.contains("ln -s /proc/self/fd/${f#*:} /dev/${f%:*}"), "locking.sh needs /dev/stdin")
        let report = try XCTUnwrap(text.range(of: "echo XEN-BOARD-REPORT-BEGIN"))
        XCTAssertTrue(text[report.upperBound...].contains("pv_attach=$line"))
        XCTAssertFalse(ToolstackInit.text(layout).contains("network-attach"), "no plan, no attach")
    }

    func testDom0ArchiveCarriesTheServedFile() throws {
        let a = try ToolstackInit.archive(layout, pv: plan)
        let paths = a.entries.map(\.path)
        XCTAssertTrue(paths.contains("var/lib/xen-board/disks/pv-xvda.img"), "\(paths)")
        XCTAssertTrue(paths.contains("var/lib/xen-board"))
    }

    func testGuestLoadsFrontendsAndReports() throws {
        let pv = GuestPVCheck(modules: [(name: "lib/modules/xen-netfront.ko", contents: [0x7f]), (name: "lib/modules/xen-blkfront.ko", contents: [0x7f])],
                              network: .init(address: "192.168.100.2/24", peer: "192.168.100.1"), disks: [.init(vdev: "xvda", bytes: 4096)], waitSeconds: 60)
        let initramfs = try Dom0Initramfs(busybox: fakeELF(), role: .domu, expectedDevices: [], pv: pv)
        let text = initramfs.initScript
        let insmod = try XCTUnwrap(text.range(of: "insmod /lib/modules/xen-netfront.ko"))
        let ip = try XCTUnwrap(text.range(of: "ip addr add 192.168.100.2/24 dev eth0"))
        let begin = try XCTUnwrap(text.range(of: "echo XEN-BOARD-REPORT-BEGIN"))
        XCTAssertTrue(insmod.upperBound < ip.lowerBound && ip.upperBound < begin.lowerBound)
        XCTAssertTrue(text.contains("ping -c 3 -W 2 192.168.100.1"))
        XCTAssertTrue(text.contains("head -c 4096 /dev/xvda"))
        XCTAssertTrue(text[begin.upperBound...].contains("echo \"ping=192.168.100.1 ${pv_replies:-0}\""))
        XCTAssertTrue(text.contains("$n -lt 300"), "waits 60 s in 0.2 s steps")
        let paths = initramfs.archive.entries.map(\.path)
        for p in ["lib/modules/xen-netfront.ko", "lib/modules/xen-blkfront.ko", "bin/insmod", "bin/ping", "bin/sha256sum", "bin/ip"] {
            XCTAssertTrue(paths.contains(p), p)
        }
        let plain = try Dom0Initramfs(busybox: fakeELF(), role: .domu, expectedDevices: [])
        XCTAssertFalse(plain.initScript.contains("insmod"))
        XCTAssertFalse(plain.archive.entries.map(\.path).contains("bin/ping"))
    }
}
