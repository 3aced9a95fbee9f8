import DeviceTree
import XenArm

extension ConsoleAnalysis {
    /// What inspect says of a console whose compatible xen-board adds to an existing driver's `dt_match`.
    static func compatibleAddedDetail(_ v: RegisterCompatibleVariant, driver d: XenUARTDriver, compatible c: String,
                                      version: XenVersion) -> String {
        var text = "no Xen \(version) driver matches \"\(c)\", but its registers are \(d.name)'s (as \"\(v.sameAs)\"): xen-board adds it to \(v.file)'s dt_match (variant \"\(v.name)\")"
        if !v.kconfig.isEmpty { text += " and changes Kconfig (\(v.kconfig.map(\.why).joined(separator: "; ")))" }
        return text
    }

    /// What the driver needs of the node beyond a matching compatible (`compatible`: the one the driver's code sees
    /// it as): text to append to the detail, and a blocker per unmet requirement.
    static func requirements(of d: XenUARTDriver, compatible c: String, node: Node, regIoWidth: Int?) -> (detail: String, blockers: [Finding]) {
        var detail = "", blockers: [Finding] = []
        for p in d.requiredProperties where !node.hasProperty(p) {
            detail += "; but '\(p)' is missing and the driver's init fails without it"
            blockers.append(.blocker(.consoleMissingProperty, "console \(node.path): Xen's \(d.name) driver requires '\(p)'"))
        }
        if d.name == "ns16550", let w = regIoWidth, w != 1 && w != 4, c != "brcm,bcm2835-aux-uart" {
            detail += "; but reg-io-width = \(w) (Xen accepts only 1 or 4)"
            blockers.append(.blocker(.consoleRegIoWidth, "console \(node.path): reg-io-width \(w), Xen's ns16550 accepts only 1 or 4"))
        }
        return (detail, blockers)
    }
}
