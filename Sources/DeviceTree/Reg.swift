/// `reg`: (address, size) pairs in the parent bus's address space.
public struct RegEntry: Equatable, Sendable {
    public let address: CellNumber
    public let size: CellNumber
    public init(address: CellNumber, size: CellNumber) {
        self.address = address
        self.size = size
    }
}

/// A `reg` entry translated to a CPU physical address.
public struct PhysicalRegion: Equatable, Sendable {
    public let address: UInt64
    public let size: UInt64
    public var end: UInt64 { address &+ size }
    public init(address: UInt64, size: UInt64) {
        self.address = address
        self.size = size
    }
}

extension Node {
    /// Decodes `reg` with the parent's cell counts. Empty when there is no `reg`.
    public func reg() throws -> [RegEntry] {
        guard let p = property("reg") else { return [] }
        let (a, s) = regCells
        guard (1...4).contains(a), (0...4).contains(s) else {
            throw DeviceTreeError(parent ?? self, property: "#address-cells",
                                  "unusable cell counts #address-cells=\(a) #size-cells=\(s) for 'reg' of \(path)")
        }
        return try p.records([a, s], in: self).map { RegEntry(address: $0[0], size: $0[1]) }
    }
}

extension Node {
    /// `reg` read straight into bus addresses and 64-bit sizes (what `reg()` gives, without a cell array per
    /// number); nil when `reg()` would throw or a size does not fit in 64 bits, so that the caller takes the
    /// path that reports it.
    func regAddresses(cache: RangesCache? = nil) -> [(address: BusAddress, size: UInt64)]? {
        guard let p = property("reg") else { return [] }
        let (a, s) = cache.map { $0.regCells(onBus: parent ?? self) } ?? regCells
        guard (1...4).contains(a), (0...4).contains(s), p.value.count % (4 * (a + s)) == 0 else { return nil }
        return p.value.withUnsafeBufferPointer { bytes -> [(address: BusAddress, size: UInt64)]? in
            func cell(_ i: Int) -> UInt32 {
                UInt32(bytes[4 * i]) << 24 | UInt32(bytes[4 * i + 1]) << 16 | UInt32(bytes[4 * i + 2]) << 8 | UInt32(bytes[4 * i + 3])
            }
            /// Cells `from..<from+n`: the ones above the last two, and the last two (or one) as a number.
            func number(_ from: Int, _ n: Int) -> (high: [UInt32], low: UInt64) {
                let highCount = max(0, n - 2)
                let high = (0..<highCount).map { cell(from + $0) }
                var low: UInt64 = 0
                for i in (from + highCount)..<(from + n) { low = low << 32 | UInt64(cell(i)) }
                return (high, low)
            }
            var out: [(address: BusAddress, size: UInt64)] = []
            var i = 0
            while 4 * i < bytes.count {
                let addr = number(i, a), size = number(i + a, s)
                guard size.high.allSatisfy({ $0 == 0 }) else { return nil }
                out.append((BusAddress(high: addr.high, low: addr.low, count: a), size.low))
                i += a + s
            }
            return out
        }
    }
}

extension DeviceTree {
    /// `reg` of `node` translated through every `ranges` up to the root.
    public func physicalRegions(of node: Node, cache: RangesCache? = nil) throws -> [PhysicalRegion] {
        guard let entries = node.regAddresses(cache: cache) else { return try checkedPhysicalRegions(of: node, cache: cache) }
        return try entries.map { entry in
            let address = try translateToCPU(entry.address, onBusOf: node, cache: cache)
            guard !address.addingReportingOverflow(entry.size).overflow else {
                throw DeviceTreeError(node, property: "reg", "region 0x\(String(address, radix: 16)) + 0x\(String(entry.size, radix: 16)) wraps past 2^64")
            }
            return PhysicalRegion(address: address, size: entry.size)
        }
    }

    /// `physicalRegions` through `reg()`, for the `reg` values `regAddresses` leaves to it (they end in an error).
    private func checkedPhysicalRegions(of node: Node, cache: RangesCache?) throws -> [PhysicalRegion] {
        try node.reg().map { entry in
            let address = try translateToCPU(entry.address, onBusOf: node, cache: cache)
            guard let size = entry.size.uint64 else {
                throw DeviceTreeError(node, property: "reg", "size \(entry.size) does not fit in 64 bits")
            }
            guard !address.addingReportingOverflow(size).overflow else {
                throw DeviceTreeError(node, property: "reg", "region 0x\(String(address, radix: 16)) + 0x\(String(size, radix: 16)) wraps past 2^64")
            }
            return PhysicalRegion(address: address, size: size)
        }
    }
}

extension DeviceTree {
    /// True when every bus between `node` and the root has `ranges`, i.e. `reg` can have a CPU address. A cheap
    /// test before `physicalRegions` for scans over every node (no error is built for I2C/SPI/MDIO children).
    public func isCPUAddressable(_ node: Node) -> Bool {
        var bus = node.parent
        while let b = bus, b.parent != nil {
            guard b.hasProperty("ranges") else { return false }
            bus = b.parent
        }
        return true
    }

    /// `isCPUAddressable(node)`, kept per bus in `cache` (siblings share the answer; the scan asks for every node).
    public func isCPUAddressable(_ node: Node, cache: RangesCache) -> Bool {
        guard let parent = node.parent else { return true }
        return cache.addressable(parent) { isCPUAddressable(node) }
    }
}
