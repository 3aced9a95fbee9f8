/// A guest Dom0 starts with `xl create` after boot (`[[guest]]`): `build` writes its xl configuration, kernel and
/// ramdisk into Dom0's toolstack root filesystem (as ImageBuilder's disk image carries its guests' files) and
/// Dom0's init creates it.
extension Board {
    public struct Guest: Equatable, Sendable {
        /// xl's `name`: letters, digits, `-` and `_` (it names the guest's files and console log too).
        public let name: String
        /// xl's `memory`, in MiB (the board file's size, a whole number of MiB).
        public let memoryMiB: UInt64
        public let vcpus: Int
        /// `debian`: the board's DomU kernel (Debian's kernel package), else the user's kernel image (absolute).
        public let kernel: ImageSource
        /// The user's cpio(.gz) initramfs (absolute), nil for the busybox report system.
        public let ramdisk: String?
        /// Added to the guest's command line after `console=hvc0` (xl's `extra`).
        public let extra: String
        /// Line of the `[[guest]]` header and of each key written in it.
        public var line: Int = 0
        public var lines: [String: Int] = [:]
        /// `vif = [...]` in xl's syntax: written into its xl configuration (xl create attaches them).
        public var vifs: [VifSpec] = []

        public init(name: String, memoryMiB: UInt64, vcpus: Int, kernel: ImageSource, ramdisk: String?, extra: String,
                    line: Int = 0, lines: [String: Int] = [:]) {
            self.name = name
            self.memoryMiB = memoryMiB
            self.vcpus = vcpus
            self.kernel = kernel
            self.ramdisk = ramdisk
            self.extra = extra
            self.line = line
            self.lines = lines
        }

        /// The line of `key` in this `[[guest]]`, else of its header.
        public func line(of key: String) -> Int { lines[key] ?? line }

        public static func == (a: Guest, b: Guest) -> Bool {
            a.name == b.name && a.memoryMiB == b.memoryMiB && a.vcpus == b.vcpus && a.kernel == b.kernel && a.ramdisk == b.ramdisk
                && a.extra == b.extra && a.vifs == b.vifs
        }
    }
}
