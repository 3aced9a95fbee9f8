import XenArm

/// A supported board, as declared in `boards/NAME.toml`.
public struct Board: Equatable, Sendable {
    public enum Status: String, Sendable, Codable { case ciBoot = "ci-boot", buildOnly = "build-only", blocked }

    public enum DTBSource: Equatable, Sendable {
        /// A file inside Debian's kernel package DTB directory (`usr/lib/linux-image-*/`).
        case kernelPackage(String)
        /// A user file (absolute, or made absolute relative to the board file).
        case path(String)
        /// The tree QEMU generates for the board's machine.
        case qemuDump
    }

    public enum ImageSource: Equatable, Sendable {
        case debian
        case path(String)
    }

    public struct QEMU: Equatable, Sendable {
        public enum Boot: String, Sendable { case uboot = "u-boot", direct }
        public let machine: String
        public let cpu: String?
        public let smp: Int
        public let memoryMiB: Int
        public let boot: Boot

        public init(machine: String, cpu: String?, smp: Int, memoryMiB: Int, boot: Boot) {
            self.machine = machine
            self.cpu = cpu
            self.smp = smp
            self.memoryMiB = memoryMiB
            self.boot = boot
        }
    }

    /// A dom0less guest.
    public struct DomU: Equatable, Sendable {
        public let name: String
        public let memory: String
        public let cpus: Int
        public let kernel: ImageSource
        public let bootargs: String
        public let vpl011: Bool
        public let enhanced: String?
        public let passthrough: [String]
        public let staticMem: (base: UInt64, size: UInt64)?
        public let directMap: Bool
        public let cpupool: String?
        /// Line of the `[[domu]]` header and of each key written in it (for errors found when building).
        public var line: Int = 0
        public var lines: [String: Int] = [:]
        /// `rootfs`: the user's cpio(.gz) initramfs for this guest (absolute), nil for the busybox report system.
        public var rootfs: String? = nil
        /// `initrd`: the user's cpio(.gz) initramfs for this guest (absolute): the initramfs that goes with a disk
        /// root filesystem; without `rootfs`, the guest's initramfs as `rootfs = PATH` would be.
        public var initrd: String? = nil
        /// `llc-colors`: Xen's colour configuration for this guest ("0-3,8"), nil when not set.
        public var llcColors: String? = nil
        /// `max-grant-frames`: Xen's `max_grant_frames` for this guest, nil for Xen's default.
        public var maxGrantFrames: UInt32? = nil
        /// `vif = [...]` and `disk = [...]` in xl's syntax: PV devices its backend domain attaches after boot.
        public var vifs: [VifSpec] = []
        public var disks: [DiskSpec] = []

        /// The line of `key` in this `[[domu]]`, else of its header.
        public func line(of key: String) -> Int { lines[key] ?? line }

        public static func == (a: DomU, b: DomU) -> Bool {
            a.name == b.name && a.memory == b.memory && a.cpus == b.cpus && a.kernel == b.kernel && a.bootargs == b.bootargs
                && a.vpl011 == b.vpl011 && a.enhanced == b.enhanced && a.passthrough == b.passthrough
                && a.staticMem?.base == b.staticMem?.base && a.staticMem?.size == b.staticMem?.size && a.directMap == b.directMap
                && a.cpupool == b.cpupool && a.rootfs == b.rootfs && a.initrd == b.initrd && a.vifs == b.vifs && a.disks == b.disks && a.llcColors == b.llcColors && a.maxGrantFrames == b.maxGrantFrames
        }
    }

    /// Which console driver the Xen build uses (`[xen] uart-driver`).
    public enum UARTDriverChoice: String, Equatable, Sendable {
        /// Xen's own driver when it has one for the console, else the generated one.
        case auto
        /// Always the driver generated from the UART description, even where Xen has one.
        case generated
    }

    public struct CPUPool: Equatable, Sendable {
        public let name: String
        public let cpus: [String]
        public let scheduler: String
        /// Line of the `[[cpupool]]` header.
        public var line: Int = 0

        public init(name: String, cpus: [String], scheduler: String, line: Int = 0) {
            self.name = name
            self.cpus = cpus
            self.scheduler = scheduler
            self.line = line
        }

