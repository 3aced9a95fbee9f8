import Foundation
import XCTest
@testable import PrivateApt

/// Parsing of the machine's apt sources and the mirrors derived from them. The URIs below are test data (made-up
/// mirrors), never used to reach anything.
final class HostSourcesTests: XCTestCase {
    let deb822 = """
        Types: deb
        # a comment
        URIs: http://mirror.example/debian
        Suites: bookworm bookworm-updates
        Components: main contrib
        Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

        Types: deb
        URIs: http://mirror.example/debian-security
        Suites: bookworm-security
        Components: main
        Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

        Types: deb-src
        URIs: http://src.example/debian
        Suites: bookworm
        Components: main

        """

    func testDeb822StanzasKeepTheirLines() {
        let entries = HostAptSources.parseDeb822(deb822, file: "debian.sources")
        XCTAssertEqual(entries.map(\.origin), ["debian.sources:1", "debian.sources:8", "debian.sources:14"])
        XCTAssertEqual(entries[0].suites, ["bookworm", "bookworm-updates"])
        XCTAssertEqual(entries[0].components, ["main", "contrib"])
        XCTAssertEqual(entries[1].uris, ["http://mirror.example/debian-security"])
        XCTAssertEqual(entries[2].types, ["deb-src"])
        XCTAssertNil(entries[2].signedBy)
    }

    func testOneLineEntriesWithOptionsAndComments() {
        let text = """
            # deb http://commented.example/debian bookworm main
            deb [arch=amd64 signed-by=/etc/k.gpg] http://one.example/debian bookworm main non-free # tail
            deb-src http://one.example/debian bookworm main
            deb http://sec.example/debian-security bookworm-security main
            deb cdrom:[Debian 12]/ bookworm
            """
        let entries = HostAptSources.parseOneLine(text, file: "sources.list")
        XCTAssertEqual(entries.map(\.origin), ["sources.list:2", "sources.list:3", "sources.list:4"])
        XCTAssertEqual(entries[0].signedBy, "/etc/k.gpg")
        XCTAssertEqual(entries[0].uris, ["http://one.example/debian"])
        XCTAssertEqual(entries[0].components, ["main", "non-free"])
    }

    func testMirrorsComeFromTheDebEntries() throws {
        let entries = HostAptSources.parseDeb822(deb822, file: "debian.sources")
        let mirrors = try DebianMirrors.derive(from: entries, files: ["debian.sources"])
        XCTAssertEqual(mirrors.archive, "http://mirror.example/debian")
        XCTAssertEqual(mirrors.archiveOrigin, "debian.sources:1")
        XCTAssertEqual(mirrors.security, "http://mirror.example/debian-security")
        XCTAssertEqual(mirrors.signedBy, "/usr/share/keyrings/debian-archive-keyring.gpg")
    }

    func testNonDebianAndDisabledEntriesAreIgnored() throws {
        let text = """
            Types: deb
            URIs: http://vendor.example/apt
            Suites: cloud-sdk-bookworm
            Components: main

            Types: deb
            URIs: http://disabled.example/debian
            Suites: bookworm
            Components: main
            Enabled: no

            Types: deb-src
            URIs: http://src.example/debian
            Suites: bookworm
            Components: main
            """
        let entries = HostAptSources.parseDeb822(text, file: "x.sources")
        XCTAssertThrowsError(try DebianMirrors.derive(from: entries, files: ["x.sources"])) {
            XCTAssertEqual($0 as? PrivateAptError, .noDebianArchive(files: ["x.sources"]))
            XCTAssertTrue("\($0)".contains("x.sources"), "\($0)")
        }
        let noSecurity = try DebianMirrors.derive(from: HostAptSources.parseOneLine("deb http://a.example/d trixie main", file: "l"),
                                                  files: ["l"])
        XCTAssertNil(noSecurity.security)
    }

    func testPrivateConfigurationListsTheReleaseOnTheHostsMirrors() throws {
        let mirrors = try DebianMirrors.derive(from: HostAptSources.parseDeb822(deb822, file: "d"), files: ["d"])
        let root = URL(fileURLWithPath: "/cache")
        let apt = PrivateApt(release: .debian13, cacheRoot: root, mirrors: mirrors, architectures: ["arm64"])
        XCTAssertEqual(apt.root.path, "/cache/apt/debian-13")
        XCTAssertEqual(apt.sourcesText, """
            Types: deb deb-src
            URIs: http://mirror.example/debian
            Suites: trixie trixie-updates
            Components: main
            Architectures: arm64
            Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

            Types: deb deb-src
            URIs: http://mirror.example/debian-security
            Suites: trixie-security
            Components: main
            Architectures: arm64
            Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

            """)
        let options = apt.options
        XCTAssertTrue(options.contains("Dir::State::Lists=/cache/apt/debian-13/lists"))
        XCTAssertTrue(options.contains("Dir::Etc::SourceParts=/cache/apt/debian-13/etc/sources.list.d"))
        XCTAssertTrue(options.contains("Dir::State::status=/cache/apt/debian-13/state/status"))
        XCTAssertTrue(options.contains("Dir::Cache::archives=/cache/apt/debian-13/archives"))
        XCTAssertFalse(options.contains { $0.hasPrefix("/etc/apt") || $0.contains("=/var/lib/apt") })
    }

    func testPrintURIsParsing() {
        let out = """
            Reading package lists...
            Selected version '4.20.4+63-g7abfd2bce2-0+deb13u1' (trixie-security) for xen
            NOTICE: 'xen' packaging is maintained in the 'Git' version control system at:
            'http://m.example/pool/x/xen_4.20.4.dsc' xen_4.20.4.dsc 4054 SHA256:20EE94272da311e2dd64cf1e8dd1c86f683d0bc3ba3efde1fd1de2db16e64902
            'http://m.example/pool/x/xen_4.20.4.orig.tar.xz' xen_4.20.4.orig.tar.xz 4964620 SHA256:5142c1e5f9b952953caef4f732bbaef97097ac3ba736c600ab56ee2e512e42dc
            """
        let p = SourcePackage.parsePrintURIs(out, name: "xen")
        XCTAssertEqual(p?.version, "4.20.4+63-g7abfd2bce2-0+deb13u1")
        XCTAssertEqual(p?.suites, ["trixie-security"])
        XCTAssertEqual(p?.files.map(\.size), [4054, 4964620])
        XCTAssertEqual(p?.files.first?.sha256.prefix(4), "20ee")
        XCTAssertEqual(p?.dscName, "xen_4.20.4.dsc")
        XCTAssertNil(SourcePackage.parsePrintURIs("E: Unable to find a source package for xen", name: "xen"))
    }
}
