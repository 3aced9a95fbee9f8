/// A number stored as big-endian 32-bit cells (an address or size in `reg` / `ranges`).
public struct CellNumber: Equatable, Hashable, Sendable, CustomStringConvertible {
    public let cells: [UInt32]

    public init(_ cells: [UInt32]) { self.cells = cells }

    public init(_ value: UInt64, cellCount: Int) {
        var out = [UInt32](repeating: 0, count: cellCount)
        if cellCount >= 1 { out[cellCount - 1] = UInt32(truncatingIfNeeded: value) }
        if cellCount >= 2 { out[cellCount - 2] = UInt32(truncatingIfNeeded: value >> 32) }
        self.cells = out
    }

    /// The value when it fits in 64 bits (every cell above the last two is zero).
    public var uint64: UInt64? {
        guard cells.dropLast(2).allSatisfy({ $0 == 0 }) else { return nil }
        return low64
    }

    /// The last two cells as a 64-bit number (the part buses compare and offset).
    var low64: UInt64 {
        switch cells.count {
        case 0: return 0
        case 1: return UInt64(cells[0])
        default: return UInt64(cells[cells.count - 2]) << 32 | UInt64(cells[cells.count - 1])
        }
    }

    /// The cells above the last two.
    var high: ArraySlice<UInt32> { cells.dropLast(2) }

    public var description: String {
        if let v = uint64 { return "0x" + String(v, radix: 16) }
        return "<" + cells.map { "0x" + String($0, radix: 16) }.joined(separator: " ") + ">"
    }
}

extension Property {
    /// Splits the value into records of the given cell counts; throws naming node and property when the length
    /// is not a multiple of the record size.
    func records(_ counts: [Int], in node: Node) throws -> [[CellNumber]] {
        let perRecord = counts.reduce(0, +)
        guard perRecord > 0 else {
            if value.isEmpty { return [] }
            throw DeviceTreeError(node, property: name, "record size is 0 cells but the value has \(value.count) bytes")
        }
        guard let all = cells, all.count % perRecord == 0 else {
            throw DeviceTreeError(node, property: name,
                                  "value is \(value.count) bytes, not a multiple of \(perRecord) cells (\(counts.map(String.init).joined(separator: "+")))")
        }
        var out: [[CellNumber]] = []
        var i = 0
        while i < all.count {
            var record: [CellNumber] = []
            for c in counts {
                record.append(CellNumber(Array(all[i..<(i + c)])))
                i += c
            }
            out.append(record)
        }
        return out
    }
}
