import Foundation
import Infrastructure
import TestSupport
import XCTest
@testable import BootInputs

final class KernelImageTests: XCTestCase {
    // MARK: arm64 Image

    func testArm64ImageHeaderFields() throws {
        let bytes = Synth.arm64Image(textOffset: 0x8_0000, imageSize: 0x0201_0000, flags: 0xA, padding: 1000)
        let image = try KernelImage.detect(bytes, fileSize: 32_956_352)
        guard case let .arm64Image(h) = image.kind else { return XCTFail("got \(image.kind)") }
        XCTAssertEqual(h.textOffset, 0x8_0000)
        XCTAssertEqual(h.imageSize, 0x0201_0000)
        XCTAssertEqual(h.flags, 0xA)
        XCTAssertFalse(h.isBigEndian)
        XCTAssertEqual(h.pageSize, .size4K)
        XCTAssertTrue(h.placementAnywhere)
        XCTAssertTrue(h.hasPEHeader)
        XCTAssertEqual(image.arch, .arm64)
        XCTAssertEqual(image.fileSize, 32_956_352)
        XCTAssertEqual(image.effectiveSize, 0x0201_0000, "image_size (BSS included) exceeds the file")
        XCTAssertEqual(image.summary, "an arm64 Image")
        XCTAssertNoThrow(try image.requireArch(.arm64, role: "kernel"))
    }

    func testArm64FlagsDecode() throws {
        let cases: [(UInt64, Arm64ImageHeader.PageSize, Bool, Bool)] = [
            (0, .unspecified, false, false), (1, .unspecified, true, false), (2, .size4K, false, false),
            (4, .size16K, false, false), (6, .size64K, false, false), (8, .unspecified, false, true),
            (0xF, .size64K, true, true),
        ]
        for (flags, page, big, anywhere) in cases {
            let image = try KernelImage.detect(Synth.arm64Image(imageSize: 4096, flags: flags, pe: false))
            guard case let .arm64Image(h) = image.kind else { return XCTFail("flags \(flags): \(image.kind)") }
            XCTAssertEqual(h.pageSize, page, "flags \(flags)")
            XCTAssertEqual(h.isBigEndian, big, "flags \(flags)")
            XCTAssertEqual(h.placementAnywhere, anywhere, "flags \(flags)")
            XCTAssertFalse(h.hasPEHeader)
        }
    }

    func testArm64EffectiveSizeFallsBackToFileSize() throws {
        // Kernels before 3.17 leave image_size 0: the planner must then use the file size.
        let old = try KernelImage.detect(Synth.arm64Image(imageSize: 0, flags: 0), fileSize: 5_000_000)
        XCTAssertEqual(old.effectiveSize, 5_000_000)
        // A header smaller than the file (never in practice) does not shrink the reservation.
        let small = try KernelImage.detect(Synth.arm64Image(imageSize: 100), fileSize: 7000)
        XCTAssertEqual(small.effectiveSize, 7000)
        // Without fileSize the byte count is the file size.
        let bare = try KernelImage.detect(Synth.arm64Image(imageSize: 0, padding: 36))
        XCTAssertEqual(bare.fileSize, 100)
        XCTAssertEqual(bare.effectiveSize, 100)
        // A fileSize smaller than the bytes given is corrected up.
        XCTAssertEqual(try KernelImage.detect(Synth.arm64Image(imageSize: 0), fileSize: 10).fileSize, 64)
    }

    func testBigEndianArm64IsRejected() throws {
        let image = try KernelImage.detect(Synth.arm64Image(imageSize: 4096, flags: 0xB))
        XCTAssertEqual(image.arch, .arm64)
        XCTAssertThrowsError(try image.requireArch(.arm64, role: "kernel", file: "Image")) { error in
            guard case .bigEndian = error as? ImageError else { return XCTFail("\(error)") }
            XCTAssertEqual("\(error)", "kernel file Image is an arm64 Image built big-endian; Xen on Arm needs little-endian images")
        }
    }

    // MARK: zImage

