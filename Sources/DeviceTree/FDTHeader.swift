/// The blob header, checked once: every offset and size in it is known to lie inside the blob afterwards.
struct FDTHeader {
    var totalSize: Int
    var structOffset: Int
    var stringsOffset: Int
    var reservationOffset: Int
    var version: UInt32
    var lastCompatibleVersion: UInt32
    var bootCPUID: UInt32
    var stringsSize: Int
    /// For version 16 blobs this is the space up to the end of the blob (the struct block is scanned for FDT_END).
    var structSize: Int

    static func read(_ b: UnsafeRawBufferPointer) throws -> FDTHeader {
        func u32(_ off: Int) -> UInt32 { b.loadBigEndianU32(at: off) }
        guard b.count >= 4 else {
            throw DTBError(.truncated, at: 0, "blob is \(b.count) bytes, too short for the FDT magic")
        }
        let magic = u32(0)
        guard magic == FDT.magic else {
            throw DTBError(.badMagic, at: 0, "bad magic 0x\(String(magic, radix: 16)), expected 0xd00dfeed")
        }
        guard b.count >= 24 else {
            throw DTBError(.truncated, at: b.count, "blob is \(b.count) bytes, too short for the header's version fields")
        }
        let version = u32(20)
        let lastCompatible = b.count >= 28 ? u32(24) : 0
        guard version >= 16, lastCompatible <= 17, lastCompatible <= version else {
            throw DTBError(.badVersion, at: 20,
                           "unsupported version \(version) (last compatible \(lastCompatible)); versions 16 and 17 are supported")
        }
        let headerSize = version >= 17 ? FDT.headerSizeV17 : FDT.headerSizeV16
        guard b.count >= headerSize else {
            throw DTBError(.truncated, at: b.count, "blob is \(b.count) bytes, shorter than the \(headerSize)-byte v\(version) header")
        }
        let total = Int(u32(4))
        guard total <= b.count else {
            throw DTBError(.truncated, at: 4, "header totalsize \(total) is larger than the \(b.count) bytes available")
        }
        guard total >= headerSize else {
            throw DTBError(.badLayout, at: 4, "header totalsize \(total) is smaller than the header itself (\(headerSize))")
        }
        let offStruct = Int(u32(8)), offStrings = Int(u32(12)), offRsv = Int(u32(16))
        let stringsSize = Int(u32(32))
        var h = FDTHeader(totalSize: total, structOffset: offStruct, stringsOffset: offStrings, reservationOffset: offRsv,
                          version: version, lastCompatibleVersion: lastCompatible, bootCPUID: u32(28),
                          stringsSize: stringsSize, structSize: 0)
        try h.checkBlock("struct block", offsetField: 8, offset: offStruct, alignment: 4, headerSize: headerSize)
        try h.checkBlock("strings block", offsetField: 12, offset: offStrings, alignment: 1, headerSize: headerSize)
        try h.checkBlock("memory reservation block", offsetField: 16, offset: offRsv, alignment: 8, headerSize: headerSize)
        guard offStrings + stringsSize <= total else {
            throw DTBError(.badLayout, at: 32,
                           "strings block [\(offStrings), \(offStrings + stringsSize)) ends past totalsize \(total)")
        }
        if version >= 17 {
            let structSize = Int(u32(36))
            guard offStruct + structSize <= total else {
                throw DTBError(.badLayout, at: 36,
                               "struct block [\(offStruct), \(offStruct + structSize)) ends past totalsize \(total)")
            }
            h.structSize = structSize
            if structSize > 0, stringsSize > 0,
               offStruct < offStrings + stringsSize, offStrings < offStruct + structSize {
                throw DTBError(.badLayout, at: 12,
                               "strings block [\(offStrings), \(offStrings + stringsSize)) overlaps struct block [\(offStruct), \(offStruct + structSize))")
            }
        } else {
            // v16 has no struct size: the struct block runs until FDT_END, bounded by the strings block if it follows.
            h.structSize = (offStrings > offStruct ? offStrings : total) - offStruct
        }
        return h
    }

    private func checkBlock(_ name: String, offsetField: Int, offset: Int, alignment: Int, headerSize: Int) throws {
        guard offset >= headerSize else {
            throw DTBError(.badLayout, at: offsetField, "\(name) offset \(offset) lies inside the \(headerSize)-byte header")
        }
        guard offset <= totalSize else {
            throw DTBError(.badLayout, at: offsetField, "\(name) offset \(offset) is past totalsize \(totalSize)")
        }
        guard offset % alignment == 0 else {
            throw DTBError(.badLayout, at: offsetField, "\(name) offset \(offset) is not \(alignment)-byte aligned")
        }
    }
}

extension UnsafeRawBufferPointer {
    /// Caller guarantees `off + 4 <= count`.
    @inline(__always)
    func loadBigEndianU32(at off: Int) -> UInt32 {
        UInt32(bigEndian: loadUnaligned(fromByteOffset: off, as: UInt32.self))
    }
}
