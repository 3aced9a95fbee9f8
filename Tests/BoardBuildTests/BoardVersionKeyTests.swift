import BoardBuild
import BoardFile
import DeviceTree
import Foundation
import TestSupport
import XCTest
import XenArm

/// Board keys against the board's Xen version (issue 14, scope 5): a key whose dom0less property the version does
/// not accept is an error naming the file, the key's line, the version (and where it came from) and the versions
/// that have it; the catalog (`Dom0lessBindings`) decides, so these follow its data.
final class BoardVersionKeyTests: XCTestCase {
    static let file = "/x/boards/ver.toml"

    func board(arch: String = "arm64", version: String?, image: String? = "source", _ domU: [String]) -> String {
        var lines = ["description = \"v\"", "arch = \"\(arch)\"", "status = \"build-only\"", "[dtb]", "kernel-dtb = \"arm/juno-r2.dtb\""]
        lines.append("[xen]")
        if let version { lines.append("version = \"\(version)\"") }
        if let image { lines.append("image = \"\(image)\"") }
        return (lines + domU).joined(separator: "\n")
    }

    func parse(_ text: String) throws -> Board { try BoardFileParser.parse(text, name: "ver", file: Self.file, directory: "/x/boards") }

    func error(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> TOMLError? {
        do {
            _ = try parse(text)
            XCTFail("accepted:\n\(text)", file: file, line: line)
        } catch let e as TOMLError {
            return e
        } catch {
            XCTFail("not a board-file error: \(error)", file: file, line: line)
        }
        return nil
    }

    let coloured = ["[[domu]]", "name = \"c\"", "memory = \"128M\"", "llc-colors = \"0-3,8\""]

    func testLLCColoursOnXen417NameTheVersionAndTheVersionsThatHaveThem() throws {
        // [xen] is line 6, version line 7, image line 8, [[domu]] line 9, llc-colors line 12.
        let e = try XCTUnwrap(error(board(version: "4.17", coloured)))
        XCTAssertEqual(e.file, Self.file)
        XCTAssertEqual(e.line, 12, "\(e)")
        XCTAssertTrue(e.message.contains("'llc-colors'"), "\(e)")
        XCTAssertTrue(e.message.contains("Xen 4.17 does not accept"), "\(e)")
        XCTAssertTrue(e.message.contains("[xen] version at line 7"), "\(e)")
        let have = Dom0lessBindings.binding(forKey: "domu.llc-colors")?.versions.map { "Xen \($0.rawValue)" }.joined(separator: ", ") ?? "?"
        XCTAssertTrue(e.message.contains("versions that have it: \(have)"), "\(e)")
        XCTAssertTrue(e.message.contains("Xen 4.20"), "4.20 has LLC colouring: \(e)")
    }

    func testTheDefaultVersionIsNamedAsTheDefault() throws {
        // arm32's default is 4.17 (no Debian 13 armhf hypervisor): the message says the version is the default.
        let e = try XCTUnwrap(error(board(arch: "arm32", version: nil, coloured)))
        XCTAssertEqual(e.line, 11, "\(e)")
        XCTAssertTrue(e.message.contains("Xen \(XenVersion.defaultVersion(for: .arm32)) does not accept"), "\(e)")
        XCTAssertTrue(e.message.contains("no [xen] version, the default for arm32"), "\(e)")
    }

    func testLLCColoursOnArm32Xen420AreArm64Only() throws {
        let e = try XCTUnwrap(error(board(arch: "arm32", version: "4.20", coloured)))
        XCTAssertEqual(e.line, 12, "\(e)")
        XCTAssertTrue(e.message.contains("accepts on arm64 only, not on arm32"), "\(e)")
    }

    func testLLCColoursOnXen420AreWrittenWithWhatXenNeeds() throws {
        let b = try parse(board(version: "4.20", coloured))
        XCTAssertEqual(b.domUs.first?.llcColors, "0-3,8")
        XCTAssertEqual(b.dom0lessKconfig, ["LLC_COLORING"])
        XCTAssertEqual(b.dom0lessXenArguments, ["llc-coloring=on"])
        let plain = try parse(board(version: "4.17", ["[[domu]]", "name = \"p\"", "memory = \"128M\"", "vpl011 = true"]))
        XCTAssertEqual(plain.dom0lessBindings.map(\.property), ["memory", "vpl011"])
        XCTAssertEqual(plain.dom0lessKconfig, [])
    }

    func testMalformedColoursAreErrorsAtTheirLine() throws {
        for bad in ["", "3-1", "0-3,,4", "a", "0-128", "1-2-3", "+3"] {
            let domU = ["[[domu]]", "name = \"c\"", "memory = \"128M\"", "llc-colors = \"\(bad)\""]
            let e = try XCTUnwrap(error(board(version: "4.20", domU)), bad)
            XCTAssertEqual(e.line, 12, "\(bad): \(e)")
            XCTAssertTrue(e.message.contains("llc-colors '\(bad)'"), "\(bad): \(e)")
        }
    }

    func testColouringWithStaticMemoryIsAnError() throws {
        let pinned = ["[[domu]]", "name = \"s\"", "memory = \"128M\"", "static-mem = \"0x50000000:0x8000000\""]
        let e = try XCTUnwrap(error(board(version: "4.20", coloured + pinned)))
        XCTAssertEqual(e.line, 16, "\(e)")
        XCTAssertTrue(e.message.contains("LLC coloring and static memory are incompatible"), "\(e)")
    }

    /// Every catalogued key is accepted by a version listed for it and refused by any other (the check follows data).
    func testEveryBindingFollowsItsVersions() throws {
        for binding in Dom0lessBindings.all where binding.node == "xen,domain" {
            XCTAssertFalse(binding.versions.isEmpty, binding.boardKey)
            for v in XenVersion.allCases {
                let problem = Dom0lessBindings.problem(binding, version: v, arch: .arm64, versionSource: "test")
                XCTAssertEqual(problem == nil, binding.accepted(by: v) && binding.architectures.contains(.arm64), "\(binding.boardKey) on \(v): \(problem ?? "")")
            }
        }
    }

    /// The DomU node carries `llc-colors` as written, and a guest without the key has none.
    func testDomUNodeCarriesTheColours() throws {
        let b = try parse(board(version: "4.20", coloured + ["[[domu]]", "name = \"plain\"", "memory = \"64M\""]))
        let t = try decodeDTS("/dts-v1/; / { #address-cells = <2>; #size-cells = <2>; chosen { }; };")
        try ChosenWriter.write(into: t, xenBootargs: "", dom0Bootargs: "", modules: [])
        for (i, d) in b.domUs.enumerated() {
            let base = UInt64(0x4800_0000 + i * 0x400_0000)
            try DomUWriter.write(into: t, domU: d, modules: .init(kernel: .init(kind: .kernel, address: base, size: 0x100_0000),
                                                                 ramdisk: .init(kind: .ramdisk, address: base + 0x200_0000, size: 0x1000),
                                                                 partialDTB: nil, bootargs: ""), cpupools: [])
        }
        let back = try DTBDecoder.decode(DTBEncoder.encode(t))
        XCTAssertEqual(back.node(at: "/chosen/domU-c")?.property("llc-colors")?.string, "0-3,8")
        XCTAssertNotNil(back.node(at: "/chosen/domU-plain"))
        XCTAssertNil(back.node(at: "/chosen/domU-plain")?.property("llc-colors"))
    }

    /// `--xen-version` replaces the file's version before the keys are checked, and the error names it.
    func testCommandLineVersionDecides() throws {
        let bytes = Array(board(version: "4.17", coloured).utf8)
        let b = try BoardFileParser.parse(bytes: bytes, name: "ver", file: Self.file, directory: "/x/boards", xenVersion: .v4_20)
        XCTAssertEqual(b.xenVersion, .v4_20)
        XCTAssertEqual(b.domUs.first?.llcColors, "0-3,8")
        XCTAssertThrowsError(try BoardFileParser.parse(bytes: Array(board(version: "4.20", coloured).utf8), name: "ver", file: Self.file,
                                                       directory: "/x/boards", xenVersion: .v4_17)) { e in
            XCTAssertEqual((e as? TOMLError)?.line, 12, "\(e)")
            XCTAssertTrue("\(e)".contains("this board uses Xen 4.17: --xen-version 4.17"), "\(e)")
        }
    }

    /// `max-grant-frames` (Xen 4.18's per-domain `max_grant_frames`): refused on 4.17, range-checked, written as a u32.
    func testMaxGrantFrames() throws {
        let frames = ["[[domu]]", "name = \"g\"", "memory = \"128M\"", "max-grant-frames = 128"]
        let e = try XCTUnwrap(error(board(version: "4.17", frames)))
        XCTAssertEqual(e.line, 12, "\(e)")
        XCTAssertTrue(e.message.contains("'max_grant_frames'") && e.message.contains("Xen 4.17 does not accept"), "\(e)")
        for bad in ["0", "-1", "2147483648"] {
            let b = ["[[domu]]", "name = \"g\"", "memory = \"128M\"", "max-grant-frames = \(bad)"]
            let e = try XCTUnwrap(error(board(version: "4.20", b)), bad)
            XCTAssertEqual(e.line, 12, "\(bad): \(e)")
            XCTAssertTrue(e.message.contains("max-grant-frames must be 1 to 2147483647"), "\(bad): \(e)")
        }
        let b = try parse(board(version: "4.20", image: nil, frames))
        XCTAssertEqual(b.domUs.first?.maxGrantFrames, 128)
        XCTAssertEqual(b.dom0lessKconfig, [], "no build option: Debian's prebuilt 4.20 takes it")
        let t = try decodeDTS("/dts-v1/; / { #address-cells = <2>; #size-cells = <2>; chosen { }; };")
        try ChosenWriter.write(into: t, xenBootargs: "", dom0Bootargs: "", modules: [])
        try DomUWriter.write(into: t, domU: try XCTUnwrap(b.domUs.first), modules: .init(
            kernel: .init(kind: .kernel, address: 0x4800_0000, size: 0x100_0000), ramdisk: .init(kind: .ramdisk, address: 0x4a00_0000, size: 0x1000),
            partialDTB: nil, bootargs: ""), cpupools: [])
        XCTAssertEqual(try DTBDecoder.decode(DTBEncoder.encode(t)).node(at: "/chosen/domU-g")?.property("max_grant_frames")?.u32, 128)
    }
}
