import Foundation
import ImageComposer
import XCTest

/// The FAT32 disk image, checked with the real tools: fsck.fat (dosfstools), mdir/mcopy (mtools), sfdisk.
final class DiskImageTests: XCTestCase {
    static let epoch = SourceDateEpoch(seconds: 1_700_000_000)   // 2023-11-14 22:13:20 UTC

    /// Names of every kind: exact 8.3 upper and lower case, mixed case and long names, an empty file, sizes on and
    /// around cluster boundaries.
    static let files: [(String, [UInt8])] = [
        ("boot.scr", Array("a boot script".utf8)),
        ("Image", pseudoRandomBytes(3 << 20, seed: 1)),
        ("xen-4.17-arm64", pseudoRandomBytes(1_000_001, seed: 2)),
        ("initramfs.cpio.gz", pseudoRandomBytes(512, seed: 3)),
        ("BOARD.DTB", pseudoRandomBytes(513, seed: 4)),
        ("empty", []),
        ("A long name with spaces and ünïcödé.bin", pseudoRandomBytes(4096, seed: 5)),
    ]

    func makeImage(_ files: [(String, [UInt8])] = DiskImageTests.files, minimumSize: UInt64 = 64 << 20,
                   freeSpace: UInt64 = 8 << 20) throws -> DiskImage {
        var image = try DiskImage(epoch: Self.epoch, minimumSize: minimumSize, freeSpace: freeSpace)
        for (name, contents) in files { try image.addFile(name, contents: contents) }
        return image
    }

    func testRealToolsReadTheImage() throws {
        try Host.require(["fsck.fat", "mdir", "mcopy", "sfdisk"])
        let dir = try TemporaryDirectory()
        let url = dir.file("disk.img")
        let image = try makeImage()
        try image.write(to: url)
        let layout = try image.layout()
        XCTAssertEqual(layout.size, 64 << 20)
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? UInt64, 64 << 20)
        XCTAssertGreaterThanOrEqual(layout.fileSystem.clusterCount, 65_525)
        XCTAssertEqual(layout.fileSystem.clusterSize, 512)
        try checkWithTools(url, files: Self.files, layout: layout)

