import XenArm

/// A named range of physical memory.
public struct MemoryRange: Equatable, Codable, Sendable {
    public let name: String
    public let base: UInt64
    public let size: UInt64
    public var end: UInt64 { base &+ size }

    public init(name: String, base: UInt64, size: UInt64) {
        self.name = name
        self.base = base
        self.size = size
    }

    func overlaps(_ o: MemoryRange) -> Bool { base < o.end && o.base < end }
    var text: String { "[\(hex(base)), \(hex(end)))" }
}

/// Something to load into RAM.
public struct LoadItem: Equatable, Sendable {
    public let name: String
    /// Bytes the item occupies once running (for kernels: max(file size, header image size), i.e. BSS included).
    public let size: UInt64
    public let alignment: UInt64
    /// Set when something else (QEMU's -kernel loader) decides the address.
    public let fixedAddress: UInt64?
    /// Upper bound on the size (the DTB must stay under 2 MiB for Xen).
    public let maxSize: UInt64?

    public init(name: String, size: UInt64, alignment: UInt64, fixedAddress: UInt64? = nil, maxSize: UInt64? = nil) {
        self.name = name
        self.size = size
        self.alignment = alignment
        self.fixedAddress = fixedAddress
        self.maxSize = maxSize
    }
}

public struct PlanError: Error, Equatable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

/// Where every item goes: inside RAM, outside reserved memory, aligned, no two overlapping. Deterministic:
/// items are placed in the given order, each at the lowest suitable address at or above `placeFrom`.
public struct MemoryPlan: Equatable, Sendable {
    public let ram: [MemoryRange]
    public let reserved: [MemoryRange]
    public let placed: [MemoryRange]

    public init(ram: [MemoryRange], reserved: [MemoryRange], placed: [MemoryRange]) {
        self.ram = ram
        self.reserved = reserved
        self.placed = placed
    }

    public static func make(ram: [MemoryRange], reserved: [MemoryRange], items: [LoadItem], placeFrom: UInt64 = 0) throws -> MemoryPlan {
        guard !ram.isEmpty else { throw PlanError(message: "no RAM: the DTB has no memory banks and the board file sets no [memory] window") }
        var taken = reserved.filter { $0.size > 0 }
        var placed: [MemoryRange] = []
        for item in items {
            if let max = item.maxSize, item.size > max {
                throw PlanError(message: "\(item.name) is \(item.size) bytes, over its limit of \(max) bytes")
            }
            guard item.alignment > 0, item.alignment & (item.alignment - 1) == 0 else {
                throw PlanError(message: "\(item.name): alignment \(item.alignment) is not a power of two")
            }
            let range: MemoryRange
            if let fixed = item.fixedAddress {
                range = MemoryRange(name: item.name, base: fixed, size: item.size)
                guard ram.contains(where: { range.base >= $0.base && range.end <= $0.end }) else {
                    throw PlanError(message: "\(item.name) \(range.text) is not inside RAM (\(ram.map(\.text).joined(separator: ", ")))")
                }
                if let clash = taken.first(where: { $0.overlaps(range) }) {
                    throw PlanError(message: "\(item.name) \(range.text) overlaps \(clash.name) \(clash.text)")
                }
            } else {
                guard let base = firstFit(item, ram: ram, taken: taken, from: placeFrom) else {
                    let free = ram.map(\.text).joined(separator: ", ")
                    throw PlanError(message: "\(item.name) (\(item.size) bytes, \(hex(item.alignment))-aligned) does not fit in RAM \(free) above \(hex(placeFrom)) once \(taken.map { "\($0.name) \($0.text)" }.joined(separator: ", ")) are taken")
                }
                range = MemoryRange(name: item.name, base: base, size: item.size)
            }
            taken.append(range)
            placed.append(range)
        }
        return MemoryPlan(ram: ram, reserved: reserved, placed: placed)
    }

    private static func firstFit(_ item: LoadItem, ram: [MemoryRange], taken: [MemoryRange], from: UInt64) -> UInt64? {
        for bank in ram.sorted(by: { $0.base < $1.base }) {
            var candidate = alignUp(max(bank.base, from), item.alignment)
            while candidate >= bank.base, candidate &+ item.size <= bank.end, candidate &+ item.size >= candidate {
                let range = MemoryRange(name: item.name, base: candidate, size: item.size)
                guard let clash = taken.filter({ $0.overlaps(range) }).max(by: { $0.end < $1.end }) else { return candidate }
                candidate = alignUp(clash.end, item.alignment)
            }
        }
        return nil
    }

    /// Checks a plan that was made elsewhere (or edited): every pair of placed/reserved ranges, naming both.
    public func verify() throws {
        let all = reserved.filter { $0.size > 0 } + placed
        for (i, a) in all.enumerated() {
            for b in all[(i + 1)...] where a.overlaps(b) {
                throw PlanError(message: "\(a.name) \(a.text) overlaps \(b.name) \(b.text)")
            }
        }
    }
}

func alignUp(_ v: UInt64, _ a: UInt64) -> UInt64 { (v &+ a &- 1) & ~(a &- 1) }