    func testZImageLittleEndian() throws {
        // The numbers of Debian's Xen 4.17 armhf image: its header's `end` is `_end - start`, BSS included, beyond
        // the 884,744-byte file. (Linux zImages have end - start == file size.)
        let bytes = Synth.zImage(start: 0, end: 1_139_344)
        let image = try KernelImage.detect(bytes, fileSize: 884_744)
        XCTAssertEqual(image.kind, .zImage(ZImageHeader(start: 0, end: 1_139_344, isBigEndian: false)))
        XCTAssertEqual(image.arch, .arm32)
        XCTAssertEqual(image.effectiveSize, 1_139_344)
        XCTAssertEqual(image.summary, "an arm32 zImage")
        XCTAssertNoThrow(try image.requireArch(.arm32, role: "Xen"))
    }

    func testZImageWithLoadAddressAndShortEnd() throws {
        let image = try KernelImage.detect(Synth.zImage(start: 0x8000, end: 0x10000), fileSize: 0x20000)
        guard case let .zImage(h) = image.kind else { return XCTFail("\(image.kind)") }
        XCTAssertEqual(h.length, 0x8000)
        XCTAssertEqual(image.effectiveSize, 0x20000)
        // Inconsistent header (end before start): length 0, size falls back to the file.
        let odd = try KernelImage.detect(Synth.zImage(start: 0x9000, end: 0x1000), fileSize: 0x3000)
        guard case let .zImage(o) = odd.kind else { return XCTFail("\(odd.kind)") }
        XCTAssertEqual(o.length, 0)
        XCTAssertEqual(odd.effectiveSize, 0x3000)
    }

    func testZImageBigEndianVariant() throws {
        let bytes = Synth.zImage(start: 0, end: 0x1234, bigEndian: true)
        XCTAssertEqual(Array(bytes[0x24..<0x28]), [0x01, 0x6F, 0x28, 0x18])
        let image = try KernelImage.detect(bytes)
        XCTAssertEqual(image.kind, .zImage(ZImageHeader(start: 0, end: 0x1234, isBigEndian: true)))
        XCTAssertEqual(image.arch, .arm32)
        XCTAssertThrowsError(try image.requireArch(.arm32, role: "kernel")) { error in
            guard case .bigEndian = error as? ImageError else { return XCTFail("\(error)") }
        }
    }

    func testZImageNeedsOnly48Bytes() throws {
        // A zImage header ends at 0x30: 48 bytes are enough to recognise it.
        let image = try KernelImage.detect(Synth.zImage(start: 0, end: 0x30, length: 0x30))
        XCTAssertEqual(image.arch, .arm32)
    }

    // MARK: uImage

    func testUImageFields() throws {
        let bytes = Synth.uImage(arch: 22, name: "xen-board test kernel", load: 0x4008_0000, entry: 0x4008_0000,
                                 payload: Array(repeating: 7, count: 100))
        let image = try KernelImage.detect(bytes)
        guard case let .uImage(h) = image.kind else { return XCTFail("\(image.kind)") }
        XCTAssertEqual(h.dataSize, 100)
        XCTAssertEqual(h.loadAddress, 0x4008_0000)
        XCTAssertEqual(h.entryPoint, 0x4008_0000)
        XCTAssertEqual(h.os, 5)
        XCTAssertEqual(h.architecture, 22)
        XCTAssertEqual(h.type, 2)
        XCTAssertEqual(h.compression, 0)
        XCTAssertEqual(h.name, "xen-board test kernel")
        XCTAssertEqual(h.timestamp, 1_700_000_000)
        XCTAssertTrue(h.headerChecksumValid)
        XCTAssertEqual(h.dataCRC, CRC32.checksum(Array(repeating: UInt8(7), count: 100)))
        XCTAssertEqual(image.arch, .arm64)
        XCTAssertEqual(image.effectiveSize, 164)
        XCTAssertEqual(image.summary, "a U-Boot kernel uImage for arm64")
        XCTAssertNoThrow(try image.requireArch(.arm64, role: "kernel"))
    }

