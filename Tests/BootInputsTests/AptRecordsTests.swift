import XCTest
@testable import BootInputs

final class AptRecordsTests: XCTestCase {
    static let busyboxShow = """
        Package: busybox-static
        Source: busybox (1:1.35.0-4+deb12u1)
        Version: 1:1.35.0-4+deb12u1+b1
        Installed-Size: 1892
        Architecture: arm64
        Description: Standalone rescue shell with tons of builtin utilities
        Tag: admin::recovery, interface::shell, role::program, scope::utility,
         use::login, works-with::file
        Filename: pool/main/b/busybox/busybox-static_1.35.0-4+deb12u1+b1_arm64.deb
        Size: 822236
        SHA256: 732c9135564fc71337e0e05fb4da4d11e6c28c1834bce3e405e575afef2a52f5

        Package: linux-image-arm64
        Version: 6.1.176-1
        Architecture: arm64
        Depends: linux-image-6.1.0-50-arm64 (= 6.1.176-1)
        Size: 1444
        SHA256: f2d26d4c1aa55cb9527cf3c74e437f470f77b82665002a1758ea139ccc81046b

        """

    func testParseRecords() throws {
        let records = AptRecord.parse(Self.busyboxShow)
        XCTAssertEqual(records.count, 2)
        XCTAssertEqual(records[0]["Tag"], "admin::recovery, interface::shell, role::program, scope::utility,\nuse::login, works-with::file")
        let spec = try PackageSpec("busybox-static", arch: "arm64")
        XCTAssertTrue(records[0].answers(spec))
        XCTAssertFalse(records[1].answers(spec))
        XCTAssertFalse(records[0].answers(try PackageSpec("busybox-static", arch: "armhf")))
        XCTAssertFalse(records[0].answers(try PackageSpec("busybox-static", arch: "arm64", version: "1.0")))
        let resolved = try records[0].resolved(for: spec)
        XCTAssertEqual(resolved, ResolvedPackage(
            name: "busybox-static", arch: "arm64", version: "1:1.35.0-4+deb12u1+b1",
            sha256: "732c9135564fc71337e0e05fb4da4d11e6c28c1834bce3e405e575afef2a52f5", size: 822_236,
            poolPath: "pool/main/b/busybox/busybox-static_1.35.0-4+deb12u1+b1_arm64.deb"))
        XCTAssertEqual(resolved.aptSpec, "busybox-static:arm64=1:1.35.0-4+deb12u1+b1")
        XCTAssertEqual(resolved.debFileName, "busybox-static_1%3a1.35.0-4+deb12u1+b1_arm64.deb", "apt-get download's own name")
        XCTAssertEqual(resolved.unpackedDirectoryName, "busybox-static_1%3a1.35.0-4+deb12u1+b1_arm64_732c9135564f")
    }

    func testMalformedRecordsNameThePackageAndField() throws {
        let spec = try PackageSpec("p1", arch: "arm64")
        let base = ["Package": "p1", "Architecture": "arm64", "Version": "1.0", "Size": "10",
                    "SHA256": String(repeating: "a", count: 64)]
        for (field, bad) in [("SHA256", "xyz"), ("Size", "ten"), ("Version", "-1")] {
            var fields = base
            fields[field] = bad
            XCTAssertThrowsError(try AptRecord(fields: fields).resolved(for: spec)) {
                XCTAssertEqual($0 as? PackageError, .malformedRecord(package: "p1:arm64", field: field, value: bad))
            }
        }
        var missing = base
        missing["SHA256"] = nil
        XCTAssertThrowsError(try AptRecord(fields: missing).resolved(for: spec)) {
            XCTAssertEqual("\($0)", "apt-cache record of p1:arm64 has no SHA256 field")
        }
    }

    func testArchitectureIndependentPackages() throws {
        let record = AptRecord(fields: ["Package": "p1", "Architecture": "all", "Version": "2", "Size": "1",
                                        "SHA256": String(repeating: "b", count: 64)])
        let resolved = try record.resolved(for: try PackageSpec("p1", arch: "arm64"))
        XCTAssertEqual(resolved.arch, "all")
        XCTAssertEqual(resolved.aptSpec, "p1=2")
        XCTAssertEqual(resolved.debFileName, "p1_2_all.deb")
    }

    func testDependsParsing() {
        let deps = Dependency.parse("libc6 (>= 2.36), a | b:any (= 1.0), c [arm64], <virt>, d (<< 3)")
        XCTAssertEqual(deps.count, 5)
        XCTAssertEqual(deps[0], [Dependency(name: "libc6", relation: ">=", version: "2.36")])
        XCTAssertEqual(deps[1], [Dependency(name: "a"), Dependency(name: "b", relation: "=", version: "1.0")])
        XCTAssertEqual(deps[2], [Dependency(name: "c")])
        XCTAssertEqual(deps[3], [])
        XCTAssertEqual(deps[4], [Dependency(name: "d", relation: "<<", version: "3")])
    }

