import Foundation

/// A partitioned disk image U-Boot can boot from, written without root, loop devices or mounting: an MBR with one
/// FAT32 (LBA, type 0x0C) partition starting at 1 MiB, the file system written here, the files in its root
/// directory (8.3 names as such, other names with VFAT long-name entries).
///
/// Deterministic: the volume id (and MBR disk signature) is a hash of the inputs unless given, every timestamp is
/// the `SourceDateEpoch`, files are laid out contiguously in the order added.
public struct DiskImage: Sendable {
    /// Where the partition starts: 1 MiB.
    public static let partitionOffset: UInt64 = 1 << 20
    static let mib = 1 << 20

    /// A file in the root directory.
    public struct File: Sendable, Equatable {
        public let name: String
        public let contents: [UInt8]
        public init(name: String, contents: [UInt8]) { self.name = name; self.contents = contents }
    }

    /// The files, in the order added (their order in the directory and on disk).
    public private(set) var files: [File] = []
    public let epoch: SourceDateEpoch
    /// The volume label (upper case, at most 11 characters), or nil for none.
    public let volumeLabel: String?
    /// The volume id given, or nil to derive one from the inputs.
    public let volumeID: UInt32?
    /// The smallest image size (rounded up to whole MiB; at least 34 MiB is needed for FAT32's 65525 clusters).
    public let minimumSize: UInt64
    /// Free space to leave in the file system beyond the files.
    public let freeSpace: UInt64

    /// - Throws: `DiskImageError.invalidVolumeLabel` for a label FAT cannot hold.
    public init(epoch: SourceDateEpoch = .zero, volumeLabel: String? = "XEN-BOARD", volumeID: UInt32? = nil,
                minimumSize: UInt64 = 64 << 20, freeSpace: UInt64 = 8 << 20) throws(DiskImageError) {
        if let volumeLabel {
            let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 !#$%&'()-@^_`{}~".utf8)
            guard (1...11).contains(volumeLabel.utf8.count), volumeLabel.utf8.allSatisfy(allowed.contains),
                  !volumeLabel.hasPrefix(" ") else {
                throw .invalidVolumeLabel(volumeLabel)
            }
        }
        self.epoch = epoch
        self.volumeLabel = volumeLabel
        self.volumeID = volumeID
        self.minimumSize = minimumSize
        self.freeSpace = freeSpace
    }

    /// Adds a file to the root directory.
    /// - Throws: `DiskImageError` for an invalid name, a name already used (FAT names ignore case) or a file of
    ///   4 GiB or more.
    public mutating func addFile(_ name: String, contents: [UInt8]) throws(DiskImageError) {
        guard contents.count <= Int(UInt32.max) else { throw .fileTooLarge(name, size: contents.count) }
        _ = try FATName.assign(files.map(\.name) + [name])
        files.append(File(name: name, contents: contents))
    }

    /// Builds an image of `files` (in that order) with the default label and sizes and writes it to `url`.
    @discardableResult
    public static func write(to url: URL, files: [File], epoch: SourceDateEpoch = .zero) throws(DiskImageError) -> Layout {
        var image = try DiskImage(epoch: epoch)
        for file in files { try image.addFile(file.name, contents: file.contents) }
        let p = try image.plan()
        try SparseFile.write(to: url, size: p.layout.size, runs: p.runs)
        return p.layout
    }

    /// What the image will look like.
    public struct Layout: Sendable, Equatable {
        /// Bytes of the whole image (a multiple of 1 MiB).
        public let size: UInt64
        /// First sector (512 bytes) of the partition: 2048.
        public let partitionStartSector: Int
        public let fileSystem: FAT32Layout
        public let volumeID: UInt32
        /// The 8.3 name of each file, as `mdir` shows it (`BOOT.SCR`, `IMAGE-~1`).
        public let shortNames: [String]
    }

    /// The layout for the files added so far.
    public func layout() throws(DiskImageError) -> Layout { try plan().layout }

    /// Writes the image to `url` (atomically: a temporary file renamed into place). Unused space stays a hole.
    public func write(to url: URL) throws(DiskImageError) {
        let p = try plan()
        try SparseFile.write(to: url, size: p.layout.size, runs: p.runs)
    }

    /// The whole image in memory.
    public func bytes() throws(DiskImageError) -> [UInt8] {
        let p = try plan()
        var image = [UInt8](repeating: 0, count: Int(p.layout.size))
        for run in p.runs { image.store(run.bytes, at: Int(run.offset)) }
        return image
    }

    // MARK: - Planning

