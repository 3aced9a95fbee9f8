/// GIC, timer, memory, IOMMU, Xen built-in platforms and their quirks.
/// Filled by the board-analysis work (`xen-board inspect`).
public enum PlatformQuirks {}
