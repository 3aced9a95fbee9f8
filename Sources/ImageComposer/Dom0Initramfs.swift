/// The initramfs of a test system: a static busybox and an `/init` that prints a `BootReport` and powers off,
/// so a boot test ends by itself and says what the domain saw.
///
/// Layout: `/bin/busybox` with symlinks for the applets `/init` runs (`/bin/sh`, `/bin/mount`, ...; `/sbin/poweroff`
/// too), `/dev/console` (c 5 1), `/dev/null` (c 1 3), empty `/proc`, `/sys`, `/tmp` (1777), `/root`, and `/init`.
public struct Dom0Initramfs: Sendable {
    /// The role printed as `role=`.
    public let role: DomainRole
    /// One report line each, after the `device=` lines.
    public let expectedDevices: [ExpectedDevice]
    /// What the busybox binary is (its CPU, e.g. to check it against the kernel's architecture).
    public let busybox: ELFExecutable
    /// The text of `/init`.
    public let initScript: String
    /// The archive; a copy can be extended with more files (e.g. DomU kernels) before encoding.
    public let archive: CPIOArchive

    /// Builds the archive from the bytes of a static busybox (Debian's `busybox-static`, `/bin/busybox`).
    /// - Throws: `InitramfsError.busybox` when the bytes are not an ELF executable, `.dynamicallyLinked` when it
    ///   needs a program interpreter the initramfs does not have.
    public init(busybox bytes: [UInt8], role: DomainRole = .dom0, expectedDevices: [ExpectedDevice] = [.rtc],
                epoch: SourceDateEpoch = .zero, powerOff: Bool = true, reboot: Bool = false, pv: GuestPVCheck? = nil) throws(InitramfsError) {
        let elf: ELFExecutable
        do { elf = try ELFExecutable(bytes) } catch { throw .busybox(error) }
        if let interpreter = elf.interpreter { throw .dynamicallyLinked(interpreter: interpreter) }
        var seen = Set<String>()
        for device in expectedDevices where !seen.insert(device.key).inserted {
            throw .invalidExpectedDevice(key: device.key, expected: "each key once")
        }
        busybox = elf
        self.role = role
        self.expectedDevices = expectedDevices
        initScript = InitScript.text(role: role, expectedDevices: expectedDevices, powerOff: powerOff, reboot: reboot, pv: pv)

        var a = CPIOArchive(epoch: epoch)
        do {
            for dir in ["bin", "sbin", "dev", "proc", "sys", "root"] { try a.addDirectory(dir) }
            try a.addDirectory("tmp", permissions: 0o1777)
            try a.addFile("bin/busybox", contents: bytes, permissions: 0o755)
            for applet in InitScript.applets + (pv == nil ? [] : GuestPVCheck.applets) { try a.addSymlink("bin/\(applet)", target: "busybox") }
            if let pv, !pv.modules.isEmpty {
                try a.addDirectory("lib")
                try a.addDirectory("lib/modules")
                for m in pv.modules { try a.addFile(m.name, contents: m.contents) }
            }
            try a.addSymlink("sbin/poweroff", target: "../bin/busybox")
            try a.addCharacterDevice("dev/console", major: 5, minor: 1, permissions: 0o600)
            try a.addCharacterDevice("dev/null", major: 1, minor: 3, permissions: 0o666)
            try a.addFile("init", contents: Array(initScript.utf8), permissions: 0o755)
        } catch {
            throw .archive(error)
        }
        archive = a
    }

    /// The archive of a test system in one call: `Dom0Initramfs(...).archive`.
    public static func build(busybox: [UInt8], role: DomainRole = .dom0, expectedDevices: [ExpectedDevice] = [.rtc],
                             epoch: SourceDateEpoch = .zero, powerOff: Bool = true, reboot: Bool = false,
                             pv: GuestPVCheck? = nil) throws(InitramfsError) -> CPIOArchive {
        try Dom0Initramfs(busybox: busybox, role: role, expectedDevices: expectedDevices, epoch: epoch, powerOff: powerOff, reboot: reboot, pv: pv).archive
    }

    /// The uncompressed newc archive.
    public func cpio() -> [UInt8] { archive.encoded() }

    /// The archive compressed with `gzip -n -9`.
    public func gzipped() throws(ExternalToolError) -> [UInt8] { try archive.gzipped() }
}

/// Why a test-system initramfs could not be built.
public enum InitramfsError: Error, Sendable, Equatable, CustomStringConvertible {
    case busybox(ELFError)
    case dynamicallyLinked(interpreter: String)
    case invalidExpectedDevice(key: String, expected: String)
    case archive(CPIOError)

    public var description: String {
        switch self {
        case .busybox(let e): return "busybox: \(e) (use the busybox from Debian's busybox-static package)"
        case .dynamicallyLinked(let interpreter):
            return "busybox: expected a statically linked executable, but it needs \(interpreter) (use Debian's busybox-static)"
        case .invalidExpectedDevice(let key, let expected): return "expected device \"\(key)\": expected \(expected)"
        case .archive(let e): return "initramfs: \(e)"
        }
    }
}
