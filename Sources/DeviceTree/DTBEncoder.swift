/// Encodes a `DeviceTree` as a version 17 blob laid out as dtc lays it out: header, memory reservation block,
/// struct block, strings block, no padding. A blob that `dtc -I dtb -O dtb` reproduces is reproduced byte for byte.
public enum DTBEncoder {
    /// - Parameter validate: run libfdt's `fdt_check_full` over the result (default on).
    public static func encode(_ tree: DeviceTree, validate: Bool = true) throws -> [UInt8] {
        let blob = try encodeUnchecked(tree)
        if validate { try LibFDT.check(blob) }
        return blob
    }

    static func encodeUnchecked(_ tree: DeviceTree) throws -> [UInt8] {
        var layout = StructLayout()
        try layout.measure(tree.root)
        let structSize = layout.structSize
        let strings = layout.strings
        let nameOffsets = layout.nameOffsets

        let reservationOffset = FDT.headerSizeV17
        let structOffset = reservationOffset + (tree.memoryReservations.count + 1) * FDT.reservationEntrySize
        let stringsOffset = structOffset + structSize
        let total = stringsOffset + strings.bytes.count
        guard total <= Int(UInt32.max) else {
            throw DeviceTreeError(node: "/", "tree too large for a blob (\(total) bytes)")
        }

        // Pass 2: write into an exactly-sized buffer (sizes were computed above, so the writer cannot overrun).
        return [UInt8](unsafeUninitializedCapacity: total) { buffer, count in
            var w = BlobWriter(buffer)
            for v in [FDT.magic, UInt32(total), UInt32(structOffset), UInt32(stringsOffset), UInt32(reservationOffset),
                      FDT.writeVersion, FDT.writeLastCompatibleVersion, tree.bootCPUID,
                      UInt32(strings.bytes.count), UInt32(structSize)] {
                w.u32(v)
            }
            for r in tree.memoryReservations { w.u64(r.address); w.u64(r.size) }
            w.u64(0); w.u64(0)
            var emitter = StructEmitter(nameOffsets: nameOffsets)
            emitter.emit(tree.root, into: &w)
            w.u32(FDT.end)
            w.bytes(strings.bytes, nulTerminated: false, pad: false) // the last block is not padded
            count = w.position
        }
    }
}

/// Pass 2 of encoding: the struct block, tokens in the order `StructLayout` measured them.
private struct StructEmitter {
    let nameOffsets: [UInt32]
    var nameIndex = 0

    mutating func emit(_ node: Node, into w: inout BlobWriter) {
        w.u32(FDT.beginNode)
        w.bytes(node.name.utf8, nulTerminated: true, pad: true)
        node.properties.withUnsafeBufferPointer { props in
            for i in props.indices {
                w.u32(FDT.prop)
                w.u32(UInt32(props[i].value.count))
                w.u32(nameOffsets[nameIndex])
                nameIndex += 1
                w.bytes(props[i].value, nulTerminated: false, pad: true)
            }
        }
        node.children.withUnsafeBufferPointer { kids in
            for child in kids { emit(child, into: &w) }
        }
        w.u32(FDT.endNode)
    }
}

/// Writes big-endian words and padded byte runs into a buffer whose size the caller computed in advance.
private struct BlobWriter {
    let base: UnsafeMutableBufferPointer<UInt8>
    var position = 0

    init(_ base: UnsafeMutableBufferPointer<UInt8>) { self.base = base }

    @inline(__always)
    mutating func u32(_ v: UInt32) {
        base[position] = UInt8(truncatingIfNeeded: v >> 24)
        base[position + 1] = UInt8(truncatingIfNeeded: v >> 16)
        base[position + 2] = UInt8(truncatingIfNeeded: v >> 8)
        base[position + 3] = UInt8(truncatingIfNeeded: v)
        position += 4
    }

    @inline(__always)
    mutating func u64(_ v: UInt64) {
        u32(UInt32(truncatingIfNeeded: v >> 32))
        u32(UInt32(truncatingIfNeeded: v))
    }

    /// Copies the bytes (plus a NUL if asked) and, if asked, zero-pads to the next 4-byte boundary.
    mutating func bytes<C: Collection>(_ bytes: C, nulTerminated: Bool, pad: Bool) where C.Element == UInt8 {
        let copied = bytes.withContiguousStorageIfAvailable { src -> Int in
            guard let s = src.baseAddress, src.count > 0 else { return src.count }
            (base.baseAddress! + position).update(from: s, count: src.count)
            return src.count
        }
        if let copied {
            position += copied
        } else {
            for b in bytes { base[position] = b; position += 1 }
        }
        if nulTerminated { base[position] = 0; position += 1 }
        while pad && position & 3 != 0 { base[position] = 0; position += 1 }
    }
}

/// Pass 1 of encoding: the struct block's size and every property's name offset, in write order.
private struct StructLayout {
    var strings = StringTable()
    var nameOffsets: [UInt32] = []
    var structSize = 4 // FDT_END

    mutating func measure(_ root: Node) throws {
        var stack: [(Node, Int)] = [(root, 0)]
        while let (node, depth) = stack.popLast() {
            if depth >= FDT.maxDepth {
                throw DeviceTreeError(node, "nesting deeper than \(FDT.maxDepth) levels cannot be encoded")
            }
            structSize += 4 + alignUp4(node.name.utf8.count + 1) + 4
            node.properties.withUnsafeBufferPointer { props in
                for p in props {
                    nameOffsets.append(strings.offset(of: p.name))
                    structSize += 12 + alignUp4(p.value.count)
                }
            }
            for child in node.children.reversed() { stack.append((child, depth + 1)) }
        }
    }
}