    func testUImageArchitecturesTypesAndChecksum() throws {
        let arm = try KernelImage.detect(Synth.uImage(arch: 2, compression: 1))
        XCTAssertEqual(arm.arch, .arm32)
        XCTAssertEqual(arm.summary, "a U-Boot kernel uImage for arm, gzip-compressed")
        XCTAssertThrowsError(try arm.requireArch(.arm64, role: "kernel", file: "uImage", board: "qemu-virt-arm64")) {
            XCTAssertEqual("\($0)", "kernel file uImage is a U-Boot kernel uImage for arm, gzip-compressed but board qemu-virt-arm64 is arm64")
        }
        let x86 = try KernelImage.detect(Synth.uImage(arch: 3))
        XCTAssertNil(x86.arch)
        XCTAssertThrowsError(try x86.requireArch(.arm32, role: "kernel")) { error in
            guard case .wrongArchitecture = error as? ImageError else { return XCTFail("\(error)") }
        }
        let script = try KernelImage.detect(Synth.uImage(arch: 22, type: 6))
        XCTAssertThrowsError(try script.requireArch(.arm64, role: "kernel")) { error in
            guard case .notAKernel = error as? ImageError else { return XCTFail("\(error)") }
            XCTAssertTrue("\(error)".contains("script uImage"), "\(error)")
        }
        XCTAssertNoThrow(try KernelImage.detect(Synth.uImage(arch: 2, type: 14)).requireArch(.arm32, role: "kernel"))
        var corrupt = Synth.uImage(arch: 2)
        corrupt[40] ^= 0xFF   // inside the name: the header CRC no longer matches
        guard case let .uImage(h) = try KernelImage.detect(corrupt).kind else { return XCTFail() }
        XCTAssertFalse(h.headerChecksumValid)
    }

    func testUImagePayloadTruncated() {
        let bytes = Synth.uImage(arch: 2, payload: Array(repeating: 1, count: 1000))
        XCTAssertThrowsError(try KernelImage.detect(Array(bytes.prefix(500)))) { error in
            XCTAssertEqual(error as? ImageError, .truncated(file: nil, format: "the uImage payload its header announces",
                                                            needed: 1064, got: 500))
        }
        // The header alone, with the full file size given, is fine.
        XCTAssertNoThrow(try KernelImage.detect(Array(bytes.prefix(64)), fileSize: 1064))
    }

    /// mkimage's output, when u-boot-tools is installed, parses with a valid header CRC.
    func testMkimageOutput() throws {
        try requireTool("mkimage")
        let dir = try makeTemporaryDirectory(self)
        let payload = dir.appendingPathComponent("payload")
        let out = dir.appendingPathComponent("uImage")
        try Data(Synth.arm64Image(imageSize: 8192, padding: 4000)).write(to: payload)
        let r = try ProcessRunner.run("mkimage", ["-A", "arm64", "-O", "linux", "-T", "kernel", "-C", "none", "-a", "0x40080000",
                                                  "-e", "0x40080000", "-n", "mkimage test", "-d", payload.path, out.path])
        XCTAssertEqual(r.status, 0, r.diagnostic)
        let image = try KernelImage.detect(contentsOf: out)
        guard case let .uImage(h) = image.kind else { return XCTFail("\(image.kind)") }
        XCTAssertTrue(h.headerChecksumValid)
        XCTAssertEqual(h.architecture, 22)
        XCTAssertEqual(h.os, 5)
        XCTAssertEqual(h.type, 2)
        XCTAssertEqual(h.dataSize, 4064)
        XCTAssertEqual(h.loadAddress, 0x4008_0000)
        XCTAssertEqual(h.name, "mkimage test")
        XCTAssertEqual(h.dataCRC, CRC32.checksum(try Data(contentsOf: payload)))
        XCTAssertEqual(image.fileSize, 4128)
    }

    func testCRC32CheckValue() {
        XCTAssertEqual(CRC32.checksum(Array("123456789".utf8)), 0xCBF4_3926)
        XCTAssertEqual(CRC32.checksum([UInt8]()), 0)
    }

    // MARK: gzip, FDT, ELF, unknown

