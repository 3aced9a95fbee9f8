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
    private var slots: [Slot] = Array(repeating: Slot(), count: 64)
    private var used = 0

    private struct Slot {
        var hash: UInt64 = 0
        var offset: UInt32 = .max // .max marks an empty slot
        var length: UInt32 = 0
    }

    mutating func offset(of name: String) -> UInt32 {
        var name = name
        return name.withUTF8 { utf8 in
            let h = Self.hash(utf8)
            if let o = lookup(utf8, h) { return o }
            let o = append(utf8)
            for start in 0...utf8.count {
                let suffix = UnsafeBufferPointer(rebasing: utf8[start...])
                let sh = start == 0 ? h : Self.hash(suffix)
                if start == 0 || lookup(suffix, sh) == nil {
                    insert(sh, o + UInt32(start), UInt32(suffix.count))
                }
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

    private static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
        return h
    }
}
