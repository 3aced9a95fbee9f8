import UARTDrivers

/// The generated console driver of a port: the `UARTDriverPort` of a shipped UART description for Xen 4.17's layout.
public enum GeneratedUART {
    /// Top-level file of `gen`'s output naming the description, so `xen --files` can apply the driver's edits to
    /// Xen's Kconfig, Makefile and Kconfig.debug.
    public static let markerPath = "xen-board-uart-driver.txt"

    public static func port(named name: String) throws -> UARTDriverPort {
        do {
            return try UARTDriverPort(try UARTCatalog.named(name), layout: try XenLayout.shipped("4.17"))
        } catch {
            throw PlatformSpecBuilder.GenError(description: "generated console driver '\(name)': \(error)")
        }
    }
}
