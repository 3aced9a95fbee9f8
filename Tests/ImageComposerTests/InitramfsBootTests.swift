import Foundation
import ImageComposer
import TestSupport
import XCTest

/// The test initramfs under a real kernel: Debian's arm64 kernel boots it on QEMU virt (no Xen: the kernel runs
/// bare, so the report must say hypervisor=none) and `/init` must print a report `BootReport` parses, then power
/// the machine off by itself.
///
/// Needs the arm64 kernel and busybox-static packages unpacked in the xen-board cache (`xen-board fetch
/// qemu-virt-arm64` leaves them there) and qemu-system-aarch64; a missing one goes through TestSupport's `missing`
/// (nothing is downloaded here).
final class InitramfsBootTests: XCTestCase {
    /// The newest-named complete unpacked package tree (`<cache>/unpacked/NAME`, `xen-board fetch` leaves them) whose
    /// name starts with `prefix` and contains every one of `infixes`.
    static func unpackedTree(_ prefix: String, _ infixes: String...) -> URL? {
        let dir = TestInputs.cacheRoot.appendingPathComponent("unpacked")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.filter { $0.hasPrefix(prefix) && infixes.allSatisfy($0.contains) && FileManager.default.fileExists(atPath: dir.path + "/" + $0 + "/.complete") }
            .sorted().last.map { dir.appendingPathComponent($0) }
    }

    /// Debian's arm64 kernel and static busybox, from the package cache.
    struct Inputs {
        let kernel: URL
        let busybox: [UInt8]
    }

    func inputs() throws -> Inputs {
        try Host.require(["qemu-system-aarch64"])
        let why = "no unpacked linux-image-*-arm64 / busybox-static arm64 package in \(TestInputs.cacheRoot.path)/unpacked (xen-board fetch qemu-virt-arm64)"
        guard let kernelTree = Self.unpackedTree("linux-image-", "-arm64_", "_arm64_"), let busyboxTree = Self.unpackedTree("busybox-static_", "_arm64_"),
              let kernel = try? FileManager.default.contentsOfDirectory(atPath: kernelTree.appendingPathComponent("boot").path).first(where: { $0.hasPrefix("vmlinuz-") })
        else { try missing(why) }
        // Debian 12 ships /bin/busybox, Debian 13 (merged /usr) /usr/bin/busybox; the cache may hold either.
        let busybox = ["usr/bin/busybox", "bin/busybox"].map(busyboxTree.appendingPathComponent).first { FileManager.default.fileExists(atPath: $0.path) }
        return Inputs(kernel: kernelTree.appendingPathComponent("boot/\(kernel)"),
                      busybox: try [UInt8](Data(contentsOf: try XCTUnwrap(busybox, "no busybox in \(busyboxTree.path)"))))
    }

    func testReportFromABareArm64Kernel() throws {
        let inputs = try inputs()
        let busybox = inputs.busybox
        let kernel = inputs.kernel.lastPathComponent
        let dir = try TemporaryDirectory("xb-initramfs-bare")
        let start = Date()
        let initramfs = try Dom0Initramfs(busybox: busybox, role: .domu, expectedDevices: [.rtc, .block],
                                          epoch: SourceDateEpoch(seconds: 1_700_000_000))
        XCTAssertEqual(initramfs.busybox.machine, .aarch64)
        let gz = try initramfs.gzipped()
        print("InitramfsBootTests: initramfs \(initramfs.cpio().count) bytes, gzipped \(gz.count), built in \(String(format: "%.3f", Date().timeIntervalSince(start))) s")
        try Data(gz).write(to: dir.file("initrd.gz"))

        let run = try QEMUConsole.run(try XCTUnwrap(Host.which("qemu-system-aarch64")), [
            "-machine", "virt", "-cpu", "cortex-a57", "-smp", "2", "-m", "1024", "-nographic", "-nic", "none",
            "-kernel", inputs.kernel.path, "-initrd", dir.file("initrd.gz").path,
            "-append", "console=ttyAMA0 rdinit=/init",
        ], marker: BootReport.endMarker, timeout: 120)
        print("InitramfsBootTests: report after \(run.markerSeconds.map { String(format: "%.2f s", $0) } ?? "-"), "
              + "QEMU \(run.exitedByItself ? "powered off by itself" : "killed") after \(String(format: "%.2f", run.seconds)) s")
        guard let report = BootReport.parse(run.console) else {
            return XCTFail("no boot report on the console; tail:\n\(run.tail)")
        }
        let block = run.lines.drop { !$0.contains(BootReport.beginMarker) }.prefix { !$0.contains(BootReport.endMarker) }
        print(block.joined(separator: "\n"))
        XCTAssertTrue(run.exitedByItself, "poweroff -f did not end QEMU; tail:\n\(run.tail)")
        XCTAssertNil(report.hypervisor, "a bare kernel has no /sys/hypervisor/type")
        XCTAssertFalse(report.isXen)
        XCTAssertNil(report.xenVersion)
        XCTAssertEqual(report.cpus, 2)
        XCTAssertEqual(report.kernel.map { kernel.hasSuffix($0) }, true, "kernel=\(report.kernel ?? "-") vs \(kernel)")
        XCTAssertEqual(report.role, .domu)
        XCTAssertTrue(report.devices.contains("/pl011@9000000"), "\(report.devices)")
        XCTAssertTrue(report.devices.contains("/pl031@9010000"), "\(report.devices)")
        XCTAssertTrue(report.devices.allSatisfy { $0.hasPrefix("/") && !$0.hasSuffix("/") }, "\(report.devices)")
        XCTAssertNotNil(report.value("rtc"))
        XCTAssertNotNil(report.value("block"))
        XCTAssertNotNil(report.uptime)
    }

