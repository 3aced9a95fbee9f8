/// Constants of the flattened device tree format (Devicetree Specification v0.4, chapter 5).
enum FDT {
    static let magic: UInt32 = 0xd00d_feed
    static let beginNode: UInt32 = 0x1
    static let endNode: UInt32 = 0x2
    static let prop: UInt32 = 0x3
    static let nop: UInt32 = 0x4
    static let end: UInt32 = 0x9

    /// Header size of a version 17 blob (version 16 lacks `size_dt_struct`).
    static let headerSizeV17 = 40
    static let headerSizeV16 = 36
    static let reservationEntrySize = 16
    /// The version and last compatible version this codec writes, as dtc does.
    static let writeVersion: UInt32 = 17
    static let writeLastCompatibleVersion: UInt32 = 16
    /// Deeper nesting than this is rejected: no real tree comes close, and it bounds recursion in printers.
    static let maxDepth = 256
}

@inline(__always)
func alignUp4(_ n: Int) -> Int { (n + 3) & ~3 }