        // mdir: names, sizes and the epoch's date (mtools prints the short name, then the long one).
        let mdir = try Host.run("mdir", ["-i", "\(url.path)@@1M", "::"])
        XCTAssertEqual(mdir.status, 0, mdir.stderr)
        XCTAssertTrue(mdir.text.contains("Volume in drive : is XEN-BOARD"), mdir.text)
        XCTAssertTrue(mdir.text.contains("2023-11-14"), mdir.text)
        XCTAssertTrue(mdir.text.contains("22:13"), mdir.text)
        // 8.3 names show as "base     ext" (lower case ones in lower case), long names after the short one.
        let listing = mdir.text.split(separator: "\n").map(String.init)
        for (name, _) in Self.files {
            let parts = name.split(separator: ".", maxSplits: 1).map(String.init)
            let shortForm = parts[0].padding(toLength: 8, withPad: " ", startingAt: 0) + " " + (parts.count > 1 ? parts[1] : "")
            XCTAssertTrue(listing.contains { $0.hasSuffix(" \(name)") || $0.hasPrefix(shortForm) }, "\(name) in\n\(mdir.text)")
        }
        XCTAssertEqual(layout.shortNames, ["BOOT.SCR", "IMAGE~1", "XEN-4~1.17-", "INITRA~1.GZ", "BOARD.DTB", "EMPTY", "ALONGN~1.BIN"])
    }

    /// fsck.fat -n finds nothing, sfdisk shows the partition, mcopy returns every file's exact bytes.
    func checkWithTools(_ url: URL, files: [(String, [UInt8])], layout: DiskImage.Layout,
                        file: StaticString = #filePath, line: UInt = #line) throws {
        let part = try Host.run("sfdisk", ["-d", url.path])
        XCTAssertEqual(part.status, 0, part.stderr, file: file, line: line)
        XCTAssertTrue(part.text.contains("label: dos"), part.text, file: file, line: line)
        let sectors = layout.fileSystem.totalSectors
        XCTAssertTrue(part.text.contains("start=        2048, size=\(String(repeating: " ", count: max(0, 12 - String(sectors).count)))\(sectors), type=c, bootable"),
                      part.text, file: file, line: line)

        // fsck.fat reads a file system, not a disk: give it the partition (a copy made with dd, sparse).
        let fs = url.deletingLastPathComponent().appendingPathComponent("partition.img")
        let dd = try Host.run("dd", ["if=\(url.path)", "of=\(fs.path)", "bs=1M", "skip=1", "conv=sparse", "status=none"])
        XCTAssertEqual(dd.status, 0, dd.stderr, file: file, line: line)
        let fsck = try Host.run("fsck.fat", ["-n", "-v", fs.path])
        XCTAssertEqual(fsck.status, 0, "fsck.fat -n:\n\(fsck.text)\n\(fsck.stderr)", file: file, line: line)
        for complaint in ["differ", "Free cluster summary wrong", "Reclaimed", "Warning", "invalid", "Perform changes"] {
            XCTAssertFalse(fsck.text.contains(complaint), "fsck.fat -n: \(complaint)\n\(fsck.text)", file: file, line: line)
        }
        XCTAssertTrue(fsck.text.contains("2 FATs, 32 bit entries"), fsck.text, file: file, line: line)
        try? FileManager.default.removeItem(at: fs)

        for (name, contents) in files {
            let copy = try Host.run("mcopy", ["-n", "-i", "\(url.path)@@1M", "::\(name)", "-"])
            XCTAssertEqual(copy.status, 0, "mcopy ::\(name): \(copy.stderr)", file: file, line: line)
            XCTAssertTrue([UInt8](copy.stdout) == contents, "mcopy ::\(name) returned \(copy.stdout.count) bytes, expected \(contents.count) bytes",
                          file: file, line: line)
        }
        // Case-insensitive short-name lookup, as U-Boot does it.
        guard files.contains(where: { $0.0 == "boot.scr" }) else { return }
        let upper = try Host.run("mcopy", ["-n", "-i", "\(url.path)@@1M", "::BOOT.SCR", "-"])
        XCTAssertEqual(upper.status, 0, upper.stderr, file: file, line: line)
    }

    func testDeterministicSparseAndInMemoryEqual() throws {
        let dir = try TemporaryDirectory()
        let image = try makeImage()
        try image.write(to: dir.file("a.img"))
        try makeImage().write(to: dir.file("b.img"))
        let a = try Data(contentsOf: dir.file("a.img")), b = try Data(contentsOf: dir.file("b.img"))
        XCTAssertTrue(a == b, "two builds give identical bytes")
        XCTAssertTrue(a == Data(try image.bytes()), "write(to:) and bytes() agree")
        // Sparse: the blocks allocated cover the files and metadata, not the 64 MiB.
        var st = stat()
        XCTAssertEqual(stat(dir.file("a.img").path, &st), 0)
        let allocated = Int(st.st_blocks) * 512
        let payload = Self.files.reduce(0) { $0 + $1.1.count }
        XCTAssertLessThan(allocated, payload + (2 << 20), "allocated \(allocated) bytes for \(payload) bytes of files")
        // Inputs change the volume id; the given one is used as is.
        var other = try makeImage()
        try other.addFile("more", contents: [1])
        XCTAssertNotEqual(try other.layout().volumeID, try image.layout().volumeID)
        var fixed = try DiskImage(volumeID: 0x1234_5678)
        try fixed.addFile("x", contents: [1])
        XCTAssertEqual(try fixed.layout().volumeID, 0x1234_5678)
        let bytes = try fixed.bytes()
        XCTAssertEqual(Array(bytes[440..<444]), [0x78, 0x56, 0x34, 0x12], "MBR disk signature")
        XCTAssertEqual(Array(bytes[(1 << 20) + 67..<(1 << 20) + 71]), [0x78, 0x56, 0x34, 0x12], "FAT volume id")
        XCTAssertEqual(Array(bytes[510..<512]), [0x55, 0xAA])
        XCTAssertEqual(bytes[446 + 4], 0x0C)
        XCTAssertEqual(Array(bytes[(1 << 20)..<((1 << 20) + 512)]), Array(bytes[(1 << 20) + 6 * 512..<((1 << 20) + 7 * 512)]), "backup boot sector")
    }

    /// ~40 MB of files (a kernel-sized one among them), with timing; 4 KiB clusters once the volume passes 260 MiB.
    func testLargeImagesAndTiming() throws {
        try Host.require(["fsck.fat", "mdir", "mcopy", "sfdisk"])
        let dir = try TemporaryDirectory()
        var files: [(String, [UInt8])] = [("Image", pseudoRandomBytes(33 << 20, seed: 11)), ("xen", pseudoRandomBytes(1 << 20, seed: 12)),
                                          ("initrd.gz", pseudoRandomBytes(6 << 20, seed: 13)), ("board.dtb", pseudoRandomBytes(70_000, seed: 14))]
        let start = Date()
        let image = try makeImage(files)
        try image.write(to: dir.file("disk.img"))
        let elapsed = Date().timeIntervalSince(start)
        let layout = try image.layout()
        print("DiskImageTests: \(files.reduce(0) { $0 + $1.1.count } / 1_000_000) MB of files -> \(layout.size >> 20) MiB image, "
              + "\(layout.fileSystem.clusterCount) clusters of \(layout.fileSystem.clusterSize) B, built and written in \(String(format: "%.3f", elapsed)) s")
        XCTAssertEqual(layout.size, 64 << 20)
        try checkWithTools(dir.file("disk.img"), files: files, layout: layout)

        // 300 MiB of files: 4 KiB clusters, still >= 65525 of them.
        // (Cheap contents: a fill byte with each 4 KiB block numbered, so misplaced clusters still show.)
        var bigFile = [UInt8](repeating: 0x5A, count: 300 << 20)
        for block in 0..<(bigFile.count / 4096) { bigFile[block * 4096] = UInt8(truncatingIfNeeded: block); bigFile[block * 4096 + 1] = UInt8(truncatingIfNeeded: block >> 8) }
        files = [("big.bin", bigFile)]
        let big = try makeImage(files, freeSpace: 0)
        let bigLayout = try big.layout()
        XCTAssertEqual(bigLayout.fileSystem.clusterSize, 4096)
        XCTAssertGreaterThanOrEqual(bigLayout.fileSystem.clusterCount, 65_525)
        XCTAssertGreaterThanOrEqual(bigLayout.size, 301 << 20)
        XCTAssertLessThanOrEqual(bigLayout.size, 304 << 20)
        let bigStart = Date()
        try big.write(to: dir.file("big.img"))
        print("DiskImageTests: 300 MiB file -> \(bigLayout.size >> 20) MiB image, \(bigLayout.fileSystem.clusterCount) clusters of "
              + "\(bigLayout.fileSystem.clusterSize) B, built and written in \(String(format: "%.3f", Date().timeIntervalSince(bigStart))) s")
        try checkWithTools(dir.file("big.img"), files: files, layout: bigLayout)
    }

    func testSmallMinimumStillGivesFAT32AndFreeSpaceIsKept() throws {
        let layout = try makeImage([("a", [1])], minimumSize: 0, freeSpace: 0).layout()
        XCTAssertGreaterThanOrEqual(layout.fileSystem.clusterCount, 65_525)
        XCTAssertLessThanOrEqual(layout.size, 36 << 20)
        let roomy = try makeImage([("a", [1])], minimumSize: 0, freeSpace: 100 << 20).layout()
        XCTAssertGreaterThanOrEqual(UInt64(roomy.fileSystem.clusterCount * roomy.fileSystem.clusterSize), 100 << 20)
    }

    func testRejectsBadInput() throws {
        var image = try DiskImage()
        try image.addFile("boot.scr", contents: [1])
        XCTAssertThrowsError(try image.addFile("BOOT.SCR", contents: [2])) {
            XCTAssertEqual($0 as? DiskImageError, .duplicateName("BOOT.SCR", existing: "boot.scr"))
            XCTAssertTrue("\($0)".contains("ignore case"), "\($0)")
        }
        XCTAssertThrowsError(try image.addFile("dir/file", contents: [])) {
            guard case .invalidName("dir/file", _) = $0 as? DiskImageError else { return XCTFail("\($0)") }
        }
        XCTAssertEqual(image.files.count, 1)
        for label in ["lower", "TWELVE CHARS", "", " LEAD", "A/B"] {
            XCTAssertThrowsError(try DiskImage(volumeLabel: label), label) { XCTAssertEqual($0 as? DiskImageError, .invalidVolumeLabel(label)) }
        }
        XCTAssertThrowsError(try image.write(to: URL(fileURLWithPath: "/nonexistent-dir/disk.img"))) {
            guard case .io(let path, _) = $0 as? DiskImageError else { return XCTFail("\($0)") }
            XCTAssertEqual(path, "/nonexistent-dir/disk.img")
        }
    }

    func testSourceDateEpochFromTheEnvironment() throws {
        XCTAssertEqual(try SourceDateEpoch.fromEnvironment([:]), .zero)
        XCTAssertEqual(try SourceDateEpoch.fromEnvironment(["SOURCE_DATE_EPOCH": ""]), .zero)
        XCTAssertEqual(try SourceDateEpoch.fromEnvironment(["SOURCE_DATE_EPOCH": "1700000000"]).seconds, 1_700_000_000)
        for bad in ["-1", "1.5", "abc", " 1", "99999999999999999999999"] {
            XCTAssertThrowsError(try SourceDateEpoch.fromEnvironment(["SOURCE_DATE_EPOCH": bad]), bad) {
                XCTAssertTrue("\($0)".contains("expected a non-negative decimal number"), "\($0)")
            }
        }
    }
}
