/// Where everything of a FAT32 file system lies, in 512-byte sectors relative to the start of its partition.
///
/// Choices: 32+ reserved sectors (boot sector 0, FSInfo 1, their backups 6 and 7), two FATs, the root directory
/// from cluster 2, the data area aligned to 4 KiB (and to the cluster size); cluster size from the volume size as
/// Microsoft's FAT32 table has it (512 B up to 260 MiB, 4 KiB up to 8 GiB, 8 KiB to 16 GiB, 16 KiB to 32 GiB,
/// 32 KiB above). FAT32 requires at least 65525 clusters; the image grows until it has them.
public struct FAT32Layout: Sendable, Equatable {
    public static let sectorSize = 512
    /// The smallest cluster count that makes a FAT32 (fewer is FAT16 to every reader).
    public static let minimumClusters = 65_525
    /// The largest cluster count FAT32 can address.
    public static let maximumClusters = 0x0FFF_FFF5 - 2

    /// Sectors of the file system (the partition).
    public let totalSectors: Int
    public let sectorsPerCluster: Int
    public let reservedSectors: Int
    /// Sectors of one FAT (there are two).
    public let fatSectors: Int
    /// Data clusters (numbered 2 ... clusterCount + 1).
    public let clusterCount: Int

    public var clusterSize: Int { sectorsPerCluster * Self.sectorSize }
    /// First sector of the data area (cluster 2).
    public var dataStartSector: Int { reservedSectors + 2 * fatSectors }
    /// First sector of FAT number `index` (0 or 1).
    public func fatStartSector(_ index: Int) -> Int { reservedSectors + index * fatSectors }
    /// First sector of `cluster` (>= 2).
    public func sector(ofCluster cluster: Int) -> Int { dataStartSector + (cluster - 2) * sectorsPerCluster }

    /// The cluster size for a volume of `sectors` sectors.
    static func sectorsPerCluster(forVolumeSectors sectors: Int) -> Int {
        let mib = sectors / 2048
        switch mib {
        case ..<260: return 1
        case ..<(8 * 1024): return 8
        case ..<(16 * 1024): return 16
        case ..<(32 * 1024): return 32
        default: return 64
        }
    }

    /// The layout of a `totalSectors`-sector volume, its FATs sized for every cluster that fits.
    init(totalSectors: Int) {
        let spc = Self.sectorsPerCluster(forVolumeSectors: totalSectors)
        var reserved = 32
        // An upper bound: one FAT entry per cluster if the FATs took no room, plus the two reserved entries.
        let fat = (((totalSectors - reserved) / spc + 2) * 4 + Self.sectorSize - 1) / Self.sectorSize
        let align = max(8, spc)
        reserved += (align - (reserved + 2 * fat) % align) % align
        self.totalSectors = totalSectors
        sectorsPerCluster = spc
        reservedSectors = reserved
        fatSectors = fat
        clusterCount = max(0, min((totalSectors - reserved - 2 * fat) / spc, Self.maximumClusters))
    }
}
