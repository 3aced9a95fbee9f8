import Foundation

extension UARTDriverPort {
    /// The port of a shipped description (`UARTCatalog`) to the shipped layout of Xen `version`, made once per
    /// process: it depends on nothing else, and the console analysis of every board with that UART asks for it
    /// (rendering the driver each time was a fifth of `inspect --summary`). Nil when no layout or the port fails.
    static func shipped(_ uart: ResolvedUART, xen version: String) -> UARTDriverPort? {
        ShippedPorts.shared.port(uart, version: version)
    }
}

/// The memo behind `UARTDriverPort.shipped`, shared by the analysis threads of `inspect --summary`.
private final class ShippedPorts: @unchecked Sendable {
    static let shared = ShippedPorts()
    private let lock = NSLock()
    /// Keyed by Xen version and description name; a nil entry remembers that the port cannot be made.
    private var ports: [String: UARTDriverPort?] = [:]

    func port(_ uart: ResolvedUART, version: String) -> UARTDriverPort? {
        let key = version + "/" + uart.description.name
        lock.lock()
        defer { lock.unlock() }
        if let known = ports[key] { return known }
        let made = (try? XenLayout.shipped(version)).flatMap { try? UARTDriverPort(uart, layout: $0) }
        ports[key] = made
        return made
    }
}
