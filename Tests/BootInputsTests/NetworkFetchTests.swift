import Foundation
import Infrastructure
import TestSupport
import XCTest
@testable import BootInputs

/// Resolves and downloads Debian's busybox-static for arm64 and armhf into an empty cache with the real apt.
/// Skipped when apt cannot resolve them here (fails instead when `CI` is set).
final class NetworkFetchTests: XCTestCase {
    func testBusyboxStaticForBothArchitectures() throws {
        let root = try makeTemporaryDirectory(self, "bootinputs-net")
        let cache = PackageCache(root: root)
        guard let resolved = try needingApt("resolve busybox-static", {
            try cache.resolve([PackageSpec("busybox-static", arch: "arm64"), PackageSpec("busybox-static", arch: "armhf")])
        }) else { return }
        XCTAssertEqual(resolved.map(\.arch), ["arm64", "armhf"])
        // The second resolution is answered from <root>/apt-answers.json (apt's state is unchanged).
        let (again, memoTime) = try timed {
            try cache.resolve([PackageSpec("busybox-static", arch: "arm64"), PackageSpec("busybox-static", arch: "armhf")])
        }
        XCTAssertEqual(again, resolved)
        XCTAssertTrue(FileManager.default.fileExists(atPath: root.appendingPathComponent("apt-answers.json").path))
        print("[timing] busybox-static resolution from the memo: \(String(format: "%.4f", memoTime)) s")

        for (package, arch) in zip(resolved, [ImageArch.arm64, .arm32]) {
            XCTAssertEqual(package.name, "busybox-static")
            XCTAssertEqual(package.sha256.count, 64)
            XCTAssertGreaterThan(package.size, 100_000)
            var lines: [String] = []
            guard let (cold, coldTime) = try needingApt("fetch \(package)", {
                try timed { try cache.fetch(package) { lines.append($0) } }
            }) else { return }
            XCTAssertTrue(cold.downloaded)
            XCTAssertTrue(cold.unpacked)
            XCTAssertEqual(cold.debPath, root.appendingPathComponent("debs/\(package.debFileName)"))
            let busybox = try cold.file(matching: "bin/busybox")
            XCTAssertEqual(try elfMachine(of: busybox), arch.elfMachine, "\(busybox.path) e_machine")
            let image = try KernelImage.detect(contentsOf: busybox)
            guard case let .elf(h) = image.kind else { return XCTFail("\(image.kind)") }
            XCTAssertEqual(h.imageArch, arch)
            XCTAssertEqual(h.is64Bit, arch == .arm64)

            let (warm, warmTime) = try timed { try cache.fetch(package) }
            XCTAssertFalse(warm.downloaded)
            XCTAssertFalse(warm.unpacked)
            XCTAssertEqual(warm.root, cold.root)
            print("[timing] \(package): cold fetch \(String(format: "%.2f", coldTime)) s, cached fetch "
                + "\(String(format: "%.3f", warmTime)) s (\(lines.joined(separator: "; ")))")
        }
        let left = try FileManager.default.contentsOfDirectory(atPath: cache.debsDirectory.path).filter { $0.hasPrefix(".") }
        XCTAssertEqual(left, [])
    }

    func testUnknownPackageWithRealApt() throws {
        try requireTool("apt-cache")
        let cache = PackageCache(root: try makeTemporaryDirectory(self, "bootinputs-net"))
        XCTAssertThrowsError(try cache.resolve("xen-board-no-such-package", arch: "arm64")) {
            XCTAssertEqual($0 as? PackageError, .unknownPackage(package: "xen-board-no-such-package:arm64"))
        }
    }
}
