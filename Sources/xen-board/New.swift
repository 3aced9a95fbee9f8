import ArgumentParser
import BoardBringUp
import BoardFile
import XenArm

struct New: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new",
        abstract: "Start a board from a DTB: write boards/NAME.toml saying what inspect found, what will be generated and what needs a person.",
        discussion: """
        Inspects the device tree, picks the console (the tree's /chosen/stdout-path, else the UART /chosen/bootargs'
        console= names, else the first serial alias or UART xen-board can drive, saying so), and writes a board file
        whose comments list what came from inspect, what `xen-board gen` will generate (UART driver, compatible added,
        platform file, SoC SMP and reset mechanisms) and what a person must still set, with the key. With
        --qemu-machine the board is bootable by `xen-board boot` (status "build-only" until booted). Fails, writing
        nothing, for an unreadable or unknown DTB, an existing board name, or a machine QEMU does not have.

        Examples:
          xen-board new my-ast2600 --kernel-dtb aspeed-ast2600-evb.dtb --arch arm32 --qemu-machine ast2600-evb --qemu-smp 2
          xen-board new my-board --dtb ~/board.dtb
        """
    )

    @Argument(help: "Board name (boards/NAME.toml; lower-case letters, digits, '-', '_', '.').") var name: String
    @Option(help: "A DTB file.") var dtb: String?
    @Option(help: "A DTB path inside Debian's kernel package DTB directory, e.g. arm/juno-r2.dtb.") var kernelDtb: String?
    @Option(help: "Xen build: arm32 or arm64 (default: inferred from the tree).") var arch: Architecture?
    @Option(help: "QEMU -machine value (makes the board bootable by `xen-board boot`).") var qemuMachine: String?
    @Option(help: "QEMU -cpu value.") var qemuCpu: String?
    @Option(help: "QEMU CPUs (default: the tree's CPU count).") var qemuSmp: Int?
    @Option(help: "QEMU RAM in MiB (default 1024).") var qemuMemory: Int = 1024
    @Option(name: .customLong("xen-version"), help: "Write [xen] version (4.17 or 4.20; default: none written, the board gets the newest Debian ships prebuilt for its arch).")
    var xenVersion: XenVersion?

    func validate() throws {
        guard (dtb == nil) != (kernelDtb == nil) else { throw ValidationError("give exactly one of --dtb FILE and --kernel-dtb PATH") }
        if qemuMachine == nil, qemuCpu != nil || qemuSmp != nil { throw ValidationError("--qemu-cpu and --qemu-smp need --qemu-machine") }
        if let n = qemuSmp, !(1...64).contains(n) { throw ValidationError("--qemu-smp must be 1-64, got \(n)") }
        guard (16...65536).contains(qemuMemory) else { throw ValidationError("--qemu-memory must be 16-65536 MiB, got \(qemuMemory)") }
    }

    func run() throws {
        let qemu = qemuMachine.map { NewBoardPlan.QEMU(machine: $0, cpu: qemuCpu, smp: qemuSmp ?? 0, memoryMiB: qemuMemory) }
        let source: NewBoard.DTB = dtb.map { .file($0) } ?? .kernelPackage(kernelDtb ?? "")
        let request = NewBoard.Request(name: name, dtb: source, arch: arch, qemu: qemu, boards: BoardCatalog.locate().directory,
                                      xenVersion: xenVersion)
        let result = try NewBoard.create(request) { printError("new: \($0)") }
        print(result.summary)
    }
}
