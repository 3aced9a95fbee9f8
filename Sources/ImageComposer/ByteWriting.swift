/// Little-endian stores and loads on byte arrays, shared by the writers (internal).
extension Array where Element == UInt8 {
    /// Stores `value` little-endian at `offset` (the array must be large enough: callers size it first).
    mutating func storeLE16(_ value: UInt16, at offset: Int) {
        self[offset] = UInt8(truncatingIfNeeded: value)
        self[offset + 1] = UInt8(truncatingIfNeeded: value >> 8)
    }

    mutating func storeLE32(_ value: UInt32, at offset: Int) {
        for i in 0..<4 { self[offset + i] = UInt8(truncatingIfNeeded: value >> (8 * UInt32(i))) }
    }

    mutating func store(_ bytes: some Collection<UInt8>, at offset: Int) {
        replaceSubrange(offset..<(offset + bytes.count), with: bytes)
    }

    /// Appends the ASCII bytes of `text`.
    mutating func appendASCII(_ text: String) { append(contentsOf: Array(text.utf8)) }

    /// Appends zero bytes until `count` is a multiple of `alignment`.
    mutating func pad(toMultipleOf alignment: Int) {
        let rest = count % alignment
        if rest != 0 { append(contentsOf: repeatElement(0, count: alignment - rest)) }
    }
}

extension Collection where Element == UInt8 {
    /// Reads a little-endian integer at `offset` from the start; nil when out of bounds.
    func loadLE(at offset: Int, size: Int) -> UInt64? {
        guard offset >= 0, size > 0, size <= 8, offset + size <= count else { return nil }
        var value: UInt64 = 0
        var i = index(startIndex, offsetBy: offset)
        for k in 0..<size {
            value |= UInt64(self[i]) << (8 * UInt64(k))
            formIndex(after: &i)
        }
        return value
    }
}
