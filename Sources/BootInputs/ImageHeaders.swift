/// Header of an arm64 Linux `Image` (Linux `Documentation/arm64/booting.rst`); Xen's arm64 image has the same one.
public struct Arm64ImageHeader: Equatable, Sendable {
    /// Page size the kernel was built for (flags bits 1-2).
    public enum PageSize: Equatable, Sendable {
        case unspecified, size4K, size16K, size64K
    }

    /// Offset from a 2 MiB aligned base at which the image must be placed (u64 LE at byte 8).
    public var textOffset: UInt64
    /// Memory the image occupies once running, BSS included (u64 LE at byte 16); 0 on kernels before 3.17.
    public var imageSize: UInt64
    /// Informative flags (u64 LE at byte 24).
    public var flags: UInt64
    /// True when the file starts with "MZ", i.e. it also carries a PE/COFF header for the EFI stub.
    public var hasPEHeader: Bool

    /// Flags bit 0: the kernel is big-endian.
    public var isBigEndian: Bool { flags & 1 != 0 }

    /// Flags bits 1-2.
    public var pageSize: PageSize {
        switch (flags >> 1) & 3 {
        case 1: .size4K
        case 2: .size16K
        case 3: .size64K
        default: .unspecified
        }
    }

    /// Flags bit 3: the image may be placed anywhere in physical memory (2 MiB aligned); otherwise as low as
    /// possible in DRAM.
    public var placementAnywhere: Bool { flags & 8 != 0 }
}

/// Header of an arm32 Linux `zImage` (Xen's armhf image is one too): magic at 0x24, start/end at 0x28/0x2c.
public struct ZImageHeader: Equatable, Sendable {
    /// Absolute load/run address the image was linked for (0 for position-independent images).
    public var start: UInt32
    /// End address; `end - start` is the length a loader (Xen's zImage probe included) copies.
    public var end: UInt32
    /// True for the byte-swapped magic of a big-endian (BE8) kernel; start and end are then read big-endian.
    public var isBigEndian: Bool

    /// `end - start`, or 0 when the header is inconsistent (end before start).
    public var length: UInt64 { end >= start ? UInt64(end - start) : 0 }
}

/// Header of a U-Boot legacy image (`mkimage -A ... -T ...`): 64 big-endian bytes before the payload.
public struct UImageHeader: Equatable, Sendable {
    /// Header CRC-32 as stored (bytes 4-7).
    public var headerCRC: UInt32
    /// Creation time, seconds since the epoch.
    public var timestamp: UInt32
    /// Payload size in bytes (the file is 64 header bytes plus this).
    public var dataSize: UInt32
    /// Address U-Boot loads the payload to.
    public var loadAddress: UInt32
    /// Entry point.
    public var entryPoint: UInt32
    /// Payload CRC-32 as stored.
    public var dataCRC: UInt32
    /// `IH_OS_*` (5 = Linux).
    public var os: UInt8
    /// `IH_ARCH_*` (2 = ARM, 22 = ARM64).
    public var architecture: UInt8
    /// `IH_TYPE_*` (2 = kernel, 6 = script, 14 = kernel_noload, ...).
    public var type: UInt8
    /// `IH_COMP_*` (0 = none, 1 = gzip, ...).
    public var compression: UInt8
    /// Image name (up to 32 bytes, NUL-terminated in the header).
    public var name: String
    /// Whether `headerCRC` matches the header (U-Boot refuses the image otherwise).
    public var headerChecksumValid: Bool

    /// The architecture named by `architecture`, if it is ARM or ARM64.
    public var imageArch: ImageArch? {
        switch architecture {
        case 2: .arm32
        case 22: .arm64
        default: nil
        }
    }

    /// True for the kernel types (`kernel`, `kernel_noload`).
    public var isKernel: Bool { type == 2 || type == 14 }

    /// mkimage's name for `type`.
    public var typeName: String {
        let names: [UInt8: String] = [1: "standalone", 2: "kernel", 3: "ramdisk", 4: "multi", 5: "firmware",
                                      6: "script", 7: "filesystem", 8: "flat_dt", 14: "kernel_noload"]
        return names[type] ?? "type \(type)"
    }

    /// mkimage's name for `compression`.
    public var compressionName: String {
        let names: [UInt8: String] = [0: "none", 1: "gzip", 2: "bzip2", 3: "lzma", 4: "lzo", 5: "lz4", 6: "zstd"]
        return names[compression] ?? "compression \(compression)"
    }

    /// mkimage's name for `architecture`.
    public var architectureName: String {
        switch architecture {
        case 2: "arm"
        case 22: "arm64"
        default: "architecture \(architecture)"
        }
    }
}

/// The fields of an ELF header that identify a file (e.g. a `vmlinux`, `xen-syms` or busybox binary).
public struct ELFHeader: Equatable, Sendable {
    /// ELFCLASS64 rather than ELFCLASS32.
    public var is64Bit: Bool
    /// ELFDATA2MSB rather than ELFDATA2LSB.
    public var isBigEndian: Bool
    /// `e_type` (2 = executable, 3 = shared object/PIE).
    public var type: UInt16
    /// `e_machine` (183 = AArch64, 40 = ARM).
    public var machine: UInt16

    /// The architecture of `machine`, if it is ARM or AArch64.
    public var imageArch: ImageArch? {
        switch machine {
        case 183: .arm64
        case 40: .arm32
        default: nil
        }
    }
}
