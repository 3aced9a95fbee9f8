import DeviceTree

/// The host-tree edit that makes Xen and Dom0 see the GIC as the parent of the interrupts a pass-through controller
/// (`PassThroughInterruptControllers`) forwards: every `interrupt-parent` naming the controller names its GIC,
/// devices that inherit the controller as their tree parent get an explicit `interrupt-parent`, and
/// `interrupts-extended` and `interrupt-map` entries aimed at it are re-pointed. The controller node itself is kept
/// as it is: its own parent already is the GIC, so Dom0's driver for it (irqchip and power domains) still works.
public struct PassThroughBypass: Equatable, Sendable {
    /// The pass-through controller's path.
    public let controller: String
    public let compatible: String
    /// The GIC it forwards to.
    public let gic: String
    /// Nodes whose properties now name the GIC.
    public let rewritten: [String]
    /// `interrupt-map` nodes left as they were (the GIC's `#address-cells` differs from the controller's, so an
    /// entry would change length); their interrupts still go through the controller.
    public let untouched: [String]

    /// Finds every pass-through controller in `tree` that something routes through, and re-points those users.
    /// Returns one entry per controller that had users.
    public static func apply(to tree: DeviceTree) throws -> [PassThroughBypass] {
        var pairs: [(Node, Node)] = []
        for n in PassThroughInterruptControllers.candidates(in: tree) {
            if let gic = tree.passThroughTarget(of: n) { pairs.append((n, gic)) }
        }
        var result: [PassThroughBypass] = []
        for (controller, gic) in pairs {
            let from = controller.phandle
            let to = try tree.ensurePhandle(gic)
            var rewritten: [String] = [], untouched: [String] = []
            if let from {
                try tree.forEachNode { node in
                    guard node !== controller else { return }
                    var changed = false
                    if node.property("interrupt-parent")?.u32 == from {
                        node.setProperty("interrupt-parent", .u32([to]))
                        changed = true
                    }
                    changed = try repointExtended(node, from: from, to: to, tree) || changed
                    switch try repointMap(node, from: from, to: to, controller: controller, gic: gic, tree) {
                    case .some(true): changed = true
                    case .some(false): untouched.append(node.path)
                    case .none: break
                    }
                    if changed { rewritten.append(node.path) }
                }
            }
            // Devices below the controller that inherit it as their tree parent.
            for node in controller.subtree where node !== controller && node.hasProperty("interrupts") && !node.hasProperty("interrupts-extended") {
                guard try tree.interruptParent(of: node) === controller else { continue }
                node.setProperty("interrupt-parent", .u32([to]))
                rewritten.append(node.path)
            }
            guard !rewritten.isEmpty || !untouched.isEmpty else { continue }
            result.append(PassThroughBypass(controller: controller.path, compatible: controller.compatibles.first ?? "",
                                            gic: gic.path, rewritten: rewritten, untouched: untouched))
        }
        return result
    }

    /// `interrupts-extended`: each (phandle, specifier) aimed at the controller is aimed at the GIC instead.
    private static func repointExtended(_ node: Node, from: UInt32, to: UInt32, _ tree: DeviceTree) throws -> Bool {
        guard let p = node.property("interrupts-extended") else { return false }
        guard var cells = p.cells else {
            throw DeviceTreeError(node, property: p.name, "length \(p.value.count) is not a multiple of 4")
        }
        let phandles = tree.phandleTable()
        var i = 0, changed = false
        while i < cells.count {
            guard let target = phandles[cells[i]], let n = target.interruptCells, i + 1 + n <= cells.count else {
                throw DeviceTreeError(node, property: p.name, "entry at cell \(i) names no interrupt controller or is truncated")
            }
            if cells[i] == from, PassThroughInterruptController.passes(Array(cells[(i + 1)..<(i + 1 + n)])) {
                cells[i] = to
                changed = true
            }
            i += 1 + n
        }
        if changed { node.setProperty("interrupts-extended", .u32(cells)) }
        return changed
    }

    /// `interrupt-map`: entries whose parent is the controller get the GIC instead, when both take the same number of
    /// parent unit-address cells (nil: no map or no entry for the controller; false: entries left as they were).
    private static func repointMap(_ node: Node, from: UInt32, to: UInt32, controller: Node, gic: Node,
                                   _ tree: DeviceTree) throws -> Bool? {
        guard let p = node.property("interrupt-map") else { return nil }
        guard var cells = p.cells else { throw DeviceTreeError(node, property: p.name, "length \(p.value.count) is not a multiple of 4") }
        let phandles = tree.phandleTable()
        let childCells = node.childAddressCells + (node.interruptCells ?? 0)
        func addressCells(_ n: Node) -> Int { n.property("#address-cells")?.u32.map(Int.init) ?? 0 }
        var i = 0, found = false
        while i < cells.count {
            let at = i + childCells
            guard at < cells.count, let parent = phandles[cells[at]], let pInt = parent.interruptCells else {
                throw DeviceTreeError(node, property: p.name, "entry at cell \(i) names no interrupt controller or is truncated")
            }
            if cells[at] == from { found = true; cells[at] = to }
            i = at + 1 + addressCells(parent) + pInt
        }
        guard found else { return nil }
        guard addressCells(controller) == addressCells(gic) else { return false }
        node.setProperty("interrupt-map", .u32(cells))
        return true
    }

    /// What `inspect` says about the pass-through controllers a tree routes interrupts through (a warning each).
    public static func findings(_ tree: DeviceTree) -> [Finding] {
        var out: [Finding] = []
        for controller in PassThroughInterruptControllers.candidates(in: tree) {
            guard let gic = tree.passThroughTarget(of: controller), let ph = controller.phandle else { continue }
            var users: [String] = []
            tree.forEachNode { n in
                if n !== controller, n.property("interrupt-parent")?.u32 == ph { users.append(n.path) }
            }
            guard !users.isEmpty else { continue }
            let shown = users.prefix(4).joined(separator: ", ") + (users.count > 4 ? " and \(users.count - 4) more" : "")
            out.append(.warning(.interruptsThroughPassThroughController,
                                "\(shown) take interrupts through \(controller.path) (\(controller.compatibles.first ?? "")), which passes GIC specifiers unchanged; Xen 4.17 routes only interrupts whose controller is the GIC: `build` points them at \(gic.path) and keeps the controller for Dom0"))
        }
        return out
    }
}