    /// The same initramfs as Dom0 of Debian's Xen 4.17 (QEMU virt, GICv3, direct boot with the modules described in
    /// /chosen): the report must say hypervisor=xen, the Xen version, both CPUs, and the device tree Xen built for
    /// Dom0 (with /hypervisor, without the UART Xen keeps for itself), and Xen must halt the machine after Dom0's
    /// poweroff. Needs the Xen image of `xen-board fetch --xen-images` (TestInputs.xenImage) and dtc.
    func testDom0ReportUnderXen() throws {
        let inputs = try inputs()
        try Host.require(["dtc"])
        let xen = try TestInputs.xenImage("xen-arm64")
        let qemu = try XCTUnwrap(Host.which("qemu-system-aarch64"))
        let dir = try TemporaryDirectory("xb-initramfs-xen")
        let initrd = try Dom0Initramfs(busybox: inputs.busybox, role: .dom0, expectedDevices: [.rtc]).gzipped()
        try Data(initrd).write(to: dir.file("initrd.gz"))
        let kernelSize = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: inputs.kernel.path)[.size] as? Int)
        let machine = ["-machine", "virt,gic-version=3,virtualization=on", "-cpu", "cortex-a57", "-smp", "2", "-m", "2048", "-nographic", "-nic", "none"]

        // The DTB QEMU makes for exactly these options, with /chosen describing Xen's command lines and modules.
        let dump = try Host.run(qemu, machine + ["-machine", "dumpdtb=\(dir.file("virt.dtb").path)"])
        XCTAssertEqual(dump.status, 0, dump.stderr)
        let dts = try Host.run("dtc", ["-q", "-I", "dtb", "-O", "dts", dir.file("virt.dtb").path])
        XCTAssertEqual(dts.status, 0, dts.stderr)
        let chosen = """
        chosen {
        \t\t#address-cells = <0x02>;
        \t\t#size-cells = <0x02>;
        \t\txen,xen-bootargs = "console=dtuart dtuart=/pl011@9000000 dom0_mem=512M";
        \t\txen,dom0-bootargs = "console=hvc0 earlycon=xenboot rdinit=/init";
        \t\tmodule@50000000 { compatible = "multiboot,kernel", "multiboot,module"; reg = <0x00 0x50000000 0x00 \(kernelSize)>; };
        \t\tmodule@58000000 { compatible = "multiboot,ramdisk", "multiboot,module"; reg = <0x00 0x58000000 0x00 \(initrd.count)>; };
        \t};
        """
        // Replace QEMU's /chosen (stdout-path and seeds only) with ours.
        var text = dts.text
        let open = try XCTUnwrap(text.range(of: "\tchosen {"))
        let close = try XCTUnwrap(text.range(of: "\t};", range: open.upperBound..<text.endIndex))
        text.replaceSubrange(open.lowerBound..<close.upperBound, with: "\t" + chosen)
        try text.write(to: dir.file("xen.dts"), atomically: true, encoding: .utf8)
        let dtb = try Host.run("dtc", ["-q", "-I", "dts", "-O", "dtb", "-o", dir.file("xen.dtb").path, dir.file("xen.dts").path])
        XCTAssertEqual(dtb.status, 0, dtb.stderr)

        let run = try QEMUConsole.run(qemu, machine + [
            "-kernel", xen, "-dtb", dir.file("xen.dtb").path,
            "-device", "loader,file=\(inputs.kernel.path),addr=0x50000000",
            "-device", "loader,file=\(dir.file("initrd.gz").path),addr=0x58000000",
        ], marker: BootReport.endMarker, timeout: 180)
        print("InitramfsBootTests: Dom0 report under Xen after \(run.markerSeconds.map { String(format: "%.2f s", $0) } ?? "-"), "
              + "QEMU \(run.exitedByItself ? "halted by Xen" : "killed") after \(String(format: "%.2f", run.seconds)) s")
        guard let report = BootReport.parse(run.console) else {
            return XCTFail("no boot report from Dom0; console tail:\n\(run.tail)")
        }
        XCTAssertTrue(report.isXen, "hypervisor=\(report.value("hypervisor") ?? "-")")
        XCTAssertEqual(report.xenVersion.map { $0.hasPrefix("4.17") }, true, "xen_version=\(report.value("xen_version") ?? "-")")
        XCTAssertEqual(report.cpus, 2)
        XCTAssertEqual(report.role, .dom0)
        XCTAssertTrue(report.devices.contains("/hypervisor"), "Xen adds /hypervisor to Dom0's tree: \(report.devices)")
        XCTAssertFalse(report.devices.contains("/pl011@9000000"), "Xen keeps its console UART from Dom0: \(report.devices)")
        XCTAssertEqual(report.value("rtc"), "rtc-pl031 9010000.pl031")
        XCTAssertTrue(run.exitedByItself, "Dom0's poweroff did not halt the machine; tail:\n\(run.tail)")
        XCTAssertTrue(run.console.contains("(XEN) Hardware Dom0 halted: halting machine"), run.tail)
    }
}
