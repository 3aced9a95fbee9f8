import DeviceTree
import XenArm

/// The architected timer as Xen's `preinit_xen_time` reads it (catalog §5.5).
public struct TimerAnalysis {
    public let path: String?
    public let compatible: [String]
    /// INTIDs in the order Xen needs: secure physical, non-secure physical, virtual, hypervisor.
    public let interrupts: [UInt32]
    public let clockFrequency: UInt32?
    public let findings: [Finding]

    public static let compatibles = ["arm,armv7-timer", "arm,armv8-timer"]

    public static func analyze(_ tree: DeviceTree) -> TimerAnalysis {
        var node: Node?
        tree.forEachNode { n in
            if node == nil, n.compatibles.contains(where: compatibles.contains) { node = n }
        }
        guard let node else {
            return TimerAnalysis(path: nil, compatible: [], interrupts: [], clockFrequency: nil,
                                 findings: [.blocker(.timerMissing, "no arm,armv7-timer / arm,armv8-timer node: Xen panics (\"Unable to find a compatible timer\")")])
        }
        var findings: [Finding] = []
        let ints = ((try? tree.routedInterrupts(of: node)) ?? []).map { GICInterrupt($0)?.intid }
        let intids = ints.compactMap { $0 }
        if ints.count < 4 || intids.count < 4 {
            findings.append(.blocker(.timerInterrupts, "\(node.path): Xen needs 4 GIC interrupts (secure, non-secure, virtual, hypervisor), found \(intids.count)"))
        }
        let freq = node.property("clock-frequency")?.u32
        if freq != nil {
            findings.append(.warning(.timerClockFrequency, "\(node.path) sets clock-frequency: Xen uses it instead of CNTFRQ (firmware should program CNTFRQ instead)"))
        }
        return TimerAnalysis(path: node.path, compatible: node.compatibles, interrupts: intids, clockFrequency: freq, findings: findings)
    }
}
