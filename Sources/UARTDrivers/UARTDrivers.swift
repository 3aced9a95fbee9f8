/// Console UARTs and the Xen drivers for them: catalog, console selection, early printk.
/// The catalog and selection logic arrive with the board-analysis work (`xen-board inspect`).
public enum UARTDrivers {}
