import Foundation

/// What a boot image file holds, decided from its first bytes.
public enum ImageKind: Equatable, Sendable {
    /// arm64 Linux or Xen `Image` ("ARM\x64" at 0x38).
    case arm64Image(Arm64ImageHeader)
    /// arm32 Linux or Xen `zImage` (0x016f2818 at 0x24).
    case zImage(ZImageHeader)
    /// U-Boot legacy image (0x27051956 big-endian at 0).
    case uImage(UImageHeader)
    /// gzip stream (1f 8b), e.g. an `Image.gz`.
    case gzip
    /// Flattened device tree (0xd00dfeed big-endian at 0): a DTB or a FIT image.
    case flattenedDeviceTree(totalSize: UInt32)
    /// ELF file (7f 'E' 'L' 'F'), e.g. `vmlinux`, `xen-syms` or a program.
    case elf(ELFHeader)
    /// None of the above; `leadingBytes` are the file's first (up to 8) bytes.
    case unknown(leadingBytes: [UInt8])
}

/// A boot image (a kernel or Xen) identified from its header, with the size the memory planner must reserve.
public struct KernelImage: Equatable, Sendable {
    /// What the header says the file is.
    public let kind: ImageKind
    /// Size of the whole file in bytes.
    public let fileSize: UInt64
    /// Path of the file, when detected from one (used in error messages).
    public let file: String?

    /// How many leading bytes `detect(contentsOf:)` reads: every header recognised here fits.
    public static let headerReadLength = 4096

    /// Smallest file any supported kernel header fits in (the arm64 Image header is 64 bytes).
    static let minimumKernelHeader = 64

    /// Identifies an image from its first bytes. `bytes` must hold the start of the file (at least its first 64
    /// bytes when it has them); `fileSize` is the whole file's size (default: `bytes.count`).
    /// Throws `.empty` or `.truncated` when there are fewer bytes than the announced header needs; never traps.
    public static func detect(_ bytes: [UInt8], fileSize: UInt64? = nil) throws(ImageError) -> KernelImage {
        let size = max(fileSize ?? UInt64(bytes.count), UInt64(bytes.count))
        let kind = try ImageKind.parse(bytes, fileSize: size)
        return KernelImage(kind: kind, fileSize: size, file: nil)
    }

    /// Identifies an image from `Data` holding the start of the file; see `detect(_:fileSize:)`.
    public static func detect(_ data: Data, fileSize: UInt64? = nil) throws(ImageError) -> KernelImage {
        try detect([UInt8](data), fileSize: fileSize)
    }

    /// Reads the header of `url` and identifies it; errors name the file.
    public static func detect(contentsOf url: URL) throws(ImageError) -> KernelImage {
        let path = url.path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw .unreadable(file: path, detail: "no such file")
        }
        if isDirectory.boolValue { throw .unreadable(file: path, detail: "is a directory, expected an image file") }
        let bytes: [UInt8]
        let size: UInt64
        do {
            let handle = try FileHandle(forReadingFrom: url)
            defer { try? handle.close() }
            size = try handle.seekToEnd()
            try handle.seek(toOffset: 0)
            bytes = [UInt8](try handle.read(upToCount: headerReadLength) ?? Data())
        } catch {
            throw .unreadable(file: path, detail: "\(error.localizedDescription)")
        }
        do {
            let kind = try ImageKind.parse(bytes, fileSize: max(size, UInt64(bytes.count)))
            return KernelImage(kind: kind, fileSize: max(size, UInt64(bytes.count)), file: path)
        } catch {
            throw error.naming(path)
        }
    }

    /// The architecture the image runs on, when the header says (Image, zImage, ARM uImage, ARM ELF).
    public var arch: ImageArch? {
        switch kind {
        case .arm64Image: .arm64
        case .zImage: .arm32
        case let .uImage(h): h.imageArch
        case let .elf(h): h.imageArch
        case .gzip, .flattenedDeviceTree, .unknown: nil
        }
    }

    /// Bytes the image occupies in memory: the larger of the file size and the size its header announces
    /// (arm64 `image_size`, which includes BSS and is 0 on very old kernels; zImage `end - start`, which Xen's
    /// zImage probe requires the module to cover).
    public var effectiveSize: UInt64 {
        switch kind {
        case let .arm64Image(h): max(fileSize, h.imageSize)
        case let .zImage(h): max(fileSize, h.length)
        default: fileSize
        }
    }

    /// A phrase naming what the image is, for messages: "an arm64 Image", "an arm32 zImage", ...
    public var summary: String { kind.summary }
}

extension ImageKind {
    static let uImageMagic: UInt32 = 0x2705_1956
    static let fdtMagic: UInt32 = 0xD00D_FEED
    static let arm64Magic: UInt32 = 0x644D_5241   // "ARM\x64" little-endian
    static let zImageMagic: UInt32 = 0x016F_2818

