import Foundation
import XCTest
@testable import PrivateApt

/// The private configurations against the real archives this machine uses (network; CI runs them). They use the
/// shared cache, so the index is loaded once per day, not per run.
final class RealArchiveTests: XCTestCase {
    var cacheRoot: URL {
        if let custom = ProcessInfo.processInfo.environment["XEN_BOARD_CACHE"], !custom.isEmpty {
            return URL(fileURLWithPath: custom, isDirectory: true)
        }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/xen-board", isDirectory: true)
    }

    /// Debian 13's xen source is 4.20, and apt-cache with the private options sees Debian 13's hypervisor package.
    func testDebian13SourceAndBinaries() throws {
        let apt = try PrivateApt.forHost(.debian13, cacheRoot: cacheRoot)
        let source = try apt.newestSource("xen", versionPrefix: "4.20.") { print("[apt] \($0)") }
        XCTAssertTrue(source.version.hasPrefix("4.20."), source.description)
        XCTAssertNotNil(source.dscName)
        let r = try apt.run("apt-cache", ["show", "--no-all-versions", "xen-hypervisor-4.20-arm64:arm64"], timeout: 120)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("Version: \(source.version)"), "binary and source differ: \(r.stdout.prefix(400))")
        // The host's own configuration is untouched: no trixie entry appears under /etc/apt.
        let (entries, _) = HostAptSources.read()
        XCTAssertFalse(entries.contains { $0.suites.contains { $0.hasPrefix("trixie") } && $0.origin.contains("xen-board") })
    }

    /// Debian 12's newest 4.17 source comes from a suite that has it, security updates included, and is the version
    /// of the prebuilt hypervisor apt offers.
    func testDebian12NewestSourceMatchesTheBinary() throws {
        let apt = try PrivateApt.forHost(.debian12, cacheRoot: cacheRoot)
        let source = try apt.newestSource("xen", versionPrefix: "4.17.") { print("[apt] \($0)") }
        print("[apt] newest Debian 12 xen source: \(source)")
        let r = try apt.run("apt-cache", ["show", "--no-all-versions", "xen-hypervisor-4.17-arm64:arm64"], timeout: 120)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("Version: \(source.version)"), "binary and source differ: \(r.stdout.prefix(400))")
    }

    func testUnknownSourceNamesTheReleaseAndSuites() throws {
        let apt = try PrivateApt.forHost(.debian13, cacheRoot: cacheRoot)
        XCTAssertThrowsError(try apt.newestSource("xen", versionPrefix: "4.99.")) {
            XCTAssertTrue("\($0)".contains("Debian 13 (trixie)") && "\($0)".contains("trixie-security"), "\($0)")
        }
    }
}
