/// The metadata of a FAT32 file system holding files in its root directory (internal): boot sector, FSInfo, their
/// backups, both FATs and the root directory, as byte runs at offsets relative to the partition start, plus where
/// each file's data goes. Files are contiguous, in the order given, after the root directory.
struct FAT32Volume {
    struct Placement {
        let firstCluster: Int     // 0 for an empty file
        let clusters: Int
    }

    let layout: FAT32Layout
    let names: [FATName]
    let placements: [Placement]
    let rootClusters: Int
    /// First cluster after the last used one.
    let nextFreeCluster: Int

    /// Clusters the root directory needs for the volume label entry and `names`.
    static func rootDirectoryClusters(names: [FATName], hasLabel: Bool, clusterSize: Int) -> Int {
        let entries = (hasLabel ? 1 : 0) + names.reduce(0) { $0 + $1.entryCount }
        return max(1, (entries * 32 + clusterSize - 1) / clusterSize)
    }

    /// Clusters of data needed by `names`, `sizes` and `extraBytes` of free space on a volume with `clusterSize`.
    static func clustersNeeded(names: [FATName], sizes: [Int], hasLabel: Bool, clusterSize: Int, extraBytes: Int) -> Int {
        rootDirectoryClusters(names: names, hasLabel: hasLabel, clusterSize: clusterSize)
            + sizes.reduce(0) { $0 + ($1 + clusterSize - 1) / clusterSize }
            + (extraBytes + clusterSize - 1) / clusterSize
    }

    init(layout: FAT32Layout, names: [FATName], sizes: [Int], hasLabel: Bool) {
        self.layout = layout
        self.names = names
        rootClusters = Self.rootDirectoryClusters(names: names, hasLabel: hasLabel, clusterSize: layout.clusterSize)
        var next = 2 + rootClusters
        var placements: [Placement] = []
        for size in sizes {
            let n = (size + layout.clusterSize - 1) / layout.clusterSize
            placements.append(Placement(firstCluster: n == 0 ? 0 : next, clusters: n))
            next += n
        }
        self.placements = placements
        nextFreeCluster = next
    }

    /// Boot sector (also written as the backup at sector 6).
    func bootSector(volumeID: UInt32, label: [UInt8], hiddenSectors: Int) -> [UInt8] {
        var s = [UInt8](repeating: 0, count: FAT32Layout.sectorSize)
        s.store([0xEB, 0x58, 0x90], at: 0)                 // jmp over the BPB; nop
        s.store(Array("XENBOARD".utf8), at: 3)              // OEM name
        s.storeLE16(UInt16(FAT32Layout.sectorSize), at: 11)
        s[13] = UInt8(layout.sectorsPerCluster)
        s.storeLE16(UInt16(layout.reservedSectors), at: 14)
        s[16] = 2                                           // FATs
        s[21] = 0xF8                                        // media: fixed disk
        s.storeLE16(63, at: 24)                             // sectors per track (geometry for old BIOSes only)
        s.storeLE16(255, at: 26)                            // heads
        s.storeLE32(UInt32(hiddenSectors), at: 28)          // sectors before the partition
        s.storeLE32(UInt32(layout.totalSectors), at: 32)
        s.storeLE32(UInt32(layout.fatSectors), at: 36)
        s.storeLE32(2, at: 44)                              // root directory cluster
        s.storeLE16(1, at: 48)                              // FSInfo sector
        s.storeLE16(6, at: 50)                              // backup boot sector
        s[64] = 0x80                                        // drive number
        s[66] = 0x29                                        // extended boot signature: the next 3 fields are valid
        s.storeLE32(volumeID, at: 67)
        s.store(label, at: 71)
        s.store(Array("FAT32   ".utf8), at: 82)
        s[510] = 0x55
        s[511] = 0xAA
        return s
    }

    /// FSInfo sector (also written at sector 7): free clusters and the next free one.
    func fsInfoSector() -> [UInt8] {
        var s = [UInt8](repeating: 0, count: FAT32Layout.sectorSize)
        s.storeLE32(0x4161_5252, at: 0)
        s.storeLE32(0x6141_7272, at: 484)
        s.storeLE32(UInt32(layout.clusterCount + 2 - nextFreeCluster), at: 488)
        s.storeLE32(UInt32(nextFreeCluster), at: 492)
        s.storeLE32(0xAA55_0000, at: 508)
        return s
    }

    /// The used part of one FAT (the rest is zero: free clusters).
    func fat() -> [UInt8] {
        var f = [UInt8](repeating: 0, count: nextFreeCluster * 4)
        f.storeLE32(0x0FFF_FFF8, at: 0)                     // media byte
        f.storeLE32(0x0FFF_FFFF, at: 4)                     // end of chain; clean, no I/O errors
        func chain(_ first: Int, _ count: Int) {
            for c in first..<(first + count) {
                f.storeLE32(c == first + count - 1 ? 0x0FFF_FFFF : UInt32(c + 1), at: c * 4)
            }
        }
        chain(2, rootClusters)
        for p in placements where p.clusters > 0 { chain(p.firstCluster, p.clusters) }
        return f
    }

    /// The used part of the root directory: the volume label, then each file's long-name and short entries.
    func rootDirectory(label: [UInt8]?, sizes: [Int], timestamp: FATTimestamp) -> [UInt8] {
        var dir: [UInt8] = []
        if let label {
            var e = [UInt8](repeating: 0, count: 32)
            e.store(label, at: 0)
            e[11] = 0x08                                     // volume label
            e.storeLE16(timestamp.time, at: 22)
            e.storeLE16(timestamp.date, at: 24)
            dir += e
        }
        for ((name, size), placement) in zip(zip(names, sizes), placements) {
            for lfn in name.longNameEntries() { dir += lfn }
            var e = [UInt8](repeating: 0, count: 32)
            e.store(name.shortName, at: 0)
            e[11] = 0x20                                     // archive
            e[12] = name.caseFlags
            e.storeLE16(timestamp.time, at: 14)              // created
            e.storeLE16(timestamp.date, at: 16)
            e.storeLE16(timestamp.date, at: 18)              // accessed
            e.storeLE16(UInt16(placement.firstCluster >> 16), at: 20)
            e.storeLE16(timestamp.time, at: 22)              // written
            e.storeLE16(timestamp.date, at: 24)
            e.storeLE16(UInt16(truncatingIfNeeded: placement.firstCluster), at: 26)
            e.storeLE32(UInt32(size), at: 28)
            dir += e
        }
        return dir
    }
}
