/// A master boot record with one primary partition (internal): the table U-Boot's `part` and distro boot read.
enum MBR {
    /// FAT32 with LBA addressing.
    static let fat32LBA: UInt8 = 0x0C

    /// Sector 0 of the disk: no boot code, disk signature, partition 1 active (bootable, which U-Boot's distro boot
    /// scans first), partitions 2-4 empty, 55 AA.
    static func sector(diskSignature: UInt32, partitionType: UInt8, startSector: Int, sectorCount: Int) -> [UInt8] {
        var s = [UInt8](repeating: 0, count: 512)
        s.storeLE32(diskSignature, at: 440)
        let entry = 446
        s[entry] = 0x80
        s.store(chs(startSector), at: entry + 1)
        s[entry + 4] = partitionType
        s.store(chs(startSector + sectorCount - 1), at: entry + 5)
        s.storeLE32(UInt32(startSector), at: entry + 8)
        s.storeLE32(UInt32(sectorCount), at: entry + 12)
        s[510] = 0x55
        s[511] = 0xAA
        return s
    }

    /// Cylinder/head/sector of `lba` for 255 heads and 63 sectors per track; FE FF FF beyond cylinder 1023.
    static func chs(_ lba: Int) -> [UInt8] {
        let cylinder = lba / (255 * 63)
        guard cylinder <= 1023 else { return [0xFE, 0xFF, 0xFF] }
        let head = (lba / 63) % 255
        let sector = lba % 63 + 1
        return [UInt8(head), UInt8(sector | ((cylinder >> 2) & 0xC0)), UInt8(cylinder & 0xFF)]
    }
}
