/// What the memory plan places, typed: the manifest, /chosen, boot.scr, the FIT image and QEMU's loader all
/// refer to the same item by this key (its `name` is the plan's and the manifest's module name).
enum PlanItem: Hashable, Sendable {
    case xen, dtb, kernel, initrd
    case guestKernel(String), guestInitrd(String), guestDTB(String)

    var name: String {
        switch self {
        case .xen: return "xen"
        case .dtb: return "dtb"
        case .kernel: return "kernel"
        case .initrd: return "initrd"
        case .guestKernel(let g): return "kernel-\(g)"
        case .guestInitrd(let g): return "initrd-\(g)"
        case .guestDTB(let g): return "dtb-\(g)"
        }
    }
}

extension LoadItem {
    init(_ item: PlanItem, size: UInt64, alignment: UInt64, maxSize: UInt64? = nil) {
        self.init(name: item.name, size: size, alignment: alignment, maxSize: maxSize)
    }
}

extension MemoryPlan {
    /// Where `item` was placed; nil when it was not part of the plan (e.g. QEMU's loader places Xen itself).
    subscript(_ item: PlanItem) -> MemoryRange? { placed.first { $0.name == item.name } }

    /// The address of an item that must have been planned.
    func address(of item: PlanItem) throws -> UInt64 {
        guard let r = self[item] else { throw Builder.BuildError("internal: \(item.name) has no place in the memory plan") }
        return r.base
    }
}