    func testGzipIsRecognisedAndRejectedAsKernel() throws {
        let image = try KernelImage.detect(Synth.gzipEmpty)
        XCTAssertEqual(image.kind, .gzip)
        XCTAssertNil(image.arch)
        XCTAssertThrowsError(try image.requireArch(.arm64, role: "kernel", file: "Image.gz")) { error in
            XCTAssertEqual(error as? ImageError, .compressed(role: "kernel", file: "Image.gz", format: "gzip"))
            XCTAssertTrue("\(error)".hasPrefix("kernel file Image.gz is gzip-compressed; decompress it first"), "\(error)")
        }
    }

    func testFlattenedDeviceTree() throws {
        let image = try KernelImage.detect(Synth.fdt(totalSize: 100, length: 100))
        XCTAssertEqual(image.kind, .flattenedDeviceTree(totalSize: 100))
        XCTAssertThrowsError(try image.requireArch(.arm32, role: "kernel")) { error in
            guard case .notAKernel = error as? ImageError else { return XCTFail("\(error)") }
        }
        XCTAssertThrowsError(try KernelImage.detect(Synth.fdt(totalSize: 4096, length: 100))) { error in
            XCTAssertEqual(error as? ImageError, .truncated(file: nil, format: "the device tree (header totalsize)",
                                                            needed: 4096, got: 100))
        }
    }

    func testELF() throws {
        let a64 = try KernelImage.detect(Synth.elf(is64: true, machine: 183))
        XCTAssertEqual(a64.kind, .elf(ELFHeader(is64Bit: true, isBigEndian: false, type: 2, machine: 183)))
        XCTAssertEqual(a64.arch, .arm64)
        XCTAssertEqual(a64.summary, "an ELF 64-bit file for AArch64")
        XCTAssertThrowsError(try a64.requireArch(.arm32, role: "kernel", file: "vmlinux", board: "vexpress")) {
            XCTAssertEqual("\($0)", "kernel file vmlinux is an ELF 64-bit file for AArch64 but board vexpress is arm32")
        }
        XCTAssertThrowsError(try a64.requireArch(.arm64, role: "kernel", file: "vmlinux")) { error in
            guard case .notAKernel = error as? ImageError else { return XCTFail("\(error)") }
            XCTAssertTrue("\(error)".contains("not vmlinux or xen-syms"), "\(error)")
        }
        XCTAssertEqual(try KernelImage.detect(Synth.elf(is64: false, machine: 40)).arch, .arm32)
        let be = try KernelImage.detect(Synth.elf(is64: false, machine: 40, bigEndian: true))
        XCTAssertEqual(be.kind, .elf(ELFHeader(is64Bit: false, isBigEndian: true, type: 2, machine: 40)))
        let x86 = try KernelImage.detect(Synth.elf(is64: true, machine: 62))
        XCTAssertNil(x86.arch)
        XCTAssertEqual(x86.summary, "an ELF 64-bit file for x86-64")
    }

    func testUnknownData() throws {
        let bytes = [UInt8](repeating: 0xAB, count: 64)
        let image = try KernelImage.detect(bytes)
        XCTAssertEqual(image.kind, .unknown(leadingBytes: Array(repeating: 0xAB, count: 8)))
        XCTAssertNil(image.arch)
        XCTAssertEqual(image.effectiveSize, 64)
        XCTAssertThrowsError(try image.requireArch(.arm64, role: "kernel", file: "k")) {
            XCTAssertEqual("\($0)", "kernel file k is data of no known image format (first bytes ab ab ab ab ab ab ab ab), "
                + "not a bootable kernel image; expected an arm64 Image, an arm32 zImage or a U-Boot kernel uImage")
        }
    }

    // MARK: Architecture mismatch messages

    func testWrongArchitectureMessages() throws {
        let arm64 = try KernelImage.detect(Synth.arm64Image(imageSize: 4096))
        XCTAssertThrowsError(try arm64.requireArch(.arm32, role: "kernel", file: "/x/vmlinuz", board: "vexpress")) { error in
            XCTAssertEqual(error as? ImageError, .wrongArchitecture(role: "kernel", file: "/x/vmlinuz",
                                                                    found: "an arm64 Image", expected: .arm32, board: "vexpress"))
            XCTAssertEqual("\(error)", "kernel file /x/vmlinuz is an arm64 Image but board vexpress is arm32")
        }
        let zImage = try KernelImage.detect(Synth.zImage(start: 0, end: 64))
        XCTAssertThrowsError(try zImage.requireArch(.arm64, role: "Xen", file: "xen")) {
            XCTAssertEqual("\($0)", "Xen file xen is an arm32 zImage but arm64 is required")
        }
    }

