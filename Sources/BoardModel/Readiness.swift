import UARTDrivers

/// How far a board is from booting Xen 4.17, by whose console driver it needs (the `inspect --summary` categories).
public enum Readiness: String, Codable, Sendable, CaseIterable {
    /// No blocker, and Xen's own driver takes the console: Debian's Xen boots it.
    case xenDriver = "xen-driver"
    /// No blocker once xen-board adds the console's compatible to an existing Xen driver (Xen built from source).
    case compatibleAdded = "compatible-added"
    /// No blocker with the console driver xen-board generates (Xen built from source).
    case generatedDriver = "generated-driver"
    /// At least one blocker.
    case blocked

    public init(ready: Bool, console: ConsoleVerdict) {
        guard ready else { self = .blocked; return }
        switch console {
        case .compatibleAdded: self = .compatibleAdded
        case .generatedDriver: self = .generatedDriver
        case .supported, .registerCompatible, .unsupported: self = .xenDriver
        }
    }
}

extension BoardModel {
    public var readiness: Readiness { Readiness(ready: ready, console: console.verdict) }
}
