import Foundation
import ImageComposer
import XCTest

/// The proof that the disk image boots: QEMU's arm64 U-Boot (Debian's u-boot-qemu) runs its distro boot over the
/// virtio disk, finds /boot.scr on the image's first partition and runs it.
final class UBootDiskBootTests: XCTestCase {
    static let uboot = "/usr/lib/u-boot/qemu_arm64/u-boot.bin"
    static let marker = "XEN-BOARD-DISK-OK"

    func testUBootRunsBootScriptFromTheDiskImage() throws {
        try Host.require(["qemu-system-aarch64", "mkimage", Self.uboot])
        let dir = try TemporaryDirectory("xb-uboot")
        try "echo \(Self.marker)\npoweroff\n".write(to: dir.file("boot.cmd"), atomically: true, encoding: .utf8)
        let mkimage = try Host.run("mkimage", ["-A", "arm64", "-T", "script", "-C", "none", "-d", dir.file("boot.cmd").path, dir.file("boot.scr").path])
        XCTAssertEqual(mkimage.status, 0, mkimage.stderr)

        var image = try DiskImage(epoch: SourceDateEpoch(seconds: 1_700_000_000))
        try image.addFile("boot.scr", contents: [UInt8](Data(contentsOf: dir.file("boot.scr"))))
        try image.addFile("Image-with-a-long-name", contents: pseudoRandomBytes(2 << 20, seed: 9))
        try image.write(to: dir.file("disk.img"))

        let run = try QEMUConsole.run(try XCTUnwrap(Host.which("qemu-system-aarch64")), [
            "-machine", "virt", "-cpu", "cortex-a57", "-m", "512", "-nographic", "-nic", "none",
            "-bios", Self.uboot,
            "-drive", "if=none,file=\(dir.file("disk.img").path),format=raw,id=hd0", "-device", "virtio-blk-device,drive=hd0",
        ], marker: Self.marker, timeout: 60)
        print("UBootDiskBootTests: marker after \(run.markerSeconds.map { String(format: "%.2f s", $0) } ?? "-"), "
              + "QEMU \(run.exitedByItself ? "powered off by itself" : "killed") after \(String(format: "%.2f", run.seconds)) s")
        XCTAssertTrue(run.sawMarker, "U-Boot did not run boot.scr from the disk image; console tail:\n\(run.tail)")
        // The script's own echo, not U-Boot echoing the command line: the marker stands alone on a line.
        XCTAssertTrue(run.lines.contains { $0.trimmingCharacters(in: .whitespacesAndNewlines) == Self.marker },
                      "console tail:\n\(run.tail)")
        XCTAssertTrue(run.console.contains("Found U-Boot script /boot.scr"), "console tail:\n\(run.tail)")
    }
}