    func testImageArchNames() {
        XCTAssertEqual(ImageArch(name: "aarch64"), .arm64)
        XCTAssertEqual(ImageArch(name: "armhf"), .arm32)
        XCTAssertEqual(ImageArch(rawValue: "arm32"), .arm32)
        XCTAssertNil(ImageArch(name: "x86_64"))
        XCTAssertEqual(ImageArch.arm32.debianArchitecture, "armhf")
        XCTAssertEqual(ImageArch.arm64.elfMachine, 183)
        XCTAssertEqual(ImageArch.arm32.elfMachine, 40)
    }

    // MARK: Short and truncated input

    func testEmptyInput() {
        XCTAssertThrowsError(try KernelImage.detect([UInt8]())) { XCTAssertEqual($0 as? ImageError, .empty(file: nil)) }
    }

    func testShortInputWithoutMagicIsTruncated() {
        for count in 1..<64 {
            XCTAssertThrowsError(try KernelImage.detect([UInt8](repeating: 0, count: count))) { error in
                XCTAssertEqual(error as? ImageError, .truncated(file: nil, format: "a kernel image header",
                                                                needed: 64, got: UInt64(count)))
            }
        }
    }

    func testSpecificTruncations() {
        func truncated(_ bytes: [UInt8], _ format: String, _ needed: UInt64) {
            XCTAssertThrowsError(try KernelImage.detect(bytes)) { error in
                XCTAssertEqual(error as? ImageError, .truncated(file: nil, format: format, needed: needed,
                                                                got: UInt64(bytes.count)))
            }
        }
        truncated(Array(Synth.arm64Image(imageSize: 1).prefix(0x3C)), "an arm64 Image header", 64)
        truncated(Array(Synth.arm64Image(imageSize: 1).prefix(0x3F)), "an arm64 Image header", 64)
        truncated(Array(Synth.zImage(start: 0, end: 1).prefix(0x2C)), "a zImage header", 0x30)
        truncated(Array(Synth.uImage(arch: 2).prefix(63)), "a U-Boot uImage header", 64)
        truncated(Array(Synth.uImage(arch: 2).prefix(4)), "a U-Boot uImage header", 64)
        truncated(Array(Synth.fdt(totalSize: 40, length: 39)), "a flattened device tree header", 40)
        truncated(Array(Synth.gzipEmpty.prefix(10)), "a gzip stream (10-byte header, 8-byte trailer)", 18)
        truncated(Array(Synth.elf(is64: true, machine: 183).prefix(19)), "an ELF header", 20)
        truncated(Array(Synth.elf(is64: true, machine: 183).prefix(40)), "an ELF64 header", 64)
        truncated(Array(Synth.elf(is64: false, machine: 40).prefix(51)), "an ELF32 header", 52)
    }

    /// Every prefix of every synthetic header either parses or throws an `ImageError`; nothing traps.
    func testEveryPrefixOfEveryHeader() {
        let samples: [[UInt8]] = [
            Synth.arm64Image(imageSize: 0x10000, padding: 16), Synth.zImage(start: 0, end: 0x1000),
            Synth.zImage(start: 0, end: 0x1000, bigEndian: true), Synth.uImage(arch: 22),
            Synth.fdt(totalSize: 64, length: 64), Synth.gzipEmpty, Synth.elf(is64: true, machine: 183),
            Synth.elf(is64: false, machine: 40, bigEndian: true),
        ]
        for sample in samples {
            for count in 0...sample.count {
                do {
                    let image = try KernelImage.detect(Array(sample.prefix(count)))
                    XCTAssertGreaterThanOrEqual(image.effectiveSize, image.fileSize)
                } catch {
                    // `detect` throws only ImageError (typed throws): reaching here is the expected outcome.
                    XCTAssertFalse("\(error)".isEmpty)
                }
            }
        }
    }

