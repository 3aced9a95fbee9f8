/// What Dom0 runs as its root filesystem (`[dom0] rootfs`).
public enum Dom0RootFS: Equatable, Sendable {
    /// The busybox test system that prints a `BootReport` (the default: quick boots).
    case report
    /// A root filesystem assembled from Debian's packages with Xen's toolstack (xl, xenstored, xenconsoled).
    case toolstack
    /// The user's own image, absolute (relative paths are taken from the board file's directory): a cpio(.gz)
    /// initramfs given to Dom0 as its ramdisk, or an ext4 image served as a disk (with a generated initramfs that
    /// mounts it). What kind of image it is is checked when the board is built.
    case path(String)

    /// The `rootfs` value of `[dom0]`: "report", "toolstack" or a path (made absolute with `absolute`).
    /// - Throws: an error naming `line` when the value is empty or the board has no Dom0.
    static func parse(_ value: String?, line: Int, dom0: Bool, absolute: (String) -> String,
                      fail: (Int, String) -> TOMLError) throws -> Dom0RootFS {
        guard let value else { return .report }
        guard dom0 else { throw fail(line, "rootfs needs a Dom0, but [dom0] enabled = false") }
        switch value {
        case "report": return .report
        case "toolstack": return .toolstack
        case "": throw fail(line, "rootfs must be \"report\", \"toolstack\" or the path of a cpio(.gz) initramfs or ext4 image, got \"\"")
        default:
            guard !value.utf8.contains(0) else { throw fail(line, "rootfs path contains a NUL byte") }
            return .path(absolute(value))
        }
    }
}
