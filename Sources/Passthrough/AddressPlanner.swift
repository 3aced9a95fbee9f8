import DeviceTree
import XenArm

/// Chooses guest addresses for the page-aligned host ranges of every passed device (rules 17-19).
struct AddressPlanner {
    let policy: GuestAddressPolicy

    /// Page-aligned, merged `[start, end)` ranges covering `regions`.
    static func pageRanges(_ regions: [PhysicalRegion]) -> [(UInt64, UInt64)] {
        let aligned = regions.filter { $0.size > 0 }
            .map { (alignDown($0.address, xenPageSize), alignUp($0.address &+ $0.size, xenPageSize)) }
            .sorted { $0.0 < $1.0 }
        var merged: [(UInt64, UInt64)] = []
        for r in aligned {
            if let last = merged.last, r.0 <= last.1 {
                merged[merged.count - 1].1 = max(last.1, r.1)
            } else {
                merged.append(r)
            }
        }
        return merged
    }

    /// Guest ranges for each device's page ranges, same shape as `ranges`. 1:1 first; relocation (policy
    /// `.auto`) packs the rest into holes below guest RAM, keeping the host alignment up to 2 MiB.
    func plan(_ devices: [(path: String, ranges: [(UInt64, UInt64)])]) throws -> (guest: [[UInt64]], relocated: [String]) {
        var guest: [[UInt64?]] = devices.map { $0.ranges.map { _ in nil } }
        var used: [(UInt64, UInt64)] = []
        var pending: [(Int, Int)] = []
        for (d, device) in devices.enumerated() {
            for (i, r) in device.ranges.enumerated() {
                if let c = GuestMemoryMap.conflict(r.0, r.1 - r.0) {
                    if policy == .identity {
                        throw PassthroughError.identityUnsafe(path: device.path, address: r.0, size: r.1 - r.0, conflict: c.name)
                    }
                    pending.append((d, i))
                } else {
                    guest[d][i] = r.0
                    used.append((r.0, r.1 - r.0))
                }
            }
        }
        var relocated: [String] = []
        for (d, i) in pending {
            let r = devices[d].ranges[i]
            let size = r.1 - r.0
            let lowBit = r.0 == 0 ? UInt64(0x20_0000) : (r.0 & (~r.0 &+ 1))
            let alignment = max(xenPageSize, min(lowBit, 0x20_0000))
            guard let at = GuestMemoryMap.findHole(size: size, alignment: alignment, avoiding: used) else {
                throw PassthroughError.noGuestSpace(path: devices[d].path, size: size)
            }
            guest[d][i] = at
            used.append((at, size))
            let why = GuestMemoryMap.conflict(r.0, size)?.name ?? "Xen's guest memory map"
            relocated.append("\(devices[d].path): host \(hex(r.0)) (+\(hex(size))) relocated to guest \(hex(at)); 1:1 would overlap \(why)")
        }
        return (guest.map { $0.map { $0 ?? 0 } }, relocated)
    }
}
