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

extension DeviceTree {
    /// `reg` of `node` translated through every `ranges` up to the root.
    public func physicalRegions(of node: Node, cache: RangesCache? = nil) throws -> [PhysicalRegion] {
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
}
