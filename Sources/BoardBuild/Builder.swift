import BoardFile
import BoardModel
import BootInputs
import DeviceTree
import Foundation
import ImageComposer
import Infrastructure
import Passthrough
import PlatformGen
import XenArm

/// `xen-board build`: board file in, bootable output directory out (out/BOARD by default).
public enum Builder {
    public struct Options: Sendable {
        public var outDirectory: String
        public var gzipInitramfs: Bool
        /// Also write a FIT image (xen.itb) with every module, via `mkimage -f`.
        public var fit: Bool = false
        /// Build Xen from Debian's source with the board's generated port instead of using Debian's binary.
        public var xenFromSource: Bool = false
        /// Replace whatever is at the output path (`--force`); without it only an earlier xen-board output or an
        /// empty directory is replaced.
        public var force: Bool = false
        public var epoch: SourceDateEpoch
        public var cache: URL?
        public var timings: BuildTimings

        public init(outDirectory: String, gzipInitramfs: Bool = false, epoch: SourceDateEpoch = .zero, cache: URL? = nil,
                    timings: BuildTimings = BuildTimings()) {
            self.timings = timings
            self.outDirectory = outDirectory
            self.gzipInitramfs = gzipInitramfs
            self.epoch = epoch
            self.cache = cache
        }
    }

    public struct BuildError: Error, CustomStringConvertible {
        public let description: String
        init(_ d: String) { description = d }
    }

    /// File names inside the output directory and on the boot partition (8.3 names: any FAT reader finds them).
    enum Name {
        static let xen = "xen", kernel = "kernel", initrd = "initrd", dtb = "board.dtb", script = "boot.cmd", scr = "boot.scr"
        /// Dom0's ext4 root filesystem (a copy of the board file's image: booting writes to it, never to the user's file).
        static let rootfsDisk = "rootfs.ext4"
        static let disk = "disk.img", manifest = "manifest.json", svg = "memory-map.svg", table = "memory-map.txt", run = "run-qemu.sh"
    }

    /// The named stages, in order: inputs (packages, the board's tree and its model), guests (Dom0's initramfs,
    /// each DomU's initramfs and partial tree), memory plan, host tree (/chosen written, encoded), outputs.
    public static func build(_ board: Board, options: Options, progress: @escaping (String) -> Void) throws -> Manifest {
        let out = try StagedDirectory(destination: options.outDirectory, force: options.force)
        var host = try gatherInputs(board, options: options, scratch: out.staging, progress: progress)
        let guests = try composeGuests(board, host: &host, options: options, progress: progress)
        let memory = try options.timings.measure("plan memory + write /chosen + encode", own: true) { () throws -> (MemoryStage, [UInt8]) in
            let memory = try planMemory(board, host: host, guests: guests)
            return (memory, try writeHostTree(host.tree, memory: memory))
        }
        progress("writing \(options.outDirectory)")
        let manifest = try writeOutputs(board, host: host, guests: guests, memory: memory.0, dtb: memory.1, options: options, into: out,
                                    progress: progress)
        try out.commit()
        return manifest
    }

    /// Fetches (or finds in the cache) everything `build` reads for a board, without building: for offline use
    /// and for test setup. Returns one line per input.
    public static func fetchInputs(_ board: Board, cache: URL? = nil, progress: @escaping (String) -> Void) throws -> [String] {
        let scratch = try StaleStaging.scratchDirectory("fetch")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let inputs = try BoardInputs.gather(board, cache: cache, scratch: scratch, progress: progress)
        return inputs.manifestInputs.map { "\($0.role): \($0.source)" }
    }

}