    func testConcreteDependencyOfMetaPackages() {
        func concrete(_ meta: String, _ depends: String) -> Dependency? {
            Dependency.concrete(of: meta, among: Dependency.parse(depends))
        }
        XCTAssertEqual(concrete("linux-image-arm64", "linux-image-6.1.0-50-arm64 (= 6.1.176-1)"),
                       Dependency(name: "linux-image-6.1.0-50-arm64", relation: "=", version: "6.1.176-1"))
        XCTAssertEqual(concrete("linux-image-armmp-lpae", "linux-image-6.1.0-50-armmp-lpae (= 6.1.176-1)")?.name,
                       "linux-image-6.1.0-50-armmp-lpae")
        // Another flavour, or an unversioned name, is not the concrete package.
        XCTAssertNil(concrete("linux-image-armmp-lpae", "linux-image-6.1.0-50-armmp (= 1)"))
        XCTAssertNil(concrete("linux-image-arm64", "linux-image-rt-arm64, initramfs-tools"))
        XCTAssertEqual(concrete("linux-image-arm64", "firmware-linux | linux-base, linux-image-6.1.0-50-arm64")?.name,
                       "linux-image-6.1.0-50-arm64")
        XCTAssertEqual(concrete("xen-hypervisor-arm64", "xen-hypervisor-4.17-arm64")?.name, "xen-hypervisor-4.17-arm64")
    }

    func testPackageSpecValidation() throws {
        XCTAssertEqual(try PackageSpec(parsing: "busybox-static:arm64").description, "busybox-static:arm64")
        let pinned = try PackageSpec(parsing: "busybox-static:armhf=1:1.35.0-4+deb12u1+b1")
        XCTAssertEqual(pinned.name, "busybox-static")
        XCTAssertEqual(pinned.arch, "armhf")
        XCTAssertEqual(pinned.version, "1:1.35.0-4+deb12u1+b1")
        for bad in ["busybox-static", "-o:arm64", "Busybox:arm64", "a b:arm64", "x:arm64", "p1:-arm", "p1:arm64=-1",
                    "p1:arm64=1 2", ":arm64", "p1:"] {
            XCTAssertThrowsError(try PackageSpec(parsing: bad), bad) { error in
                guard case .invalidSpec = error as? PackageError else { return XCTFail("\(bad): \(error)") }
            }
        }
        XCTAssertThrowsError(try PackageSpec("--help", arch: "arm64")) {
            XCTAssertEqual("\($0)", "invalid package specification '--help:arm64': expected a Debian package name ([a-z0-9][a-z0-9+.-]+)")
        }
    }

    func testPathPatterns() {
        XCTAssertTrue(PathPattern.match("vmlinuz-6.1.0-50-arm64", "vmlinuz-*"))
        XCTAssertTrue(PathPattern.match("xen-4.17-arm64", "xen-*-arm64"))
        XCTAssertFalse(PathPattern.match("xen-4.17-arm64.efi", "xen-*-arm64"))
        XCTAssertTrue(PathPattern.match("abc", "a?c"))
        XCTAssertFalse(PathPattern.match("ac", "a?c"))
        XCTAssertTrue(PathPattern.match("anything", "*"))
        XCTAssertFalse(PathPattern.match(".complete", "*"))
        XCTAssertTrue(PathPattern.match(".complete", ".*"))
        XCTAssertTrue(PathPattern.match("a*b", "a*b"))
        XCTAssertTrue(PathPattern.match("aXbYb", "a*b"))
        XCTAssertFalse(PathPattern.match("aXbY", "a*b"))
        XCTAssertEqual(PathPattern("./boot//vmlinuz-*").components, ["boot", "vmlinuz-*"])
    }
}

/// `apt-get install --simulate` lines read back as pinned specs (the closure `PackageCache.closure` resolves).
final class PackageClosureTests: XCTestCase {
    func testInstallLines() throws {
        let specs = try AptSource.installLines("""
        NOTE: This is only a simulation!
        Inst libc6 (2.36-9+deb12u14 Debian:12.15/oldstable [arm64]) []
        Inst debconf (1.5.82 Debian:12.15/oldstable [all])
        Conf libc6 (2.36-9+deb12u14 Debian:12.15/oldstable [arm64])
        Inst libkrb5-3 (1.20.1-2+deb12u5 Debian:12.15/oldstable, Debian-Security:12/oldstable-security [arm64])
        """, arch: "arm64")
        XCTAssertEqual(specs.map(\.description), ["libc6:arm64=2.36-9+deb12u14", "debconf:all=1.5.82", "libkrb5-3:arm64=1.20.1-2+deb12u5"])
        XCTAssertThrowsError(try AptSource.installLines("Inst -o (1.0 [arm64])", arch: "arm64"), "an option-like name is rejected")
    }
}
