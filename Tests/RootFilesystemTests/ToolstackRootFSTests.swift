import BootInputs
import Foundation
import ImageComposer
import TestSupport
import XCTest
@testable import RootFilesystem

/// The toolstack root filesystem from Debian 12's real packages (shared cache; the network on first use): apt's
/// closure, Xen's tools where the init expects them, the kernel's Xen modules with depmod's index, no manual pages,
/// every entry owned by root with the epoch as mtime, the same bytes when packed again, and the cache reused.
final class ToolstackRootFSTests: XCTestCase {
    func testDebian12Arm64ToolstackRootFS() throws {
        let cache = PackageCache()
        let kernel = try prerequisite("Debian's arm64 kernel package") {
            try cache.fetch(try cache.resolveMeta("linux-image-arm64", arch: "arm64"))
        }
        try requireTool("depmod")
        // The epoch builds use by default, so a build's cached archive is this one (one pack per CI run, not two).
        let epoch = SourceDateEpoch.zero
        let rootfs = try prerequisite("the toolstack packages (apt, network)") {
            try ToolstackRootFS.build(packages: cache, arch: "arm64", xenVersion: "4.17", kernel: kernel, epoch: epoch) { print($0) }
        }
        let names = rootfs.description.packages.map { String($0.split(separator: " ")[0]) }
        for p in ["xen-utils-4.17", "xenstore-utils", "libc6", "libxenstore4", "busybox-static", "iproute2", "kmod"] {
            XCTAssertTrue(names.contains(p), "\(p) in the closure: \(names)")
        }
        XCTAssertFalse(names.contains("xen-hypervisor-4.17-arm64"), "Recommends are not followed")
        XCTAssertEqual(rootfs.description.layout.xl, "usr/lib/xen-4.17/bin/xl")
        XCTAssertEqual(rootfs.description.layout.xenstored, "usr/lib/xen-4.17/bin/xenstored")
        XCTAssertEqual(rootfs.description.layout.initDom0less, "usr/lib/xen-4.17/bin/init-dom0less")

        let cpio = try Gzip.decompress(rootfs.archive)
        XCTAssertEqual(cpio.count, rootfs.description.uncompressedSize)
        let entries = try NewcEntries.parse(cpio)
        let paths = Set(entries.map(\.name))
        let modules = "usr/lib/modules/\(kernel.name.replacingOccurrences(of: "linux-image-", with: ""))"
        for path in ["usr/lib/xen-4.17/bin/xl", "usr/bin/busybox", "usr/lib/ld-linux-aarch64.so.1", "usr/sbin/modprobe",
                     "\(modules)/modules.dep", "\(modules)/modules.dep.bin", "\(modules)/kernel/drivers/net/xen-netback/xen-netback.ko",
                     "\(modules)/kernel/net/bridge/bridge.ko", "\(modules)/kernel/net/802/stp.ko",
                     "usr/share/doc/libc6/copyright"] {
            XCTAssertTrue(paths.contains(path), "\(path) in the archive")
        }
        XCTAssertFalse(paths.contains { $0.hasPrefix("usr/share/man/") }, "no manual pages")
        for top in ["bin", "sbin", "lib"] {
            XCTAssertEqual(entries.first { $0.name == top }.map { String(decoding: $0.data, as: UTF8.self) }, "usr/" + top, "merged /usr: \(top)")
            XCTAssertFalse(paths.contains { $0.hasPrefix(top + "/") }, "nothing under the \(top) link")
        }
        XCTAssertFalse(paths.contains("\(modules)/kernel/sound"), "only the modules asked for and their dependencies")
        XCTAssertTrue(entries.allSatisfy { $0.uid == 0 && $0.gid == 0 && $0.mtime == 0 }, "owner root, mtime = epoch")
        XCTAssertEqual(entries.map(\.name), entries.map(\.name).sorted(), "sorted")
        let dep = String(decoding: entries.first { $0.name == "\(modules)/modules.dep" }?.data ?? [], as: UTF8.self)
        XCTAssertTrue(dep.contains("kernel/drivers/xen/xenfs/xenfs.ko: kernel/drivers/xen/xen-privcmd.ko"), dep)

        // Packed again from the same packages: the same bytes. Asked again: the cached archive.
        let scratch = cache.root.appendingPathComponent("rootfs/.tmp.test-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let resolved = try cache.closure(of: ToolstackContents.packages(xenVersion: "4.17"), arch: "arm64")
        let (again, _) = try ToolstackRootFS.assemble(resolved, packages: cache, kernel: kernel, key: rootfs.description.key,
                                                      epoch: epoch, scratch: scratch) { _ in }
        XCTAssertEqual(again, rootfs.archive, "deterministic")
        let cached = try ToolstackRootFS.build(packages: cache, arch: "arm64", xenVersion: "4.17", kernel: kernel, epoch: epoch) { _ in }
        XCTAssertFalse(cached.packed)
        XCTAssertEqual(cached.archive, rootfs.archive)
        print("[size] toolstack rootfs (Debian 12, arm64): \(resolved.count) packages, \(cpio.count) bytes cpio, \(rootfs.archive.count) bytes gzip")
    }
}

/// A minimal newc reader for the checks above.
struct NewcEntries {
    struct Entry { let name: String; let uid: UInt32; let gid: UInt32; let mtime: UInt32; let data: [UInt8] }

    static func parse(_ bytes: [UInt8]) throws -> [Entry] {
        var entries: [Entry] = []
        var at = 0
        func field(_ i: Int) throws -> Int {
            let start = at + 6 + 8 * i
            guard start + 8 <= bytes.count, let v = UInt32(String(decoding: bytes[start..<start + 8], as: UTF8.self), radix: 16) else {
                throw RootFilesystemError("bad header at \(at)")
            }
            return Int(v)
        }
        func align(_ n: Int) -> Int { (n + 3) & ~3 }
        while at + 110 <= bytes.count {
            guard String(decoding: bytes[at..<at + 6], as: UTF8.self) == "070701" else { throw RootFilesystemError("bad magic at \(at)") }
            let size = try field(6), nameSize = try field(11)
            let nameStart = at + 110
            guard nameSize > 0, nameStart + nameSize <= bytes.count else { throw RootFilesystemError("bad name at \(at)") }
            let name = String(decoding: bytes[nameStart..<nameStart + nameSize - 1], as: UTF8.self)
            let dataStart = align(nameStart + nameSize)
            guard dataStart + size <= bytes.count else { throw RootFilesystemError("bad size at \(at)") }
            if name == "TRAILER!!!" { break }
            entries.append(Entry(name: name, uid: UInt32(try field(2)), gid: UInt32(try field(3)), mtime: UInt32(try field(5)),
                                 data: Array(bytes[dataStart..<dataStart + size])))
            at = align(dataStart + size)
        }
        return entries
    }
}
