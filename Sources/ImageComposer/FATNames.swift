/// File names in a FAT directory (internal): the 8.3 short name every entry has, the Windows NT lower-case flags that
/// let an all-lower-case 8.3 name (`boot.scr`) keep its case without long-name entries, and VFAT long-name (LFN)
/// entries for everything else (`Image-6.1.0`, `xen.efi.signed`).
struct FATName: Equatable {
    /// 8 + 3 bytes, space-padded, upper case.
    let shortName: [UInt8]
    /// Directory entry byte 12: 0x08 = base is lower case, 0x10 = extension is lower case.
    let caseFlags: UInt8
    /// UTF-16 code units of the long name, nil when the short name (with `caseFlags`) says it all.
    let longName: [UInt16]?

    /// Directory entries the name takes (long-name entries + the short entry).
    var entryCount: Int { 1 + (longName.map { ($0.count + 12) / 13 } ?? 0) }

    /// Characters allowed in short names besides A-Z and 0-9.
    static let shortPunctuation = Set("!#$%&'()-@^_`{}~".utf8)
    /// Characters never allowed in a FAT name.
    static let forbidden = Set("\"*/:<>?\\|".utf8)

    /// Names for `names` in one directory: exact 8.3 names first, then generated `BASIS~N.EXT` short names that
    /// collide with none of them. - Throws: on an invalid name or a case-insensitive duplicate.
    static func assign(_ names: [String]) throws(DiskImageError) -> [FATName] {
        var seen: [String: String] = [:]
        for name in names {
            try validate(name)
            let folded = name.uppercased()
            if let other = seen[folded] { throw .duplicateName(name, existing: other) }
            seen[folded] = name
        }
        let exact = names.map(exactShortName)
        var taken = Set(exact.compactMap { $0?.shortName })
        var result: [FATName] = []
        for (name, fit) in zip(names, exact) {
            if let fit { result.append(fit); continue }
            let short = generatedShortName(name, taken: taken)
            taken.insert(short)
            result.append(FATName(shortName: short, caseFlags: 0, longName: Array(name.utf16)))
        }
        return result
    }

    static func validate(_ name: String) throws(DiskImageError) {
        if name.isEmpty || name == "." || name == ".." { throw .invalidName(name, expected: "a file name other than \"\", . and ..") }
        if name.utf16.count > 255 { throw .invalidName(name, expected: "at most 255 UTF-16 code units") }
        if let bad = name.unicodeScalars.first(where: { $0.value < 0x20 || ($0.isASCII && forbidden.contains(UInt8($0.value))) }) {
            throw .invalidName(name, expected: "no control characters or any of \" * / : < > ? \\ |, found U+\(String(bad.value, radix: 16, uppercase: true))")
        }
        if name.hasSuffix(".") || name.hasSuffix(" ") || name.hasPrefix(" ") {
            throw .invalidName(name, expected: "no leading space and no trailing space or dot")
        }
    }

    /// The name as an 8.3 entry without long-name entries, when it is one: base 1-8 and extension 0-3 short-name
    /// characters, each part all upper or all lower case.
    static func exactShortName(_ name: String) -> FATName? {
        let bytes = Array(name.utf8)
        guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
        let dots = bytes.indices.filter { bytes[$0] == UInt8(ascii: ".") }
        guard dots.count <= 1 else { return nil }
        let base = dots.first.map { Array(bytes[..<$0]) } ?? bytes
        let ext = dots.first.map { Array(bytes[($0 + 1)...]) } ?? []
        guard (1...8).contains(base.count), ext.count <= 3, dots.isEmpty || !ext.isEmpty else { return nil }
        var flags: UInt8 = 0
        for (part, flag) in [(base, UInt8(0x08)), (ext, UInt8(0x10))] {
            guard part.allSatisfy({ isUpper($0) || isLower($0) || isDigit($0) || shortPunctuation.contains($0) }) else { return nil }
            let hasUpper = part.contains(where: isUpper), hasLower = part.contains(where: isLower)
            if hasUpper && hasLower { return nil }
            if hasLower { flags |= flag }
        }
        return FATName(shortName: pad(base.map(upper), 8) + pad(ext.map(upper), 3), caseFlags: flags, longName: nil)
    }

    /// `BASIS~N.EXT`: upper case, characters a short name cannot hold become `_`, spaces and extra dots dropped.
    static func generatedShortName(_ name: String, taken: Set<[UInt8]>) -> [UInt8] {
        func clean(_ s: Substring) -> [UInt8] {
            s.unicodeScalars.compactMap { scalar -> UInt8? in
                guard scalar.isASCII else { return UInt8(ascii: "_") }
                let b = upper(UInt8(scalar.value))
                if b == UInt8(ascii: " ") || b == UInt8(ascii: ".") { return nil }
                return isUpper(b) || isDigit(b) || shortPunctuation.contains(b) ? b : UInt8(ascii: "_")
            }
        }
        let trimmed = name.drop { $0 == "." }
        let lastDot = trimmed.lastIndex(of: ".")
        var base = clean(lastDot.map { trimmed[..<$0] } ?? trimmed)
        let ext = Array(clean(lastDot.map { trimmed[trimmed.index(after: $0)...] } ?? "").prefix(3))
        if base.isEmpty { base = [UInt8(ascii: "_")] }
        var n = 1
        while true {
            let tail = Array("~\(n)".utf8)
            let candidate = pad(Array(base.prefix(8 - tail.count)) + tail, 8) + pad(ext, 3)
            if !taken.contains(candidate) { return candidate }
            n += 1
        }
    }

    /// The checksum of a short name that each of its long-name entries carries.
    static func checksum(_ shortName: [UInt8]) -> UInt8 {
        shortName.reduce(UInt8(0)) { sum, byte in ((sum & 1) << 7) &+ (sum >> 1) &+ byte }
    }

    /// The long-name entries (32 bytes each) in directory order: the last part (ordinal | 0x40) first.
    func longNameEntries() -> [[UInt8]] {
        guard let units = longName else { return [] }
        let count = (units.count + 12) / 13
        var padded = units
        if padded.count % 13 != 0 { padded.append(0) }
        while padded.count % 13 != 0 { padded.append(0xFFFF) }
        let sum = Self.checksum(shortName)
        let slots = [1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30]
        return (1...count).reversed().map { ordinal in
            var entry = [UInt8](repeating: 0, count: 32)
            entry[0] = UInt8(ordinal) | (ordinal == count ? 0x40 : 0)
            entry[11] = 0x0F
            entry[13] = sum
            for (i, slot) in slots.enumerated() { entry.storeLE16(padded[(ordinal - 1) * 13 + i], at: slot) }
            return entry
        }
    }

    private static func isUpper(_ b: UInt8) -> Bool { b >= 0x41 && b <= 0x5A }
    private static func isLower(_ b: UInt8) -> Bool { b >= 0x61 && b <= 0x7A }
    private static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    private static func upper(_ b: UInt8) -> UInt8 { isLower(b) ? b - 0x20 : b }
    private static func pad(_ part: [UInt8], _ width: Int) -> [UInt8] { part + Array(repeating: 0x20, count: width - part.count) }
}
