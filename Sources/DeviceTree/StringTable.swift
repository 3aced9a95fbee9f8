#if canImport(Glibc)
import Glibc  // memcmp
#elseif canImport(Darwin)
import Darwin
#endif

/// The strings block, built the way dtc builds it so that re-encoding reproduces dtc's output byte for byte.
///
/// dtc appends names in the order properties are written (pre-order, properties before children) and reuses the
/// first earlier occurrence of the name *including as a suffix* of a longer name: `stringtable_insert` scans the
/// table with `streq` at every byte, i.e. it finds the first occurrence of `name\0`. Here every suffix of every
/// appended name is registered (first registration wins, so the smallest offset) in a small open-addressing table
/// keyed by FNV-1a whose slots point back into the table bytes: no `String` is created, copied or retained.
struct StringTable {
    private(set) var bytes: [UInt8] = []
    private var slots: [Slot] = Array(repeating: Slot(), count: 1024)
    private var used = 0
    /// Direct-mapped cache keyed by a name's `String` representation bits. Decoded trees share one `String` per
    /// distinct name (short names are stored inline in those bits), so almost every property hits here without
    /// touching the characters. Equal bits imply equal contents while the tree being encoded keeps every name
    /// alive, which holds for the duration of one encode (the only lifetime of a `StringTable`).
    private var identity: [IdentityEntry] = Array(repeating: IdentityEntry(), count: 4096)

    private struct IdentityEntry {
        var bits: (UInt64, UInt64) = (0, 0)
        var offset: UInt32 = .max
    }

    private struct Slot {
        var hash: UInt64 = 0
        var offset: UInt32 = .max // .max marks an empty slot
        var length: UInt32 = 0
    }

    mutating func offset(of name: String) -> UInt32 {
        let bits = unsafeBitCast(name, to: (UInt64, UInt64).self)
        let slot = Int(truncatingIfNeeded: ((bits.0 &* 0x9e37_79b9_7f4a_7c15) ^ (bits.1 &* 0xc2b2_ae3d_27d4_eb4f)) >> 52)
        let cached = identity[slot]
        if cached.offset != .max && cached.bits == bits { return cached.offset }
        let o = offsetByContent(name)
        identity[slot] = IdentityEntry(bits: bits, offset: o)
        return o
    }

    private mutating func offsetByContent(_ name: String) -> UInt32 {
        var name = name
        return name.withUTF8 { utf8 in
            let h = Self.hash(utf8)
            if let o = lookup(utf8, h) { return o }
            let o = append(utf8)
            insert(h, o, UInt32(utf8.count))
            // The hash runs right to left, so walking backwards yields each suffix's hash in O(1).
            var sh = Self.seed
            for start in stride(from: utf8.count, to: 0, by: -1) {
                let suffix = UnsafeBufferPointer(rebasing: utf8[start...])
                if lookup(suffix, sh) == nil { insert(sh, o + UInt32(start), UInt32(suffix.count)) }
                sh = Self.step(sh, utf8[start - 1])
            }
            return o
        }
    }

    private func lookup(_ key: UnsafeBufferPointer<UInt8>, _ h: UInt64) -> UInt32? {
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: h) & mask
        while true {
            let s = slots[i]
            if s.offset == .max { return nil }
            if s.hash == h && Int(s.length) == key.count && matches(key, at: Int(s.offset)) { return s.offset }
            i = (i + 1) & mask
        }
    }

    private func matches(_ key: UnsafeBufferPointer<UInt8>, at offset: Int) -> Bool {
        bytes.withUnsafeBufferPointer { table in
            guard let t = table.baseAddress else { return false }
            return key.count == 0 || memcmp(t + offset, key.baseAddress!, key.count) == 0
        }
    }

    private mutating func append(_ key: UnsafeBufferPointer<UInt8>) -> UInt32 {
        let o = UInt32(bytes.count)
        bytes.append(contentsOf: key)
        bytes.append(0)
        return o
    }

    private mutating func insert(_ h: UInt64, _ offset: UInt32, _ length: UInt32) {
        if (used + 1) * 2 > slots.count { grow() }
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: h) & mask
        while slots[i].offset != .max { i = (i + 1) & mask }
        slots[i] = Slot(hash: h, offset: offset, length: length)
        used += 1
    }

    private mutating func grow() {
        let old = slots
        slots = Array(repeating: Slot(), count: old.count * 2)
        used = 0
        for s in old where s.offset != .max { insert(s.hash, s.offset, s.length) }
    }

    /// FNV-1a applied from the last byte to the first.
    private static let seed: UInt64 = 0xcbf2_9ce4_8422_2325

    @inline(__always)
    private static func step(_ h: UInt64, _ b: UInt8) -> UInt64 { (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }

    private static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h = seed
        for b in bytes.reversed() { h = step(h, b) }
        return h
    }
}