        public static func == (a: CPUPool, b: CPUPool) -> Bool { a.name == b.name && a.cpus == b.cpus && a.scheduler == b.scheduler }
    }

    public let name: String
    public let file: String
    public let description: String
    public let arch: Architecture
    public let status: Status
    public let statusNote: String?
    public let dtb: DTBSource
    public let xen: ImageSource
    public let xenBootargs: String
    public let console: String?
    public let dom0Kernel: ImageSource
    public let dom0Bootargs: String
    public let dom0Memory: String
    public let dom0VCPUs: Int?
    public let ram: (base: UInt64, size: UInt64)?
    public let qemu: QEMU?
    /// False for true dom0less: Xen starts only the DomUs.
    public var dom0: Bool = true
    /// What Dom0's test init does after its report (`[dom0] after-report`).
    public var dom0AfterReport: AfterReport = .poweroff

    public enum AfterReport: String, Sendable { case poweroff, reboot }
    /// Dom0's root filesystem (`[dom0] rootfs`).
    public var dom0RootFS: Dom0RootFS = .report
    /// `[xen] image = "source"`: Xen is always built from Debian's source with the generated port.
    public var xenFromSource: Bool = false
    public var uartDriver: UARTDriverChoice = .auto
    /// `[xen] version` as written (nil: the default for the architecture) and its line.
    public var xenVersionSetting: XenVersion?
    public var xenVersionLine: Int?
    /// The version was given on the command line (`--xen-version`), replacing the file's.
    public var xenVersionFromCommandLine = false
    /// The Xen version the board uses: its `[xen] version`, else the newest Debian ships for its architecture.
    public var xenVersion: XenVersion { xenVersionSetting ?? XenVersion.defaultVersion(for: arch) }
    public var domUs: [DomU] = []
    /// `[[guest]]`: guests Dom0's toolstack starts with `xl create` after boot, in file order.
    public var guests: [Guest] = []
    public var cpupools: [CPUPool] = []
    /// `[[bridge]]`: bridges the backend domains create at boot for the guests' vifs.
    public var bridges: [BridgeSpec] = []
    /// The `[platform]` section as written (checked by PlatformGen, which knows what each key means).
    public var platform: [String: PlatformValue] = [:]
    /// Line of each `[platform]` key, for error messages.
    public var platformLines: [String: Int] = [:]
    /// Line of every key written outside `[[domu]]`/`[[cpupool]]`, as "section.key" ("dom0.memory", "xen.console",
    /// "memory.base"; top-level keys as ".key"), so checks made when the board is built can name the line too.
    public var lines: [String: Int] = [:]

    public enum PlatformValue: Equatable, Sendable {
        case string(String), integer(Int64), boolean(Bool), strings([String])
    }

    public static func == (a: Board, b: Board) -> Bool {
        a.name == b.name && a.file == b.file && a.description == b.description && a.arch == b.arch && a.status == b.status
            && a.statusNote == b.statusNote && a.dtb == b.dtb && a.xen == b.xen && a.xenBootargs == b.xenBootargs
            && a.console == b.console && a.dom0Kernel == b.dom0Kernel && a.dom0Bootargs == b.dom0Bootargs
            && a.dom0Memory == b.dom0Memory && a.dom0VCPUs == b.dom0VCPUs && a.ram?.base == b.ram?.base
            && a.ram?.size == b.ram?.size && a.qemu == b.qemu && a.dom0 == b.dom0 && a.dom0AfterReport == b.dom0AfterReport && a.dom0RootFS == b.dom0RootFS && a.xenFromSource == b.xenFromSource && a.uartDriver == b.uartDriver && a.xenVersionSetting == b.xenVersionSetting && a.domUs == b.domUs && a.guests == b.guests && a.cpupools == b.cpupools && a.bridges == b.bridges && a.platform == b.platform
    }
}

extension Board {
    /// The line of "section.key" in the board file (0 when the key is not written: the error is about a default).
    public func line(of key: String) -> Int { lines[key] ?? 0 }

    /// An error about this board's file at `line`.
    public func error(line: Int, _ message: String) -> TOMLError { TOMLError(file: file, line: line, message: message) }

    /// An error about "section.key" of this board's file.
    public func error(at key: String, _ message: String) -> TOMLError { error(line: line(of: key), message) }
}
