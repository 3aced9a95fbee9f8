import XenArm

/// Xen 4.17's guest physical memory map on Arm (`xen/include/public/arch-arm.h`) and what it means for where a
/// passed-through device's MMIO can appear in a guest.
public enum GuestMemoryMap {
    /// A named guest-physical range `[base, base + size)`.
    public struct Area: Equatable, Sendable {
        public let name: String
        public let base: UInt64
        public let size: UInt64
        public var end: UInt64 { base + size }
        public func overlaps(_ address: UInt64, _ length: UInt64) -> Bool {
            address < end && base < address &+ length
        }
    }

    /// Ranges Xen 4.17 places in every guest (rule 17), plus guest RAM and the extended regions Xen hands out from
    /// the end of guest RAM up to each bank's limit without subtracting `xen,reg` (rule 18): any address from
    /// 0x40000000 up to the end of RAM bank 1 can be given to the guest as RAM or extended region.
    public static let reserved: [Area] = [
        Area(name: "virtio-mmio (0x02000000 +1 MiB)", base: 0x0200_0000, size: 0x10_0000),
        Area(name: "vGIC distributor (GICD 0x03001000 +64 KiB)", base: 0x0300_1000, size: 0x1_0000),
        Area(name: "vGIC redistributors (GICR 0x03020000 +16 MiB)", base: 0x0302_0000, size: 0x100_0000),
        Area(name: "vPCI ECAM (0x10000000-0x1fffffff)", base: 0x1000_0000, size: 0x1000_0000),
        Area(name: "ACPI tables (0x20000000 +32 MiB)", base: 0x2000_0000, size: 0x200_0000),
        Area(name: "vpl011 (0x22000000 +4 KiB)", base: 0x2200_0000, size: 0x1000),
        Area(name: "vPCI memory (0x23000000 +256 MiB)", base: 0x2300_0000, size: 0x1000_0000),
        Area(name: "grant table (0x38000000 +16 MiB)", base: 0x3800_0000, size: 0x100_0000),
        Area(name: "magic pages (0x39000000 +16 MiB)", base: 0x3900_0000, size: 0x100_0000),
        Area(name: "guest RAM bank 0 and its extended region (0x40000000-0xffffffff)", base: 0x4000_0000, size: 0xC000_0000),
        Area(name: "the extended regions above guest RAM (0x100000000-0x1ffffffff)", base: 0x1_0000_0000, size: 0x1_0000_0000),
        Area(name: "guest RAM bank 1 and its extended region (0x200000000 +1016 GiB)", base: 0x2_0000_0000, size: 0xFE_0000_0000),
    ]

    /// Guest RAM bank 0 base: relocated device ranges go below it.
    public static let ramBase: UInt64 = 0x4000_0000
    /// Where relocation starts looking (the low 16 MiB are left alone).
    public static let relocationFloor: UInt64 = 0x0100_0000
    /// The SPI vpl011 uses in a guest (INTID 32, GUEST_VPL011_SPI).
    public static let vpl011INTID: UInt32 = 32

    /// The first reserved area `[address, address + size)` overlaps, or nil when the range is safe for a device.
    public static func conflict(_ address: UInt64, _ size: UInt64) -> Area? {
        if address &+ size < address { return Area(name: "the end of the address space", base: address, size: size) }
        if address >= 0x100_0000_0000 { return Area(name: "addresses above 40 bits (beyond a 40-bit guest IPA space)", base: 0x100_0000_0000, size: 0) }
        return reserved.first { $0.overlaps(address, size) }
    }

    /// The lowest address at or above `floor`, aligned to `alignment`, where `[a, a + size)` is below guest RAM and
    /// overlaps neither a reserved area nor any of `used`.
    static func findHole(size: UInt64, alignment: UInt64, avoiding used: [(UInt64, UInt64)]) -> UInt64? {
        var candidate = alignUp(relocationFloor, alignment)
        while candidate &+ size <= ramBase {
            if let area = conflict(candidate, size) {
                candidate = alignUp(area.end, alignment)
                continue
            }
            if let clash = used.first(where: { candidate < $0.0 &+ $0.1 && $0.0 < candidate &+ size }) {
                candidate = alignUp(clash.0 &+ clash.1, alignment)
                continue
            }
            return candidate
        }
        return nil
    }
}

@inline(__always) func alignDown(_ v: UInt64, _ a: UInt64) -> UInt64 { v & ~(a - 1) }
@inline(__always) func alignUp(_ v: UInt64, _ a: UInt64) -> UInt64 { (v &+ a &- 1) & ~(a - 1) }
