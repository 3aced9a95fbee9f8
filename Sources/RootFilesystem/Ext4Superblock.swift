import Foundation

/// What Dom0's disk-root initramfs needs from an ext4 image's superblock (at byte 1024; fields from Linux's
/// `struct ext4_super_block`): the magic 0xEF53 at 0x38 and the filesystem UUID at 0x68, by which the initramfs
/// finds the disk (`findfs UUID=...`), whatever the disk is called on the board.
public struct Ext4Superblock: Sendable, Equatable {
    /// `8-4-4-4-12` lowercase hex, as blkid and findfs print it.
    public let uuid: String

    /// Reads the superblock from the start of the image at `path`.
    /// - Throws: an error naming `origin` and `path` when the file is too short, has no ext4 magic or no UUID.
    public init(path: String, origin: String) throws(RootFilesystemError) {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw RootFilesystemError("\(origin): rootfs \(path) cannot be read") }
        defer { try? handle.close() }
        let head = [UInt8]((try? handle.read(upToCount: 2048)) ?? Data())
        try self.init(head, path: path, origin: origin)
    }

    init(_ head: [UInt8], path: String, origin: String) throws(RootFilesystemError) {
        guard head.count >= 1024 + 0x78, head[1024 + 0x38] == 0x53, head[1024 + 0x39] == 0xEF else {
            throw RootFilesystemError("\(origin): rootfs \(path): no ext4 superblock (magic 0xEF53 at offset 1080)")
        }
        let bytes = Array(head[(1024 + 0x68)..<(1024 + 0x78)])
        guard bytes.contains(where: { $0 != 0 }) else {
            throw RootFilesystemError("\(origin): rootfs \(path): the ext4 superblock has no UUID (give it one: tune2fs -U random \(path))")
        }
        let hex = bytes.map { String(format: "%02x", $0) }.joined()
        var parts: [Substring] = []
        var rest = Substring(hex)
        for length in [8, 4, 4, 4, 12] { parts.append(rest.prefix(length)); rest = rest.dropFirst(length) }
        uuid = parts.joined(separator: "-")
    }
}
