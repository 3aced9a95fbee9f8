import Foundation

/// A file's stamp as the kernel keeps it: inode, size, and modification and change times to the nanosecond.
/// Any write, `touch`, `chmod` or replacement changes it, so a result derived from the file (a digest, a device tree
/// dumped by a QEMU binary) can be reused while the identity is the same.
public enum FileStamp {
    /// The identity of `path` (symbolic links followed), or nil when it cannot be stat'ed.
    public static func of(_ path: String) -> String? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return "\(st.st_ino) \(st.st_size) \(st.st_mtim.tv_sec).\(st.st_mtim.tv_nsec) \(st.st_ctim.tv_sec).\(st.st_ctim.tv_nsec)"
    }
}
