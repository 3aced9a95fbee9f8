import Foundation
import XCTest
@testable import BootInputs

/// Header detection on Debian's real kernels and Xen images, fetched through the package cache itself (the default
/// cache: `xen-board fetch` (scripts/test.sh) has usually downloaded these `.deb`s already).
/// Skipped when apt cannot resolve them here (fails instead when `CI` is set).
final class RealImageTests: XCTestCase {
    let cache = PackageCache()

    func fetchMeta(_ meta: String, arch: String) throws -> FetchedPackage? {
        try needingApt("fetch \(meta):\(arch)") {
            let resolved = try cache.resolveMeta(meta, arch: arch)
            let (fetched, seconds) = try timed { try cache.fetch(resolved) }
            print("[timing] \(resolved): fetch \(String(format: "%.2f", seconds)) s "
                + "(downloaded \(fetched.downloaded), unpacked \(fetched.unpacked))")
            return fetched
        }
    }

    func testDebianArm64KernelIsAnArm64Image() throws {
        guard let kernel = try fetchMeta("linux-image-arm64", arch: "arm64") else { return }
        XCTAssertTrue(kernel.name.hasPrefix("linux-image-6."), kernel.name)
        XCTAssertTrue(kernel.name.hasSuffix("-arm64"), kernel.name)
        let vmlinuz = try kernel.file(matching: "boot/vmlinuz-*")
        let image = try KernelImage.detect(contentsOf: vmlinuz)
        guard case let .arm64Image(h) = image.kind else { return XCTFail("\(vmlinuz.path): \(image.kind)") }
        XCTAssertGreaterThanOrEqual(h.imageSize, image.fileSize, "image_size includes BSS")
        XCTAssertEqual(image.effectiveSize, h.imageSize)
        XCTAssertFalse(h.isBigEndian)
        XCTAssertEqual(h.pageSize, .size4K)
        XCTAssertTrue(h.hasPEHeader)
        XCTAssertNoThrow(try image.requireArch(.arm64, role: "kernel", board: "qemu-virt-arm64"))
        XCTAssertThrowsError(try image.requireArch(.arm32, role: "kernel", board: "vexpress")) {
            XCTAssertEqual("\($0)", "kernel file \(vmlinuz.path) is an arm64 Image but board vexpress is arm32")
        }
        print("[real] \(vmlinuz.lastPathComponent): file \(image.fileSize), image_size \(h.imageSize), "
            + "text_offset 0x\(String(h.textOffset, radix: 16)), flags 0x\(String(h.flags, radix: 16))")
    }

    func testDebianArmmpLpaeKernelIsAZImage() throws {
        guard let kernel = try fetchMeta("linux-image-armmp-lpae", arch: "armhf") else { return }
        XCTAssertTrue(kernel.name.hasSuffix("-armmp-lpae"), kernel.name)
        let vmlinuz = try kernel.file(matching: "boot/vmlinuz-*")
        let image = try KernelImage.detect(contentsOf: vmlinuz)
        guard case let .zImage(h) = image.kind else { return XCTFail("\(vmlinuz.path): \(image.kind)") }
        XCTAssertFalse(h.isBigEndian)
        XCTAssertGreaterThan(h.length, 1_000_000)
        XCTAssertGreaterThanOrEqual(image.effectiveSize, h.length, "Xen's zImage probe needs the module to cover end - start")
        XCTAssertNoThrow(try image.requireArch(.arm32, role: "kernel", board: "vexpress"))
        XCTAssertThrowsError(try image.requireArch(.arm64, role: "kernel", board: "qemu-virt-arm64")) { error in
            guard case .wrongArchitecture = error as? ImageError else { return XCTFail("\(error)") }
        }
        print("[real] \(vmlinuz.lastPathComponent): file \(image.fileSize), zImage start 0x\(String(h.start, radix: 16)) "
            + "end 0x\(String(h.end, radix: 16)) (end - start - file = \(Int64(h.length) - Int64(image.fileSize)))")
    }

    func testDebianXenImages() throws {
        guard let resolved = try needingApt("resolve Xen 4.17", {
            try cache.resolve([PackageSpec("xen-hypervisor-4.17-arm64", arch: "arm64"),
                               PackageSpec("xen-hypervisor-4.17-armhf", arch: "armhf")])
        }) else { return }
        for (package, arch) in zip(resolved, [ImageArch.arm64, .arm32]) {
            guard let (xen, seconds) = try needingApt("fetch \(package)", { try timed { try cache.fetch(package) } })
            else { return }
            print("[timing] \(package): fetch \(String(format: "%.2f", seconds)) s (downloaded \(xen.downloaded), unpacked \(xen.unpacked))")
            let file = try xen.file(matching: "boot/xen-4.17-\(arch.debianArchitecture)")
            let image = try KernelImage.detect(contentsOf: file)
            XCTAssertEqual(image.arch, arch, "\(file.path): \(image.kind)")
            XCTAssertNoThrow(try image.requireArch(arch, role: "Xen"))
            switch (arch, image.kind) {
            case let (.arm64, .arm64Image(h)):
                XCTAssertGreaterThan(h.imageSize, image.fileSize, "Xen's BSS is beyond the file")
                print("[real] \(file.lastPathComponent): file \(image.fileSize), image_size \(h.imageSize)")
            case let (.arm32, .zImage(h)):
                XCTAssertGreaterThan(h.length, image.fileSize, "Xen's zImage header end is _end - start, BSS included")
                XCTAssertEqual(image.effectiveSize, h.length)
                print("[real] \(file.lastPathComponent): file \(image.fileSize), zImage end - start \(h.length)")
            default:
                XCTFail("\(file.path): \(image.kind)")
            }
        }
    }
}
