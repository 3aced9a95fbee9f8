import Infrastructure
import XenArm

/// The `[platform]` values as typed, range-checked data, before any of them reaches generated C (issue 11): register
/// addresses below the physical address limit and 4-byte aligned, 32-bit register values, page-aligned
/// mappings that do not wrap, a `dma-bitsize` Xen can use, printable names and compatibles.
public enum PlatformSettings {
    public struct RegisterWrite: Equatable, Sendable {
        public let address: UInt64
        public let value: UInt32
    }

    public struct Mapping: Equatable, Sendable {
        public let base: UInt64
        public let size: UInt64
    }

    /// `dma-bitsize` bounds: Xen's heap zones are per bit above PAGE_SHIFT (12), so fewer than 13 bits selects
    /// no zone; more than the physical address width selects all memory. Arm Xen uses it for Dom0's first bank
    /// (below 2^min(32, bits)); 0 would mean "unset" (32), which is what leaving the key out says.
    public static func dmaBitsizeRange(_ arch: Architecture) -> ClosedRange<Int64> { 13...Int64(arch.xenPhysicalAddressBits) }

    /// Every `[platform]` key with a value range, checked; an error names the file, line and key.
    static func check(_ board: Board) throws {
        for key in ["reset", "poweroff"] { _ = try registerWrites(board, key) }
        _ = try mappings(board)
        for key in ["smp-mailbox", "smp-mailbox-clear"] {
            if case .integer(let v)? = board.platform[key] { _ = try register(board, key, v) }
        }
        if case .integer(let v)? = board.platform["dma-bitsize"], !dmaBitsizeRange(board.arch).contains(v) {
            let r = dmaBitsizeRange(board.arch)
            throw error(board, "dma-bitsize", "dma-bitsize must be \(r.lowerBound) to \(r.upperBound) on \(board.arch.rawValue), got \(v)")
        }
        if case .string(let name)? = board.platform["name"] { try printable(board, "name", name, limit: 64) }
        if case .strings(let items)? = board.platform["blacklist"] {
            for c in items { try printable(board, "blacklist", c, limit: 128) }
        }
    }

    /// `reset` / `poweroff`: "ADDR=VALUE" register writes.
    public static func registerWrites(_ board: Board, _ key: String) throws -> [RegisterWrite] {
        guard case .strings(let items)? = board.platform[key] else { return [] }
        return try items.map { item in
            let parts = item.split(separator: "=", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 2, let a = try? Numbers.parse(parts[0]), let v = try? Numbers.parse(parts[1], limit: UInt64(UInt32.max)) else {
                throw error(board, key, "'\(item)' in \(key) must be ADDR=VALUE with a 32-bit value, e.g. \"0x1c020004=0x1\"")
            }
            guard a % 4 == 0, a <= board.arch.xenPhysicalAddressLimit - 4 else {
                throw error(board, key, "'\(item)' in \(key): register address \(hex(a)) must be 4-byte aligned and below \(hex(board.arch.xenPhysicalAddressLimit))")
            }
            return RegisterWrite(address: a, value: UInt32(truncatingIfNeeded: v))
        }
    }

    /// `specific-mappings`: "BASE:SIZE" MMIO ranges mapped 1:1 into Dom0.
    public static func mappings(_ board: Board) throws -> [Mapping] {
        guard case .strings(let items)? = board.platform["specific-mappings"] else { return [] }
        let limit = board.arch.xenPhysicalAddressLimit
        return try items.map { item in
            let parts = item.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 2, let b = try? Numbers.parse(parts[0]), let s = try? Numbers.parse(parts[1]),
                  s > 0, b % xenPageSize == 0, s % xenPageSize == 0 else {
                throw error(board, "specific-mappings", "'\(item)' must be BASE:SIZE with a page-aligned base and size, e.g. \"0x10000000:0x1000\"")
            }
            guard b < limit, s <= limit - b else {
                throw error(board, "specific-mappings", "'\(item)' ends above \(hex(limit)): \(board.arch.rawValue) Xen handles \(board.arch.xenPhysicalAddressBits)-bit physical addresses")
            }
            return Mapping(base: b, size: s)
        }
    }

    /// A register address given as a TOML integer (`smp-mailbox`, `smp-mailbox-clear`).
    public static func register(_ board: Board, _ key: String, _ v: Int64) throws -> UInt64 {
        guard v >= 0, UInt64(v) % 4 == 0, UInt64(v) <= board.arch.xenPhysicalAddressLimit - 4 else {
            throw error(board, key, "\(key) = \(v) must be a 4-byte aligned register address below \(hex(board.arch.xenPhysicalAddressLimit))")
        }
        return UInt64(v)
    }

    static func printable(_ board: Board, _ key: String, _ s: String, limit: Int) throws {
        guard !s.isEmpty, s.utf8.count <= limit, s.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value < 0x7f }) else {
            throw error(board, key, "\(key) '\(s.prefix(limit))' must be 1 to \(limit) printable ASCII characters")
        }
    }

    static func error(_ board: Board, _ key: String, _ message: String) -> TOMLError {
        board.error(line: board.platformLines[key] ?? 0, message)
    }
}