    private func plan() throws(DiskImageError) -> (layout: Layout, runs: [SparseFile.Run]) {
        let names = try FATName.assign(files.map(\.name))
        let sizes = files.map(\.contents.count)
        let label = volumeLabel.map { Array($0.utf8) + Array(repeating: 0x20, count: 11 - $0.utf8.count) }
        let extra = Int(clamping: freeSpace)

        // Grow whole MiB at a time until the FAT32 holds the files, the free space and 65525 clusters.
        let payload = sizes.reduce(0) { $0 + ($1 + 4095) / 4096 * 4096 } + extra
        var mib = max(Int((minimumSize + UInt64(Self.mib) - 1) / UInt64(Self.mib)), 2, payload / Self.mib + 2)
        var fs: FAT32Layout
        while true {
            let sectors = (mib - 1) * 2048
            guard sectors <= Int(UInt32.max) else { throw .imageTooLarge(bytes: UInt64(mib) << 20) }
            fs = FAT32Layout(totalSectors: sectors)
            let needed = max(FAT32Layout.minimumClusters, FAT32Volume.clustersNeeded(
                names: names, sizes: sizes, hasLabel: label != nil, clusterSize: fs.clusterSize, extraBytes: extra))
            if fs.clusterCount >= needed { break }
            mib += max(1, (needed - fs.clusterCount) * fs.clusterSize / Self.mib)
        }

        let volume = FAT32Volume(layout: fs, names: names, sizes: sizes, hasLabel: label != nil)
        let id = volumeID ?? derivedVolumeID(fs)
        let start = Int(Self.partitionOffset) / FAT32Layout.sectorSize
        let base = Self.partitionOffset
        let sector = UInt64(FAT32Layout.sectorSize)
        let boot = volume.bootSector(volumeID: id, label: label ?? Array("NO NAME    ".utf8), hiddenSectors: start)
        let info = volume.fsInfoSector()
        let fat = volume.fat()
        var runs: [SparseFile.Run] = [
            .init(offset: 0, bytes: MBR.sector(diskSignature: id, partitionType: MBR.fat32LBA, startSector: start, sectorCount: fs.totalSectors)),
            .init(offset: base, bytes: boot),
            .init(offset: base + sector, bytes: info),
            .init(offset: base + 6 * sector, bytes: boot),
            .init(offset: base + 7 * sector, bytes: info),
            .init(offset: base + UInt64(fs.fatStartSector(0)) * sector, bytes: fat),
            .init(offset: base + UInt64(fs.fatStartSector(1)) * sector, bytes: fat),
            .init(offset: base + UInt64(fs.sector(ofCluster: 2)) * sector,
                  bytes: volume.rootDirectory(label: label, sizes: sizes, timestamp: FATTimestamp(epoch))),
        ]
        for (file, placement) in zip(files, volume.placements) where placement.clusters > 0 {
            runs.append(.init(offset: base + UInt64(fs.sector(ofCluster: placement.firstCluster)) * sector, bytes: file.contents))
        }
        let shortNames = names.map { name -> String in
            let base = String(decoding: name.shortName[..<8], as: UTF8.self).trimmingCharacters(in: .whitespaces)
            let ext = String(decoding: name.shortName[8...], as: UTF8.self).trimmingCharacters(in: .whitespaces)
            return ext.isEmpty ? base : "\(base).\(ext)"
        }
        let layout = Layout(size: UInt64(mib) << 20, partitionStartSector: start, fileSystem: fs, volumeID: id, shortNames: shortNames)
        return (layout, runs)
    }

    /// A 32-bit hash (FNV-1a over 64-bit words, folded) of the epoch, label, layout, names and contents.
    private func derivedVolumeID(_ fs: FAT32Layout) -> UInt32 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ word: UInt64) { h = (h ^ word) &* 0x0000_0100_0000_01b3 }
        func mix(_ bytes: [UInt8]) {
            mix(UInt64(bytes.count))
            h = bytes.withUnsafeBytes { raw in
                var x = h
                let words = raw.count / 8
                for i in 0..<words { x = (x ^ raw.loadUnaligned(fromByteOffset: i &* 8, as: UInt64.self)) &* 0x0000_0100_0000_01b3 }
                for i in (words * 8)..<raw.count { x = (x ^ UInt64(raw[i])) &* 0x0000_0100_0000_01b3 }
                return x
            }
        }
        mix(epoch.seconds)
        mix(Array((volumeLabel ?? "").utf8))
        mix(UInt64(fs.totalSectors))
        for file in files {
            mix(Array(file.name.utf8))
            mix(file.contents)
        }
        return UInt32(truncatingIfNeeded: h ^ (h >> 32))
    }
}

/// Why a disk image could not be built or written.
public enum DiskImageError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidName(String, expected: String)
    case duplicateName(String, existing: String)
    case fileTooLarge(String, size: Int)
    case invalidVolumeLabel(String)
    case imageTooLarge(bytes: UInt64)
    case io(path: String, reason: String)

    public var description: String {
        switch self {
        case .invalidName(let name, let expected): return "disk image: file name \"\(name)\": expected \(expected)"
        case .duplicateName(let name, let existing):
            return "disk image: file name \"\(name)\" is already used by \"\(existing)\" (FAT names ignore case)"
        case .fileTooLarge(let name, let size): return "disk image: \(name) has \(size) bytes; a FAT32 file holds at most 4294967295"
        case .invalidVolumeLabel(let label):
            return "disk image: volume label \"\(label)\": expected 1-11 upper-case letters, digits, spaces or !#$%&'()-@^_`{}~"
        case .imageTooLarge(let bytes): return "disk image: \(bytes) bytes needed; an MBR partition holds at most 2 TiB"
        case .io(let path, let reason): return "disk image \(path): \(reason)"
        }
    }
}
