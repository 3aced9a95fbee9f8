/// Decodes a flattened device tree blob (versions 16 and 17) into a `DeviceTree`.
///
/// Every offset and length is checked here, once; a malformed blob gives a `DTBError` with the byte offset.
/// The walk is iterative, so hostile nesting cannot exhaust the stack.
public enum DTBDecoder {
    /// - Parameter validate: also run libfdt's `fdt_check_full` over the blob (default on).
    public static func decode(_ blob: [UInt8], validate: Bool = true) throws -> DeviceTree {
        let tree = try blob.withUnsafeBytes { try decode(raw: $0, blob: blob) }
        if validate { try LibFDT.check(blob) }
        return tree
    }

    static func decode(raw b: UnsafeRawBufferPointer, blob: [UInt8]) throws -> DeviceTree {
        let header = try FDTHeader.read(b)
        let reservations = try readReservations(b, header)
        var walker = StructWalker(b: b, blob: blob, header: header)
        let root = try walker.walk()
        return DeviceTree(root: root, memoryReservations: reservations, bootCPUID: header.bootCPUID)
    }

    private static func readReservations(_ b: UnsafeRawBufferPointer, _ h: FDTHeader) throws -> [MemoryReservation] {
        var out: [MemoryReservation] = []
        var off = h.reservationOffset
        while true {
            guard off + FDT.reservationEntrySize <= h.totalSize else {
                throw DTBError(.truncated, at: off, "memory reservation block runs past totalsize \(h.totalSize) without its terminating entry")
            }
            if off < h.structOffset + h.structSize && h.structOffset < off + FDT.reservationEntrySize {
                throw DTBError(.badLayout, at: off, "memory reservation entry overlaps the struct block at \(h.structOffset)")
            }
            let address = UInt64(b.loadBigEndianU32(at: off)) << 32 | UInt64(b.loadBigEndianU32(at: off + 4))
            let size = UInt64(b.loadBigEndianU32(at: off + 8)) << 32 | UInt64(b.loadBigEndianU32(at: off + 12))
            if address == 0 && size == 0 { return out }
            out.append(MemoryReservation(address: address, size: size))
            off += FDT.reservationEntrySize
        }
    }
}

/// Walks the structure block token by token.
private struct StructWalker {
    let b: UnsafeRawBufferPointer
    /// The same bytes as `b`; property values are slices of it (shared buffer, no copy).
    let blob: [UInt8]
    let header: FDTHeader
    /// Names already decoded (most trees use a few hundred), and for each offset in the strings block the index
    /// of its name in `names` plus one (0: not decoded yet). A table of small integers rather than one optional
    /// `String` per byte of the strings block: nothing to release per slot when the decoder is done.
    var names: [String] = []
    var nameSlots: [UInt32]
    /// End of the struct block.
    let end: Int
    // Open nodes are kept as names only; each Node is created when it closes, with its final property and
    // child arrays passed to init (no per-property writes through a class reference).
    var stack: [String] = []
    var root: Node?
    var sawRoot = false
    // Properties and children of every open node live in two flat scratch stacks; when a node closes its share
    // is copied into exactly-sized arrays. This avoids growing one array per node through repeated appends.
    let propScratch = MoveStack<Property>()
    let childScratch = MoveStack<Node>()
    var propStart: [Int] = []
    var childStart: [Int] = []

    init(b: UnsafeRawBufferPointer, blob: [UInt8], header: FDTHeader) {
        self.b = b
        self.blob = blob
        self.header = header
        self.nameSlots = Array(repeating: 0, count: header.stringsSize)
        self.end = header.structOffset + header.structSize
    }

    mutating func walk() throws -> Node {
        var off = header.structOffset
        while true {
            let tokenOffset = off
            guard off + 4 <= end else {
                throw DTBError(.truncated, at: off, "struct block ends (at \(end)) before FDT_END")
            }
            let tok = b.loadBigEndianU32(at: off)
            off += 4
            switch tok {
            case FDT.beginNode: off = try beginNode(token: tokenOffset, name: off)
            case FDT.endNode: try endNode(token: tokenOffset)
            case FDT.prop: off = try property(token: tokenOffset, header: off)
            case FDT.nop: continue
            case FDT.end: return try finish(token: tokenOffset)
            default: throw DTBError(.badToken, at: tokenOffset, "unknown token 0x\(String(tok, radix: 16))")
            }
        }
    }