    /// Random bytes with magic numbers planted at random places: typed errors or results, never a trap.
    func testRandomBytesNeverTrap() {
        var rng = SplitMix64(seed: 0x5EED)
        let magics: [(Int, [UInt8])] = [(0, [0x27, 0x05, 0x19, 0x56]), (0, [0xD0, 0x0D, 0xFE, 0xED]), (0, [0x1F, 0x8B]),
                                         (0, [0x7F, 0x45, 0x4C, 0x46]), (0x38, [0x41, 0x52, 0x4D, 0x64]),
                                         (0x24, [0x18, 0x28, 0x6F, 0x01]), (0x24, [0x01, 0x6F, 0x28, 0x18])]
        for _ in 0..<3000 {
            let count = Int(rng.next() % 200)
            var bytes = (0..<count).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            let (offset, magic) = magics[Int(rng.next() % UInt64(magics.count))]
            for (i, b) in magic.enumerated() where offset + i < bytes.count { bytes[offset + i] = b }
            do {
                _ = try KernelImage.detect(bytes, fileSize: rng.next() % 2 == 0 ? nil : rng.next() % 1_000_000)
            } catch {
                XCTAssertFalse("\(error)".isEmpty)
            }
        }
    }

    // MARK: Files

    func testDetectFromFileNamesTheFile() throws {
        let dir = try makeTemporaryDirectory(self)
        let kernel = dir.appendingPathComponent("Image")
        try Data(Synth.arm64Image(imageSize: 1 << 20, padding: 8000)).write(to: kernel)
        let image = try KernelImage.detect(contentsOf: kernel)
        XCTAssertEqual(image.file, kernel.path)
        XCTAssertEqual(image.fileSize, 8064)
        XCTAssertEqual(image.effectiveSize, 1 << 20)
        XCTAssertThrowsError(try image.requireArch(.arm32, role: "kernel", board: "vexpress")) {
            XCTAssertEqual("\($0)", "kernel file \(kernel.path) is an arm64 Image but board vexpress is arm32")
        }

        let short = dir.appendingPathComponent("short")
        try Data([0x27, 0x05, 0x19, 0x56, 0, 0]).write(to: short)
        XCTAssertThrowsError(try KernelImage.detect(contentsOf: short)) {
            XCTAssertEqual($0 as? ImageError, .truncated(file: short.path, format: "a U-Boot uImage header", needed: 64, got: 6))
            XCTAssertEqual("\($0)", "\(short.path) is truncated: a U-Boot uImage header needs 64 bytes, the file has 6")
        }
        let empty = dir.appendingPathComponent("empty")
        try Data().write(to: empty)
        XCTAssertThrowsError(try KernelImage.detect(contentsOf: empty)) {
            XCTAssertEqual($0 as? ImageError, .empty(file: empty.path))
        }
        let missing = dir.appendingPathComponent("missing")
        XCTAssertThrowsError(try KernelImage.detect(contentsOf: missing)) {
            XCTAssertEqual($0 as? ImageError, .unreadable(file: missing.path, detail: "no such file"))
        }
        XCTAssertThrowsError(try KernelImage.detect(contentsOf: dir)) { error in
            guard case .unreadable(dir.path, _) = error as? ImageError else { return XCTFail("\(error)") }
        }
    }

    /// A uImage header read from a file whose payload was cut short is reported against the whole file's size.
    func testTruncatedUImageFile() throws {
        let dir = try makeTemporaryDirectory(self)
        let file = dir.appendingPathComponent("uImage")
        let full = Synth.uImage(arch: 2, payload: Array(repeating: 9, count: 10000))
        try Data(full.prefix(6000)).write(to: file)
        XCTAssertThrowsError(try KernelImage.detect(contentsOf: file)) {
            XCTAssertEqual($0 as? ImageError, .truncated(file: file.path, format: "the uImage payload its header announces",
                                                         needed: 10064, got: 6000))
        }
    }
}

/// Deterministic PRNG for the fuzz test.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
