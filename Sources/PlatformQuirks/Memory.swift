import DeviceTree
import XenArm

/// RAM and reserved memory as Xen's early scan reads them (catalog §5.2).
public struct MemoryAnalysis {
    public struct Reservation: Equatable {
        /// `/memreserve/` or the `/reserved-memory` child's path.
        public let source: String
        public let base: UInt64
        public let size: UInt64
        public let noMap: Bool
    }

    public let banks: [PhysicalRegion]
    public let reserved: [Reservation]
    public let findings: [Finding]

    public var reservedRegions: [PhysicalRegion] { reserved.map { PhysicalRegion(address: $0.base, size: $0.size) } }

    public static func analyze(_ tree: DeviceTree) -> MemoryAnalysis {
        var findings: [Finding] = []
        var banks: [PhysicalRegion] = []
        var memoryNodes = 0
        // Any node named memory or memory@..., at any depth; device_type is not checked. Xen reads `reg` raw.
        tree.forEachNode { node in
            guard node.name == "memory" || node.name.hasPrefix("memory@"), node.parent != nil else { return }
            memoryNodes += 1
            do {
                for e in try node.reg() {
                    guard let base = e.address.uint64, let size = e.size.uint64 else { continue }
                    if size > 0 { banks.append(PhysicalRegion(address: base, size: size)) }
                }
            } catch {
                findings.append(.blocker(.memoryReg, "\(error)"))
            }
        }
        banks.sort { $0.address < $1.address }
        if banks.isEmpty {
            if memoryNodes > 0 {
                findings.append(.warning(.memoryFilledByFirmware,
                                         "memory nodes have no non-empty bank (the bootloader is expected to fill them in): give the RAM window in the board file"))
            } else {
                findings.append(.warning(.memoryFromBootloader,
                                         "no memory node: the bootloader must add one, or give the RAM window in the board file (Xen panics with \"No memory bank\" otherwise)"))
            }
        }
        var reserved = tree.memoryReservations.map {
            Reservation(source: "/memreserve/", base: $0.address, size: $0.size, noMap: false)
        }
        if let rm = tree.root.child(named: "reserved-memory") {
            for child in rm.children {
                guard let regs = try? tree.physicalRegions(of: child) else {
                    findings.append(.warning(.reservedMemoryReg, "\(child.path): reg is unreadable; Xen ignores it"))
                    continue
                }
                for r in regs where r.size > 0 {
                    reserved.append(Reservation(source: child.path, base: r.address, size: r.size, noMap: child.hasProperty("no-map")))
                }
            }
        }
        for (i, a) in banks.enumerated() {
            for b in banks[(i + 1)...] where b.address < a.end {
                findings.append(.blocker(.memoryOverlap, "memory banks \(hex(a.address))+\(hex(a.size)) and \(hex(b.address))+\(hex(b.size)) overlap"))
            }
        }
        return MemoryAnalysis(banks: banks, reserved: reserved, findings: findings)
    }
}
