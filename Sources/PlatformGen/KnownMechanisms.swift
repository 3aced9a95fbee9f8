/// SoC mechanisms recognised in a device tree, for boards whose tree says *where* a block is but not how Xen
/// should use it (catalog §1.3). Data: a compatible, and offsets from that node's first `reg` region.
enum KnownMechanisms {
    struct MailboxSMP {
        let compatible: String
        let setOffset: UInt64
        let clearOffset: UInt64?
        let wake: PlatformSpec.Wake
        let note: String
    }

    struct ResetSequence {
        let compatible: String
        let writes: [(offset: UInt64, value: UInt32)]
        let note: String
    }

    static let smp = [
        MailboxSMP(compatible: "arm,vexpress-sysreg", setOffset: 0x30, clearOffset: 0x34, wake: .sgi,
                   note: "Versatile Express SYS_FLAGS: clear with ~0, set to the entry point, wake with an SGI"),
    ]

    static let reset = [
        ResetSequence(compatible: "arm,sp810", writes: [(0x0, 0x3), (0x4, 0x1)],
                      note: "SP810 system controller: slow mode, then any write to SCSYSSTAT resets"),
    ]
}