    /// FDT_BEGIN_NODE: opens a node; returns the offset after its name.
    private mutating func beginNode(token: Int, name off: Int) throws -> Int {
        if sawRoot && stack.isEmpty {
            throw DTBError(.badStructure, at: token, "second root node after the first one closed")
        }
        guard stack.count < FDT.maxDepth else {
            throw DTBError(.tooDeep, at: token, "nodes nested deeper than \(FDT.maxDepth) levels")
        }
        guard let nul = findNul(from: off, limit: end) else {
            throw DTBError(.unterminatedName, at: off, "node name is not NUL-terminated inside the struct block")
        }
        stack.append(try makeString(off, nul, what: "node name"))
        propStart.append(propScratch.count)
        childStart.append(childScratch.count)
        sawRoot = true
        return alignUp4(nul + 1)
    }

    /// FDT_END_NODE: the innermost open node is complete.
    private mutating func endNode(token: Int) throws {
        guard let name = stack.popLast(), let ps = propStart.popLast(), let cs = childStart.popLast() else {
            throw DTBError(.badStructure, at: token, "FDT_END_NODE without a matching FDT_BEGIN_NODE")
        }
        let node = Node(name: name, properties: propScratch.popArray(from: ps), children: childScratch.popArray(from: cs))
        if stack.isEmpty { root = node } else { childScratch.push(node) }
    }

    /// FDT_PROP: one property of the innermost open node; returns the offset after its value.
    private mutating func property(token: Int, header off: Int) throws -> Int {
        guard !stack.isEmpty else {
            throw DTBError(.badStructure, at: token, "property outside of any node")
        }
        guard off + 8 <= end else {
            throw DTBError(.truncated, at: off, "property header runs past the end of the struct block (\(end))")
        }
        let len = Int(b.loadBigEndianU32(at: off))
        let nameOff = Int(b.loadBigEndianU32(at: off + 4))
        let valueStart = off + 8
        guard len <= end - valueStart else {
            throw DTBError(.truncated, at: off, "property value of \(len) bytes runs past the end of the struct block (\(end))")
        }
        let name = try propertyName(nameOff, fieldOffset: off + 4)
        let value: Bytes = len == 0 ? [] : Bytes(blob[valueStart..<(valueStart + len)])
        propScratch.push(Property(name: name, value: value))
        return alignUp4(valueStart + len)
    }

    /// FDT_END: the tree, when exactly one root node was opened and closed.
    private func finish(token: Int) throws -> Node {
        guard sawRoot else {
            throw DTBError(.badStructure, at: token, "FDT_END before any node")
        }
        guard stack.isEmpty, let root else {
            throw DTBError(.badStructure, at: token, "FDT_END with \(stack.count) node(s) still open (first: '\(stack.first ?? "")')")
        }
        return root
    }

    private func findNul(from: Int, limit: Int) -> Int? {
        var i = from
        while i < limit {
            if b[i] == 0 { return i }
            i += 1
        }
        return nil
    }

    private func makeString(_ start: Int, _ nul: Int, what: String) throws -> String {
        let bytes = UnsafeRawBufferPointer(rebasing: b[start..<nul]).assumingMemoryBound(to: UInt8.self)
        if let s = UTF8Text.string(bytes) { return s }
        throw DTBError(.badEncoding, at: start, "\(what) is not valid UTF-8")
    }

    private mutating func propertyName(_ nameOff: Int, fieldOffset: Int) throws -> String {
        guard nameOff < header.stringsSize else {
            throw DTBError(.badNameOffset, at: fieldOffset,
                           "property name offset \(nameOff) is outside the \(header.stringsSize)-byte strings block")
        }
        let slot = Int(nameSlots[nameOff])
        if slot != 0 { return names[slot - 1] }
        let start = header.stringsOffset + nameOff
        guard let nul = findNul(from: start, limit: header.stringsOffset + header.stringsSize) else {
            throw DTBError(.unterminatedName, at: start, "property name at strings offset \(nameOff) is not NUL-terminated inside the strings block")
        }
        let s = try makeString(start, nul, what: "property name")
        names.append(s)
        nameSlots[nameOff] = UInt32(truncatingIfNeeded: names.count)
        return s
    }
}
