/// The CPU architectures xen-board builds for, and every per-architecture fact the tools need, in one table:
/// Debian's architecture name, mkimage's `-A`, the QEMU binary, Debian's cross toolchain, Xen's
/// `XEN_TARGET_ARCH` and the U-Boot build for QEMU's virt machine. Raw values are the board-file vocabulary.
public enum TargetArchitecture: String, Codable, Sendable, CaseIterable {
    case arm64, arm32

    /// One row of the table.
    public struct Facts: Sendable, Equatable {
        /// Debian's architecture whose packages carry images for this one (`dpkg --print-architecture` names).
        public let debian: String
        /// `mkimage -A` (U-Boot's name for the architecture).
        public let mkimage: String
        /// The QEMU system emulator.
        public let qemu: String
        /// Debian's cross GCC: the `CROSS_COMPILE` prefix and the package that installs it.
        public let crossPrefix: String
        public let crossPackage: String
        /// Xen's `XEN_TARGET_ARCH`.
        public let xenTargetArch: String
        /// U-Boot for QEMU's virt machine, from Debian's u-boot-qemu.
        public let ubootQEMU: String
        /// ELF `e_machine` of executables: EM_AARCH64 (183) or EM_ARM (40).
        public let elfMachine: UInt16
    }

    /// This architecture's row of the table.
    public var facts: Facts {
        switch self {
        case .arm64:
            Facts(debian: "arm64", mkimage: "arm64", qemu: "qemu-system-aarch64", crossPrefix: "aarch64-linux-gnu-",
                  crossPackage: "gcc-aarch64-linux-gnu", xenTargetArch: "arm64",
                  ubootQEMU: "/usr/lib/u-boot/qemu_arm64/u-boot.bin", elfMachine: 183)
        case .arm32:
            Facts(debian: "armhf", mkimage: "arm", qemu: "qemu-system-arm", crossPrefix: "arm-linux-gnueabihf-",
                  crossPackage: "gcc-arm-linux-gnueabihf", xenTargetArch: "arm32",
                  ubootQEMU: "/usr/lib/u-boot/qemu_arm/u-boot.bin", elfMachine: 40)
        }
    }

    public var debianArchitecture: String { facts.debian }
    public var mkimageArchitecture: String { facts.mkimage }
    public var qemuBinary: String { facts.qemu }
    public var crossCompiler: String { facts.crossPrefix + "gcc" }
    public var elfMachine: UInt16 { facts.elfMachine }

    /// Accepts the board names (`arm64`, `arm32`), Debian's (`armhf`) and the common aliases `aarch64`, `arm`, `armv7`.
    public init?(name: String) {
        switch name.lowercased() {
        case "arm64", "aarch64": self = .arm64
        case "arm32", "armhf", "arm", "armv7": self = .arm32
        default: return nil
        }
    }
}
