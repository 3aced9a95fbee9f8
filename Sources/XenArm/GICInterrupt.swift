import DeviceTree
import XenArm

/// Decodes a specifier aimed at an Arm GIC (bindings `arm,gic` and `arm,gic-v3`): the first cell is the type
/// (0 SPI, 1 PPI, 2 extended SPI, 3 extended PPI), the second the number within that type, the third the flags.
public struct GICInterrupt: Equatable, Sendable {
    public enum Kind: String, Sendable { case spi, ppi, extendedSPI, extendedPPI }
    public let kind: Kind
    /// Number as written in the tree (SPI 0 is the first SPI).
    public let number: UInt32
    /// GIC interrupt ID (INTID): SPI n is n+32, PPI n is n+16, extended SPI n is 4096+n, extended PPI n is 1056+n.
    public let intid: UInt32
    /// Trigger type bits (1 edge rising, 2 edge falling, 4 level high, 8 level low).
    public let trigger: UInt32

    /// Compatibles of GIC nodes whose specifiers use this encoding.
    public static func isGIC(_ node: Node) -> Bool {
        node.compatibles.contains { c in
            c.hasPrefix("arm,gic") || (c.hasPrefix("arm,cortex-a") && c.hasSuffix("-gic")) || c == "qcom,msm-qgic2"
        }
    }

    public init?(_ spec: InterruptSpecifier) {
        guard Self.isGIC(spec.controller), spec.cells.count >= 3 else { return nil }
        let n = spec.cells[1]
        let base: UInt32
        switch spec.cells[0] {
        case 0: (kind, base) = (.spi, 32)
        case 1: (kind, base) = (.ppi, 16)
        case 2: (kind, base) = (.extendedSPI, 4096)
        case 3: (kind, base) = (.extendedPPI, 1056)
        default: return nil
        }
        // A number whose INTID does not fit in 32 bits is no GIC interrupt (0xffffffff must not wrap to 31).
        let (id, wrapped) = n.addingReportingOverflow(base)
        guard !wrapped else { return nil }
        intid = id
        number = n
        trigger = spec.cells[2] & 0xf
    }
}