    /// Header parsing shared by every `detect` entry point.
    static func parse(_ bytes: [UInt8], fileSize: UInt64) throws(ImageError) -> ImageKind {
        let r = ByteReader(bytes)
        guard !bytes.isEmpty else { throw .empty(file: nil) }

        func need(_ count: Int, _ format: String) throws(ImageError) {
            if r.count < count {
                throw .truncated(file: nil, format: format, needed: UInt64(count), got: UInt64(r.count))
            }
        }

        if r.be32(at: 0) == uImageMagic {
            try need(64, "a U-Boot uImage header")
            let header = try parseUImage(r)
            let total = 64 + UInt64(header.dataSize)
            if fileSize < total {
                throw .truncated(file: nil, format: "the uImage payload its header announces", needed: total, got: fileSize)
            }
            return .uImage(header)
        }
        if r.be32(at: 0) == fdtMagic {
            try need(40, "a flattened device tree header")
            let total = r.be32(at: 4) ?? 0
            if fileSize < UInt64(total) {
                throw .truncated(file: nil, format: "the device tree (header totalsize)", needed: UInt64(total), got: fileSize)
            }
            return .flattenedDeviceTree(totalSize: total)
        }
        if r.u8(at: 0) == 0x1F, r.u8(at: 1) == 0x8B {
            try need(18, "a gzip stream (10-byte header, 8-byte trailer)")
            return .gzip
        }
        if r.slice(at: 0, count: 4) == [0x7F, 0x45, 0x4C, 0x46] {
            try need(20, "an ELF header")
            let is64 = r.u8(at: 4) == 2
            let big = r.u8(at: 5) == 2
            try need(is64 ? 64 : 52, "an ELF\(is64 ? "64" : "32") header")
            guard let type = r.u16(at: 16, bigEndian: big), let machine = r.u16(at: 18, bigEndian: big) else {
                throw .truncated(file: nil, format: "an ELF header", needed: 20, got: UInt64(r.count))
            }
            return .elf(ELFHeader(is64Bit: is64, isBigEndian: big, type: type, machine: machine))
        }
        if r.le32(at: 0x38) == arm64Magic {
            try need(64, "an arm64 Image header")
            guard let text = r.le64(at: 8), let size = r.le64(at: 16), let flags = r.le64(at: 24) else {
                throw .truncated(file: nil, format: "an arm64 Image header", needed: 64, got: UInt64(r.count))
            }
            let pe = r.u8(at: 0) == 0x4D && r.u8(at: 1) == 0x5A
            return .arm64Image(Arm64ImageHeader(textOffset: text, imageSize: size, flags: flags, hasPEHeader: pe))
        }
        for big in [false, true] where r.u32(at: 0x24, bigEndian: big) == zImageMagic {
            try need(0x30, "a zImage header")
            guard let start = r.u32(at: 0x28, bigEndian: big), let end = r.u32(at: 0x2C, bigEndian: big) else {
                throw .truncated(file: nil, format: "a zImage header", needed: 0x30, got: UInt64(r.count))
            }
            return .zImage(ZImageHeader(start: start, end: end, isBigEndian: big))
        }
        try need(KernelImage.minimumKernelHeader, "a kernel image header")
        return .unknown(leadingBytes: Array(bytes.prefix(8)))
    }

    private static func parseUImage(_ r: ByteReader) throws(ImageError) -> UImageHeader {
        guard let header = r.slice(at: 0, count: 64),
              let hcrc = r.be32(at: 4), let time = r.be32(at: 8), let size = r.be32(at: 12),
              let load = r.be32(at: 16), let entry = r.be32(at: 20), let dcrc = r.be32(at: 24),
              let os = r.u8(at: 28), let arch = r.u8(at: 29), let type = r.u8(at: 30), let comp = r.u8(at: 31),
              let nameBytes = r.slice(at: 32, count: 32)
        else { throw .truncated(file: nil, format: "a U-Boot uImage header", needed: 64, got: UInt64(r.count)) }
        var zeroed = Array(header)
        zeroed.replaceSubrange(4..<8, with: [0, 0, 0, 0])
        let name = String(decoding: nameBytes.prefix { $0 != 0 }, as: UTF8.self)
        return UImageHeader(headerCRC: hcrc, timestamp: time, dataSize: size, loadAddress: load, entryPoint: entry,
                            dataCRC: dcrc, os: os, architecture: arch, type: type, compression: comp, name: name,
                            headerChecksumValid: CRC32.checksum(zeroed) == hcrc)
    }

    /// A phrase naming the kind, for messages.
    var summary: String {
        switch self {
        case .arm64Image: return "an arm64 Image"
        case .zImage: return "an arm32 zImage"
        case let .uImage(h):
            let comp = h.compression == 0 ? "" : ", \(h.compressionName)-compressed"
            return "a U-Boot \(h.typeName) uImage for \(h.architectureName)\(comp)"
        case .gzip: return "gzip-compressed data"
        case .flattenedDeviceTree: return "a flattened device tree (a DTB or FIT image)"
        case let .elf(h):
            let machines: [UInt16: String] = [183: "AArch64", 40: "ARM", 62: "x86-64", 3: "x86", 243: "RISC-V"]
            return "an ELF \(h.is64Bit ? 64 : 32)-bit file for \(machines[h.machine] ?? "machine \(h.machine)")"
        case let .unknown(lead):
            let hex = lead.map { String(format: "%02x", $0) }.joined(separator: " ")
            return "data of no known image format (first bytes \(hex))"
        }
    }
}
