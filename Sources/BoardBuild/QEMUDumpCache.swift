import Foundation
import Infrastructure

/// QEMU's dumped device tree for a machine, kept in `<cache>/qemu-dtbs/` so a cached build does not start QEMU:
/// keyed by the machine arguments and the identity (inode, size, times) of the QEMU binary and the firmware, so
/// an upgraded QEMU or U-Boot, or other machine options, dump again. Writes are atomic; failures only cost a dump.
struct QEMUDumpCache {
    let directory: URL

    init(cacheRoot: URL) { directory = cacheRoot.appendingPathComponent("qemu-dtbs", isDirectory: true) }

    /// The cache file for these inputs, or nil when an input cannot be identified (then nothing is cached).
    func entry(executable: String, arguments: [String], firmware: String?) -> URL? {
        guard let binary = ProcessRunner.locate(executable), let binaryID = FileStamp.of(binary) else { return nil }
        var key = [binary, binaryID] + arguments
        if let firmware {
            guard let firmwareID = FileStamp.of(firmware) else { return nil }
            key += [firmware, firmwareID]
        }
        guard let digest = try? SHA256.hex(Array(key.joined(separator: "\n").utf8)) else { return nil }
        return directory.appendingPathComponent(String(digest.prefix(32)) + ".dtb")
    }

    func load(_ entry: URL) -> [UInt8]? { FileManager.default.contents(atPath: entry.path).map { [UInt8]($0) } }

    func store(_ bytes: [UInt8], at entry: URL) {
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        StaleStaging.sweep(directory)   // temporaries of runs killed between write and rename
        let temporary = StaleStaging.temporary(for: entry)
        guard FileManager.default.createFile(atPath: temporary.path, contents: Data(bytes)) else { return }
        if rename(temporary.path, entry.path) != 0 { try? FileManager.default.removeItem(at: temporary) }
    }
}
