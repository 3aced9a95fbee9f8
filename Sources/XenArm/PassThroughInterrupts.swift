import DeviceTree
import XenArm

/// An interrupt controller that hands GIC specifiers to its own interrupt parent unchanged: a wake-up or power
/// controller stacked on the GIC, for which Linux builds a hierarchical irq domain whose `alloc` copies the
/// specifier to the parent domain. Xen 4.17 routes only interrupts whose controller is the primary GIC, so the
/// interrupts behind such a controller are lost to Xen and to Dom0 until the tree names the GIC directly
/// (on i.MX7D, Dom0 then hangs without timer interrupts). Data, each entry with the source it was read from.
public struct PassThroughInterruptController: Sendable, Equatable {
    public let compatibles: [String]
    /// Where the behaviour was read (driver and function).
    public let source: String

    /// What these drivers accept (and forward): 3-cell GIC SPI specifiers only ("No PPI should point to this domain").
    public static func passes(_ cells: [UInt32]) -> Bool { cells.count == 3 && cells[0] == 0 }
}

public enum PassThroughInterruptControllers {
    public static let catalog: [PassThroughInterruptController] = [
        .init(compatibles: ["fsl,imx6q-gpc"],
              source: "Linux drivers/irqchip/irq-imx-gpc.c: imx_gpc_domain_alloc takes 3-cell SPIs and passes parent_fwspec = *fwspec to the GIC"),
        .init(compatibles: ["fsl,imx7d-gpc", "fsl,imx8mq-gpc", "fsl,imx8mm-gpc"],
              source: "Linux drivers/irqchip/irq-imx-gpcv2.c: imx_gpcv2_domain_alloc passes parent_fwspec = *fwspec to the GIC"),
        .init(compatibles: ["nvidia,tegra20-ictlr", "nvidia,tegra30-ictlr", "nvidia,tegra210-ictlr"],
              source: "Linux drivers/irqchip/irq-tegra.c: tegra_ictlr_domain_alloc takes 3-cell SPIs and passes parent_fwspec = *fwspec to the GIC"),
    ]

    /// The nodes that may be pass-through controllers (a catalog compatible), in pre-order, from the tree's index.
    public static func candidates(in tree: DeviceTree) -> [Node] {
        tree.nodes(compatibleWithAnyOf: catalog.flatMap(\.compatibles))
    }

    /// The catalog entry for an interrupt-controller node, if it is a pass-through controller.
    public static func entry(for node: Node) -> PassThroughInterruptController? {
        guard node.isInterruptController else { return nil }
        return catalog.first { e in node.compatibles.contains(where: e.compatibles.contains) }
    }
}

extension DeviceTree {
    /// The GIC a pass-through controller forwards to (its own interrupt parent); nil for any other node, or when the
    /// parent is not a GIC with the same 3-cell specifiers.
    public func passThroughTarget(of controller: Node) -> Node? {
        guard PassThroughInterruptControllers.entry(for: controller) != nil, controller.interruptCells == 3,
              let parent = try? interruptParent(of: controller), parent !== controller,
              GICInterrupt.isGIC(parent), parent.interruptCells == 3 else { return nil }
        return parent
    }

    /// `spec` as the GIC receives it: a specifier aimed at a pass-through controller goes to that controller's GIC.
    public func routed(_ spec: InterruptSpecifier) -> InterruptSpecifier {
        guard PassThroughInterruptController.passes(spec.cells), let gic = passThroughTarget(of: spec.controller) else { return spec }
        return InterruptSpecifier(controller: gic, cells: spec.cells)
    }

    /// Every interrupt of `node` as the GIC receives it (pass-through controllers skipped).
    public func routedInterrupts(of node: Node) throws -> [InterruptSpecifier] {
        try interrupts(of: node).map(routed)
    }
}
