import Foundation
import TestSupport
import XCTest
@testable import BootInputs

/// `prefetch`: several packages in one `apt-get download`, each verified and placed where `fetch` finds it.
final class PrefetchTests: XCTestCase {
    func testOneDownloadForSeveralPackages() throws {
        let root = try makeTemporaryDirectory(self, "bootinputs-prefetch")
        let cache = PackageCache(root: root)
        guard let resolved = try needingApt("resolve two small packages", {
            try cache.resolve([PackageSpec("readline-common", arch: "all"), PackageSpec("libaudit-common", arch: "all")])
        }) else { return }
        var lines: [String] = []
        _ = try needingApt("prefetch") { try cache.prefetch(resolved) { lines.append($0) } }
        XCTAssertTrue(lines.contains { $0.hasPrefix("downloading 2 packages") }, "\(lines)")
        XCTAssertTrue(lines.contains { $0.hasPrefix("downloaded and verified 2 of 2") }, "\(lines)")
        for package in resolved {
            var steps: [String] = []
            let fetched = try cache.fetch(package) { steps.append($0) }
            XCTAssertFalse(fetched.downloaded, "\(package) was placed by prefetch: \(steps)")
        }
    }
}
