import DeviceTree

/// Which properties hold phandles, and how their values are laid out: a list of `<phandle specifier...>` whose
/// specifier length is the target's `#...-cells`, or a plain list of phandles.
enum PhandleLayout: Equatable {
    /// `<&target cells...>...`, the cell count read from the target's property of this name.
    case specifiers(cellsProperty: String)
    /// `<&a &b ...>`.
    case phandles
}

enum PhandleProperties {
    static let specifierProperties: [String: String] = [
        "clocks": "#clock-cells", "assigned-clocks": "#clock-cells", "assigned-clock-parents": "#clock-cells",
        "resets": "#reset-cells", "power-domains": "#power-domain-cells", "iommus": "#iommu-cells",
        "phys": "#phy-cells", "dmas": "#dma-cells", "mboxes": "#mbox-cells", "pwms": "#pwm-cells",
        "io-channels": "#io-channel-cells", "thermal-sensors": "#thermal-sensor-cells",
        "interconnects": "#interconnect-cells", "hwlocks": "#hwlock-cells", "sound-dai": "#sound-dai-cells",
        "access-controllers": "#access-controller-cells", "nvmem-cells": "#nvmem-cell-cells",
    ]

    static let phandleProperties: Set<String> = [
        "phy-handle", "memory-region", "operating-points-v2", "sram", "msi-parent", "remote-endpoint", "cpu",
        "cpus", "mdio-parent-bus", "ethernet", "ranges-parent", "nvmem", "syscon", "iommu-parent",
    ]

    /// The layout of a host property, or nil when it holds no phandle xen-board knows of. Vendor properties
    /// (`vendor,name`) count as phandles when their first cell is a phandle of a syscon/controller-like node.
    static func layout(of property: Property, phandles: [UInt32: Node]) -> PhandleLayout? {
        let name = property.name
        if let cells = specifierProperties[name] { return .specifiers(cellsProperty: cells) }
        if name == "gpios" || name.hasSuffix("-gpios") || name.hasSuffix("-gpio") { return .specifiers(cellsProperty: "#gpio-cells") }
        if phandleProperties.contains(name) || isPinctrlState(name) { return .phandles }
        if name.contains(","), !name.hasPrefix("xen,"), !name.hasPrefix("linux,"), let first = property.cells?.first,
           let target = phandles[first] {
            let lower = name.lowercased()
            let looksLikeReference = ["syscon", "grf", "pmu", "phandle", "sram", "regmap", "mbox", "iommu", "smmu"]
                .contains { lower.contains($0) }
            if looksLikeReference || target.compatibles.contains(where: { $0.contains("syscon") }) { return .phandles }
        }
        return nil
    }

    /// `pinctrl-0`, `pinctrl-1`, ...
    static func isPinctrlState(_ name: String) -> Bool {
        guard name.hasPrefix("pinctrl-") else { return false }
        let rest = name.dropFirst("pinctrl-".count)
        return !rest.isEmpty && rest.allSatisfy(\.isNumber)
    }

    /// The `*-names` property that goes with `name`, if it has one (`clock-names` for `clocks`).
    static func namesProperty(for name: String) -> String? {
        switch name {
        case "clocks": return "clock-names"
        case "resets": return "reset-names"
        case "power-domains": return "power-domain-names"
        case "dmas": return "dma-names"
        case "phys": return "phy-names"
        case "mboxes": return "mbox-names"
        case "pwms": return "pwm-names"
        case "io-channels": return "io-channel-names"
        case "interconnects": return "interconnect-names"
        case "nvmem-cells": return "nvmem-cell-names"
        default: return nil
        }
    }

    /// One `<&target cells...>` entry.
    struct Reference {
        let phandle: UInt32
        let target: Node?
        /// Cell index of the phandle within the property.
        let index: Int
        let specifier: [UInt32]
    }

    /// Splits a property into references. Throws naming node and property on truncation or a target without its
    /// `#...-cells`; a phandle that matches no node gives a reference with `target == nil` (and stops parsing
    /// specifiers, whose length is then unknown).
    static func references(_ property: Property, layout: PhandleLayout, of node: Node,
                           phandles: [UInt32: Node]) throws -> [Reference] {
        guard let cells = property.cells else {
            throw PassthroughError.badProperty(path: node.path, property: property.name,
                                               expected: "a list of 32-bit cells (phandles), got \(property.value.count) bytes")
        }
        var out: [Reference] = []
        var i = 0
        while i < cells.count {
            let ph = cells[i]
            let target = phandles[ph]
            switch layout {
            case .phandles:
                out.append(Reference(phandle: ph, target: target, index: i, specifier: []))
                i += 1
            case .specifiers(let cellsProperty):
                guard let target else {
                    if ph == 0 { i += 1; continue } // an empty slot (e.g. `<0>` in a gpio list)
                    out.append(Reference(phandle: ph, target: nil, index: i, specifier: []))
                    return out
                }
                let n = target.property(cellsProperty)?.u32.map(Int.init) ?? 0
                guard i + 1 + n <= cells.count else {
                    throw PassthroughError.badProperty(path: node.path, property: property.name,
                                                       expected: "\(n) specifier cells after phandle 0x\(String(ph, radix: 16)) (\(target.path)'s \(cellsProperty)), only \(cells.count - i - 1) left")
                }
                out.append(Reference(phandle: ph, target: target, index: i, specifier: Array(cells[(i + 1)..<(i + 1 + n)])))
                i += 1 + n
            }
        }
        return out
    }
}
