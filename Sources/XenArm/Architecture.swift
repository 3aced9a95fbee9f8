import DeviceTree
import Infrastructure

/// The Xen build a board needs: arm64 (AArch64 Xen) or arm32 (ARMv7 LPAE Xen). One type with Infrastructure's
/// table of per-architecture facts (Debian arch, mkimage, QEMU, cross GCC, U-Boot); what Xen means by it is here.
public typealias Architecture = TargetArchitecture

extension TargetArchitecture {
    /// Bits of MPIDR that identify a CPU (`MPIDR_HWID_MASK`): Aff3..Aff0 on arm64, Aff2..Aff0 on arm32.
    public var mpidrHWIDMask: UInt64 { self == .arm64 ? 0xff_00ff_ffff : 0xff_ffff }

    /// Width of a physical address Xen handles (`PADDR_BITS`): 48 on arm64, 40 on arm32 (LPAE). RAM, static
    /// memory and MMIO a board file gives must end at or below 2^bits.
    public var xenPhysicalAddressBits: Int { self == .arm64 ? 48 : 40 }

    /// 2^`xenPhysicalAddressBits`: the first address Xen cannot reach.
    public var xenPhysicalAddressLimit: UInt64 { 1 << UInt64(xenPhysicalAddressBits) }

    /// Infers the architecture from the tree: an ARMv8 (or later) timer or CPU core means arm64 Xen.
    /// ARMv8 SoCs described for 32-bit kernels are still reported as arm64, the natural Xen build for them.
    public static func infer(from tree: DeviceTree) -> Architecture {
        let v8 = tree.containsCompatible { c in armv8Compatibles.contains(c) || c.hasPrefix("arm,neoverse") || c.hasSuffix("-denver") }
        return v8 ? .arm64 : .arm32
    }

    static let armv8Compatibles: Set<String> = [
        "arm,armv8-timer", "arm,armv8", "arm,cortex-a32", "arm,cortex-a34", "arm,cortex-a35", "arm,cortex-a53",
        "arm,cortex-a55", "arm,cortex-a57", "arm,cortex-a65", "arm,cortex-a72", "arm,cortex-a73", "arm,cortex-a75",
        "arm,cortex-a76", "arm,cortex-a77", "arm,cortex-a78", "arm,cortex-x1", "apm,potenza", "cavium,thunder",
        "cavium,thunder2", "nvidia,denver", "nvidia,carmel", "qcom,kryo", "qcom,kryo260", "qcom,kryo280",
        "qcom,kryo385", "qcom,kryo468", "qcom,kryo485", "qcom,kryo560", "qcom,kryo570", "qcom,kryo660",
        "qcom,kryo685", "qcom,kryo780", "qcom,falkor", "brcm,brahma-b53", "brcm,vulcan", "marvell,thunderx2",
        "apple,icestorm", "apple,firestorm", "fujitsu,a64fx", "hisilicon,tsv110", "phytium,ftc662",
    ]
}

/// Page size Xen uses for MMIO mappings and alignment checks on Arm.
public let xenPageSize: UInt64 = 0x1000
