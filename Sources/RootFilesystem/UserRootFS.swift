import Foundation
import ImageComposer

/// The user's own root filesystem (`[dom0] rootfs = PATH`), recognised by its bytes: a newc cpio archive (magic
/// `070701`), the same gzip-compressed, or an ext4 image (superblock magic 0xEF53 at offset 1080).
public enum UserRootFS {
    public enum Kind: String, Sendable, Equatable {
        case cpio
        case gzipCPIO = "cpio.gz"
        case ext4
    }

    /// What `bytes` hold, nil when none of the kinds above. A gzip stream is decompressed to look at its start.
    public static func detect(_ bytes: [UInt8]) -> Kind? {
        if isNewc(bytes) { return .cpio }
        if Gzip.isCompressed(bytes) {
            guard let inner = try? Gzip.decompress(bytes) else { return nil }
            return isNewc(inner) ? .gzipCPIO : nil
        }
        if bytes.count >= 1082, bytes[1080] == 0x53, bytes[1081] == 0xEF { return .ext4 }
        return nil
    }

    static func isNewc(_ bytes: [UInt8]) -> Bool { bytes.count >= 6 && Array(bytes[0..<6]) == Array("070701".utf8) }

    /// The ramdisk Dom0 gets for `path`: the file as it is when it is a cpio(.gz) initramfs.
    /// - Throws: an error naming `path` (and `origin`, the board file's line) when it cannot be read, is an ext4
    ///   image (not served as a disk yet) or is neither.
    ///   `key` is the board-file key the path came from (`rootfs`, `ramdisk`).
    public static func ramdisk(path: String, origin: String, key: String = "rootfs") throws(RootFilesystemError) -> (bytes: [UInt8], kind: Kind) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RootFilesystemError("\(origin): \(key) \(path) cannot be read")
        }
        let bytes = [UInt8](data)
        switch detect(bytes) {
        case .cpio?: return (bytes, .cpio)
        case .gzipCPIO?: return (bytes, .gzipCPIO)
        case .ext4?:
            throw RootFilesystemError("\(origin): \(key) \(path) is an ext4 image; serving ext4 root filesystems to Dom0 as a disk is not supported yet: give a cpio or cpio.gz initramfs")
        case nil:
            throw RootFilesystemError("\(origin): \(key) \(path) is neither a cpio initramfs (newc, magic 070701, optionally gzip-compressed) nor an ext4 image (magic 0xEF53 at offset 1080)")
        }
    }
}
