import DeviceTree

/// Why `Passthrough.extract` refused. Every case names the node (host path) and, where it applies, the property
/// and what was expected, so the message can be shown to a user as is.
public enum PassthroughError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The argument is neither an absolute path nor an alias (with optional sub-path) that resolves in the host tree.
    case noSuchDevice(String)
    /// The same host node was named twice (e.g. by path and by alias).
    case duplicateDevice(path: String)
    /// The node cannot be passed through: the root, a bus, a node with neither `reg` nor `interrupts`, memory, CPUs.
    case notADevice(path: String, reason: String)
    /// The node is Xen's console UART ("IRQ N is already used by Xen").
    case xenConsole(path: String)
    /// The node is something Xen itself drives (the GIC, an IOMMU).
    case ownedByXen(path: String, what: String)
    /// An interrupt is a PPI ("IRQ can only be routed to an SPI").
    case ppi(path: String, intid: UInt32)
    /// An interrupt Xen 4.17 cannot route to a guest (extended SPI/PPI range, or SPI 0 which vpl011 uses).
    case unroutableInterrupt(path: String, intid: UInt32, reason: String)
    /// A 4 KiB page of the device also holds a device that stays in Dom0 (or another passed device).
    case sharedPage(path: String, page: UInt64, other: String)
    /// An interrupt of the device is also used by a device that stays in Dom0.
    case sharedIRQ(path: String, intid: UInt32, other: String)
    /// `--guest-addr 1:1` was asked but a host range overlaps Xen 4.17's guest memory map.
    case identityUnsafe(path: String, address: UInt64, size: UInt64, conflict: String)
    /// No free guest-physical hole was large enough to relocate a range.
    case noGuestSpace(path: String, size: UInt64)
    /// The encoded partial tree does not fit Xen 4.17's 4 KiB guest device tree buffer.
    case overBudget(bytes: Int, limit: Int)
    /// A host property could not be used: names node, property and what was expected.
    case badProperty(path: String, property: String?, expected: String)

    public var description: String {
        switch self {
        case .noSuchDevice(let s):
            return "\(s): no such node or alias in the host tree"
        case .duplicateDevice(let p):
            return "\(p): named more than once"
        case .notADevice(let p, let r):
            return "\(p): not a device that can be passed through (\(r))"
        case .xenConsole(let p):
            return "\(p): is Xen's console UART; Xen keeps it (\"IRQ is already used by Xen\")"
        case .ownedByXen(let p, let w):
            return "\(p): is \(w), which Xen itself drives"
        case .ppi(let p, let i):
            return "\(p): interrupt INTID \(i) is a PPI; Xen 4.17 routes only SPIs to guests (\"IRQ can only be routed to an SPI\")"
        case .unroutableInterrupt(let p, let i, let r):
            return "\(p): interrupt INTID \(i) cannot be given to a guest: \(r)"
        case .sharedPage(let p, let page, let o):
            return "\(p): its 4 KiB page 0x\(String(page, radix: 16)) is shared with \(o), which stays in Dom0 (use --allow-shared to pass it anyway)"
        case .sharedIRQ(let p, let i, let o):
            return "\(p): interrupt INTID \(i) is shared with \(o), which stays in Dom0; Xen cannot split a shared IRQ between domains"
        case .identityUnsafe(let p, let a, let s, let c):
            return "\(p): 1:1 guest address 0x\(String(a, radix: 16)) (+0x\(String(s, radix: 16))) is unsafe: it overlaps \(c) in Xen 4.17's guest memory map (use --guest-addr auto)"
        case .noGuestSpace(let p, let s):
            return "\(p): no free guest-physical hole of 0x\(String(s, radix: 16)) bytes below guest RAM"
        case .overBudget(let b, let l):
            return "partial device tree is \(b) bytes; Xen 4.17 builds each guest DT in a \(l)-byte buffer (\"Device tree generation failed (-3)\")"
        case .badProperty(let p, let prop, let e):
            return "\(p)\(prop.map { ": property '\($0)'" } ?? ""): expected \(e)"
        }
    }

    /// Wraps a DeviceTree library error (bad cells, unresolved phandles) with its node and property.
    static func from(_ error: Error, node: Node, property: String? = nil) -> PassthroughError {
        if let e = error as? PassthroughError { return e }
        if let e = error as? DeviceTreeError {
            return .badProperty(path: e.path, property: e.property ?? property, expected: e.detail)
        }
        return .badProperty(path: node.path, property: property, expected: "\(error)")
    }
}
