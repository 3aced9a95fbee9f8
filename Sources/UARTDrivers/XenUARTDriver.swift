import Infrastructure
import XenArm

/// How a driver's early-printk code finds its register stride.
public enum EarlyRegShift: Sendable, Equatable {
    /// No stride setting (fixed register layout).
    case none
    /// `EARLY_UART_8250_REG_SHIFT` from the node's `reg-shift`.
    case fromDeviceTree
    /// `EARLY_UART_8250_REG_SHIFT` fixed by the hardware (OMAP, bcm2835 aux).
    case fixed(Int)
}

/// Early printk support for a driver (xen/arch/arm/Kconfig.debug).
public struct EarlyPrintkSupport: Sendable, Equatable {
    /// The `choice` entry, e.g. `EARLY_UART_CHOICE_PL011`.
    public let choice: String
    public let architectures: Set<Architecture>
    public let regShift: EarlyRegShift
    /// Extra Kconfig lines some variants need (e.g. SCIFA).
    public let extraLines: [String]

    public init(choice: String, architectures: Set<Architecture> = [.arm64, .arm32], regShift: EarlyRegShift = .none,
                extraLines: [String] = []) {
        self.choice = choice
        self.architectures = architectures
        self.regShift = regShift
        self.extraLines = extraLines
    }
}

/// One Xen 4.17 DT UART driver (drivers/char/*.c, `DT_DEVICE_START(..., DEVICE_SERIAL)`).
public struct XenUARTDriver: Sendable, Equatable {
    public let name: String
    public let source: String
    public let kconfig: String
    public let architectures: Set<Architecture>
    /// `dt_match` compatibles, in the driver's order.
    public let compatibles: [String]
    /// Properties `init` fails without.
    public let requiredProperties: [String]
    /// Early printk per matching compatible (a few compatibles need a different setting).
    public let earlyPrintk: [String: EarlyPrintkSupport]
    /// Fixed `reg-shift` / `reg-io-width` the driver uses regardless of the tree (nil: read from the tree).
    public let fixedRegShift: Int?
    public let fixedRegIoWidth: Int?

    public func supports(_ arch: Architecture) -> Bool { architectures.contains(arch) }
}
