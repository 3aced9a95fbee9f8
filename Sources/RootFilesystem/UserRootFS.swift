import Foundation
import ImageComposer

/// The user's own root filesystem (`[dom0] rootfs = PATH`), recognised by its bytes: a newc cpio archive (magic
/// `070701`, or `070702` with checksums: both are what Linux's initramfs unpacker takes), the same gzip-compressed,
/// or an ext4 image (superblock magic 0xEF53 at offset 1080).
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

    static func isNewc(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 6 && (Array(bytes[0..<6]) == Array("070701".utf8) || Array(bytes[0..<6]) == Array("070702".utf8))
    }

    /// What bytes that are none of the kinds hold, as far as their start says: for the error message.
    /// `size`: the file's size when `bytes` are only its start.
    public static func describe(_ bytes: [UInt8], size: Int? = nil) -> String {
        func starts(_ magic: [UInt8]) -> Bool { bytes.count >= magic.count && Array(bytes[0..<magic.count]) == magic }
        if bytes.isEmpty { return "an empty file" }
        if starts(Array("070707".utf8)) { return "an old-format (odc) cpio archive: Linux needs newc (cpio -H newc)" }
        if Gzip.isCompressed(bytes) { return "gzip data that is not a newc cpio archive" }
        let compressed: [(String, [UInt8])] = [("xz", [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]), ("zstd", [0x28, 0xB5, 0x2F, 0xFD]),
                                                ("bzip2", Array("BZh".utf8)), ("lz4", [0x02, 0x21, 0x4C, 0x18]), ("lz4", [0x04, 0x22, 0x4D, 0x18]),
                                                ("lzop", [0x89, 0x4C, 0x5A, 0x4F])]
        if let (name, _) = compressed.first(where: { starts($0.1) }) {
            return "\(name)-compressed data: xen-board checks a compressed initramfs by its gzip stream; recompress it with gzip"
        }
        if starts([0x7F, 0x45, 0x4C, 0x46]) { return "an ELF file" }
        if starts(Array("#!".utf8)) { return "a script (#!)" }
        if starts([0xD0, 0x0D, 0xFE, 0xED]) { return "a device tree blob" }
        if bytes.count >= 512, bytes[510] == 0x55, bytes[511] == 0xAA {
            return "a disk image with a partition table (give the ext4 partition itself, not the whole disk)"
        }
        let head = bytes.prefix(8).map { String(format: "%02x", $0) }.joined(separator: " ")
        let total = size ?? bytes.count
        return "\(total) bytes starting \(head)" + (total < 1082 ? " (too short for an ext4 superblock)" : "")
    }

    /// The ramdisk a domain gets for `path`: the file as it is when it is a cpio(.gz) initramfs.
    /// - Throws: an error naming `path` (and `origin`, the board file's line) when it cannot be read, is an ext4
    ///   image (`ext4` says how such an image is served, when at all) or is neither, with what it holds.
    ///   `key` is the board-file key the path came from (`rootfs`, `ramdisk`, `initrd`).
    public static func ramdisk(path: String, origin: String, key: String = "rootfs",
                               ext4: String = "an ext4 image is served as a disk only as Dom0's rootfs: give a cpio or cpio.gz initramfs")
        throws(RootFilesystemError) -> (bytes: [UInt8], kind: Kind)
    {
        let bytes = try read(path: path, origin: origin, key: key)
        switch detect(bytes) {
        case .cpio?: return (bytes, .cpio)
        case .gzipCPIO?: return (bytes, .gzipCPIO)
        case .ext4?: throw RootFilesystemError("\(origin): \(key) \(path) is an ext4 image; \(ext4)")
        case nil: throw notARootFS(path: path, origin: origin, key: key, bytes: bytes)
        }
    }

    /// The kind of the file at `path` from its first bytes (a gzip stream is read whole, to look inside): an ext4
    /// image of any size is recognised without reading it all.
    public static func kind(path: String, origin: String, key: String) throws(RootFilesystemError) -> Kind {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw RootFilesystemError("\(origin): \(key) \(path) cannot be read") }
        defer { try? handle.close() }
        let head = [UInt8]((try? handle.read(upToCount: 4096)) ?? Data())
        let bytes = Gzip.isCompressed(head) ? try read(path: path, origin: origin, key: key) : head
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
        guard let kind = detect(bytes) else { throw notARootFS(path: path, origin: origin, key: key, bytes: bytes, size: size) }
        return kind
    }

    static func read(path: String, origin: String, key: String) throws(RootFilesystemError) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RootFilesystemError("\(origin): \(key) \(path) cannot be read")
        }
        return [UInt8](data)
    }

    static func notARootFS(path: String, origin: String, key: String, bytes: [UInt8], size: Int? = nil) -> RootFilesystemError {
        RootFilesystemError("\(origin): \(key) \(path) is neither a cpio initramfs (newc, magic 070701, optionally gzip-compressed) nor an ext4 image (magic 0xEF53 at offset 1080): found \(describe(bytes, size: size))")
    }
}
