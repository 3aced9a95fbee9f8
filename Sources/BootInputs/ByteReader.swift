/// Bounds-checked little- and big-endian reads over the first bytes of a file. Every read returns nil past the end,
/// so header parsing never traps on short or hostile input.
struct ByteReader {
    let bytes: [UInt8]

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var count: Int { bytes.count }

    func u8(at offset: Int) -> UInt8? {
        guard offset >= 0, offset < bytes.count else { return nil }
        return bytes[offset]
    }

    func le16(at offset: Int) -> UInt16? { unsigned(at: offset, width: 2, bigEndian: false).map { UInt16($0) } }
    func be16(at offset: Int) -> UInt16? { unsigned(at: offset, width: 2, bigEndian: true).map { UInt16($0) } }
    func le32(at offset: Int) -> UInt32? { unsigned(at: offset, width: 4, bigEndian: false).map { UInt32($0) } }
    func be32(at offset: Int) -> UInt32? { unsigned(at: offset, width: 4, bigEndian: true).map { UInt32($0) } }
    func le64(at offset: Int) -> UInt64? { unsigned(at: offset, width: 8, bigEndian: false) }

    func u32(at offset: Int, bigEndian: Bool) -> UInt32? { bigEndian ? be32(at: offset) : le32(at: offset) }
    func u16(at offset: Int, bigEndian: Bool) -> UInt16? { bigEndian ? be16(at: offset) : le16(at: offset) }

    /// `count` bytes from `offset`, or nil when they are not all present.
    func slice(at offset: Int, count: Int) -> ArraySlice<UInt8>? {
        guard offset >= 0, count >= 0, offset <= bytes.count - count else { return nil }
        return bytes[offset..<(offset + count)]
    }

    private func unsigned(at offset: Int, width: Int, bigEndian: Bool) -> UInt64? {
        guard let s = slice(at: offset, count: width) else { return nil }
        var value: UInt64 = 0
        if bigEndian {
            for b in s { value = value << 8 | UInt64(b) }
        } else {
            for b in s.reversed() { value = value << 8 | UInt64(b) }
        }
        return value
    }
}
