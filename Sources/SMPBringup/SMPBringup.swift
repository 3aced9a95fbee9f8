/// Secondary-CPU bring-up as Xen sees it: /cpus, PSCI, spin-table and platform SMP hooks.
/// Filled by the board-analysis work (`xen-board inspect`).
public enum SMPBringup {}
