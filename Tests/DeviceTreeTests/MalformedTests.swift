@testable import DeviceTree
import TestSupport
import XenArm
import XCTest

/// Assembles blobs word by word so each test can corrupt exactly one thing.
struct RawBlob {
    var structBlock: [UInt8] = []
    var strings: [UInt8] = []
    var reservations: [(UInt64, UInt64)] = []

    mutating func word(_ v: UInt32) { structBlock += [UInt8(v >> 24), UInt8(v >> 16 & 0xff), UInt8(v >> 8 & 0xff), UInt8(v & 0xff)] }
    mutating func begin(_ name: String) { word(1); structBlock += Array(name.utf8) + [0]; pad() }
    mutating func end() { word(2) }
    mutating func prop(_ nameOff: UInt32, _ value: [UInt8]) { word(3); word(UInt32(value.count)); word(nameOff); structBlock += value; pad() }
    mutating func finish() { word(9) }
    mutating func pad() { while structBlock.count % 4 != 0 { structBlock.append(0) } }

    /// Header fields can be overridden after layout.
    func bytes(version: UInt32 = 17) -> [UInt8] {
        var out: [UInt8] = []
        func w(_ v: UInt32) { out += [UInt8(v >> 24), UInt8(v >> 16 & 0xff), UInt8(v >> 8 & 0xff), UInt8(v & 0xff)] }
        let rsvOff = 40, structOff = rsvOff + 16 * (reservations.count + 1)
        let stringsOff = structOff + structBlock.count
        let total = stringsOff + strings.count
        for v in [0xd00d_feed, UInt32(total), UInt32(structOff), UInt32(stringsOff), UInt32(rsvOff), version, 16, 0,
                  UInt32(strings.count), UInt32(structBlock.count)] { w(v) }
        for (a, s) in reservations + [(0, 0)] { w(UInt32(a >> 32)); w(UInt32(a & 0xffff_ffff)); w(UInt32(s >> 32)); w(UInt32(s & 0xffff_ffff)) }
        return out + structBlock + strings
    }

    static var valid: RawBlob {
        var b = RawBlob()
        b.strings = Array("model\0reg\0".utf8)
        b.reservations = [(0x1000, 0x1000)]
        b.begin("")
        b.prop(0, Array("m\0".utf8))
        b.begin("node@1")
        b.prop(6, [0, 0, 0, 1])
        b.end()
        b.end()
        b.finish()
        return b
    }
}

extension Array where Element == UInt8 {
    func settingWord(_ offset: Int, _ v: UInt32) -> [UInt8] {
        var c = self
        c[offset] = UInt8(v >> 24); c[offset + 1] = UInt8(v >> 16 & 0xff); c[offset + 2] = UInt8(v >> 8 & 0xff); c[offset + 3] = UInt8(v & 0xff)
        return c
    }
}

final class MalformedTests: XCTestCase {
    /// Asserts the decode fails with this kind at this offset.
    func expect(_ blob: [UInt8], _ kind: DTBError.Kind, at offset: Int?, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try DTBDecoder.decode(blob), file: file, line: line) { e in
            guard let err = e as? DTBError else { return XCTFail("not a DTBError: \(e)", file: file, line: line) }
            XCTAssertEqual(err.kind, kind, "\(err)", file: file, line: line)
            if let offset { XCTAssertEqual(err.offset, offset, "\(err)", file: file, line: line) }
        }
    }

    /// Struct block offset of RawBlob.valid (one reservation + terminator) and of blobs without reservations.
    let structOff = 40 + 32
    let bareStructOff = 40 + 16

    func testBaselineIsValid() throws {
        let t = try DTBDecoder.decode(RawBlob.valid.bytes())
        XCTAssertEqual(t.node(at: "/node@1")?.property("reg")?.u32, 1)
        XCTAssertEqual(t.memoryReservations.count, 1)
    }

    func testHeaderProblems() {
        let good = RawBlob.valid.bytes()
        expect([], .truncated, at: 0)
        expect([0xd0, 0x0d], .truncated, at: 0)
        expect(Array(good.prefix(20)), .truncated, at: 20)
        expect(good.settingWord(0, 0xdeadbeef), .badMagic, at: 0)
        expect(good.settingWord(20, 15), .badVersion, at: 20)
        expect(good.settingWord(20, 18).settingWord(24, 18), .badVersion, at: 20)
        expect(Array(good.prefix(good.count / 2)), .truncated, at: 4)
        expect(good.settingWord(4, 20), .badLayout, at: 4)
    }

    func testBlocksOutOfRangeMisalignedOrOverlapping() {
        let good = RawBlob.valid.bytes()
        expect(good.settingWord(8, UInt32(good.count + 4)), .badLayout, at: 8)          // struct past end
        expect(good.settingWord(8, UInt32(structOff + 2)), .badLayout, at: 8)           // struct misaligned
        expect(good.settingWord(8, 8), .badLayout, at: 8)                               // struct inside header
        expect(good.settingWord(16, 44), .badLayout, at: 16)                            // memrsv misaligned
        expect(good.settingWord(32, 0x10000), .badLayout, at: 32)                        // strings past end
        expect(good.settingWord(36, 0x10000), .badLayout, at: 36)                        // struct size past end
        expect(good.settingWord(12, UInt32(structOff)), .badLayout, at: 12)             // strings overlap struct
        expect(good.settingWord(16, UInt32(structOff)), .badLayout, at: structOff)      // memrsv overlaps struct
        var noTerminator = RawBlob.valid.bytes()
        noTerminator.replaceSubrange(56..<72, with: [UInt8](repeating: 0xff, count: 16)) // no (0,0) before struct
        expect(noTerminator, .badLayout, at: structOff) // entries run into the struct block
    }

    func testStructureProblems() {
        var b = RawBlob.valid
        // Unterminated node name: name runs to the end of the struct block.
        b = RawBlob(); b.strings = Array("a\0".utf8); b.word(1); b.structBlock += Array("abcd".utf8)
        expect(b.bytes(), .unterminatedName, at: bareStructOff + 4)
        // Unterminated property name in the strings block.
        b = RawBlob(); b.strings = Array("abc".utf8); b.begin(""); b.prop(0, []); b.end(); b.finish()
        expect(b.bytes(), .unterminatedName, at: nil)
        // Name offset outside the strings block.
        b = RawBlob(); b.strings = Array("a\0".utf8); b.begin(""); b.prop(100, []); b.end(); b.finish()
        expect(b.bytes(), .badNameOffset, at: bareStructOff + 8 + 8)
        // Unknown token.
        b = RawBlob(); b.begin(""); b.word(7); b.end(); b.finish()
        expect(b.bytes(), .badToken, at: bareStructOff + 8)
        // END_NODE without BEGIN_NODE.
        b = RawBlob(); b.end(); b.finish()
        expect(b.bytes(), .badStructure, at: bareStructOff)
        // FDT_END with a node open.
        b = RawBlob(); b.begin(""); b.begin("x"); b.end(); b.finish()
        expect(b.bytes(), .badStructure, at: nil)
        // Struct block without FDT_END.
        b = RawBlob(); b.begin(""); b.end()
        expect(b.bytes(), .truncated, at: nil)
        // Property value longer than the block.
        b = RawBlob(); b.strings = Array("a\0".utf8); b.begin(""); b.word(3); b.word(0x7fff_ffff); b.word(0); b.end(); b.finish()
        expect(b.bytes(), .truncated, at: bareStructOff + 12)
        // Property before any node.
        b = RawBlob(); b.strings = Array("a\0".utf8); b.prop(0, []); b.finish()
        expect(b.bytes(), .badStructure, at: bareStructOff)
        // Two root nodes.
        b = RawBlob(); b.begin(""); b.end(); b.begin(""); b.end(); b.finish()
        expect(b.bytes(), .badStructure, at: bareStructOff + 12)
        // FDT_END before any node.
        b = RawBlob(); b.finish()
        expect(b.bytes(), .badStructure, at: bareStructOff)
        // A node name that is not UTF-8.
        b = RawBlob(); b.begin(""); b.word(1); b.structBlock += [0xff, 0xfe, 0]; b.pad(); b.end(); b.end(); b.finish()
        expect(b.bytes(), .badEncoding, at: bareStructOff + 12)
    }

    func testAbsurdNestingIsRejectedWithoutRecursion() {
        var b = RawBlob()
        for _ in 0..<100_000 { b.begin("n") }
        for _ in 0..<100_000 { b.end() }
        b.finish()
        // Each begin("n") is 8 bytes: the 257th starts at 256*8.
        expect(b.bytes(), .tooDeep, at: bareStructOff + 256 * 8)
    }

    func testLibfdtIsTheSecondOpinion() throws {
        // A root node with a name: our structure walk accepts it, libfdt's fdt_check_full does not.
        var b = RawBlob(); b.begin("notempty"); b.end(); b.finish()
        XCTAssertNoThrow(try DTBDecoder.decode(b.bytes(), validate: false))
        expect(b.bytes(), .libfdt, at: 0)
    }

    /// Random corruption of a real blob never crashes or hangs: each result is a typed error or a tree that
    /// re-encodes into a blob libfdt accepts.
    func testMutationsNeverCrash() throws {
        let seedBlob = try compileDTS("""
        /dts-v1/;
        /memreserve/ 0x80000000 0x1000;
        / { #address-cells = <1>; #size-cells = <1>; compatible = "a,b";
            soc { ranges; uart@1000 { reg = <0x1000 0x100>; status = "okay"; }; gpio@2000 { reg = <0x2000 0x100>; }; };
            chosen { bootargs = "console=ttyAMA0"; }; };
        """)
        var rng = SplitMix64(seed: 0x5eed)
        var decoded = 0, rejected = 0
        for i in 0..<3000 {
            var blob = seedBlob
            switch i % 3 {
            case 0:
                for _ in 0...(rng.next() % 4) { blob[Int(rng.next() % UInt64(blob.count))] = UInt8(truncatingIfNeeded: rng.next()) }
            case 1:
                blob = Array(blob.prefix(Int(rng.next() % UInt64(blob.count))))
            default:
                let off = Int(rng.next() % UInt64(blob.count / 4)) * 4
                blob = blob.settingWord(off, UInt32(truncatingIfNeeded: rng.next() % 16))
            }
            do {
                let t = try DTBDecoder.decode(blob)
                _ = try DTBEncoder.encode(t)
                decoded += 1
            } catch is DTBError {
                rejected += 1
            }
        }
        XCTAssertGreaterThan(rejected, 500)
        XCTAssertGreaterThan(decoded, 50, "some mutations only touch values")
    }
}

struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}

/// Numbers from the tree that used to wrap or recurse (issue 11): checked where they are read.
final class CheckedResolutionTests: XCTestCase {
    func testGICNumberWhoseINTIDOverflowsIsNoGICInterrupt() throws {
        let gic = Node(name: "intc", properties: [Property(name: "compatible", .string("arm,gic-v3"))])
        XCTAssertNil(GICInterrupt(InterruptSpecifier(controller: gic, cells: [0, 0xffff_ffff, 4])))
        XCTAssertEqual(GICInterrupt(InterruptSpecifier(controller: gic, cells: [0, 5, 4]))?.intid, 37)
    }

    func testRegionWrappingTheAddressSpaceIsAnErrorNamingTheNode() throws {
        let tree = try decodeDTS("/dts-v1/; / { #address-cells = <2>; #size-cells = <2>; d@0 { reg = <0xffffffff 0xffffff00 0 0x200>; }; };")
        let node = try XCTUnwrap(tree.node(at: "/d@0"))
        XCTAssertThrowsError(try tree.physicalRegions(of: node)) { XCTAssertTrue("\($0)".contains("/d@0") && "\($0)".contains("wraps"), "\($0)") }
    }

    func testRangesTranslationPastTheAddressSpaceIsAnError() throws {
        let tree = try decodeDTS("""
        /dts-v1/; / { #address-cells = <2>; #size-cells = <2>;
          bus { compatible = "simple-bus"; #address-cells = <1>; #size-cells = <1>; ranges = <0 0xffffffff 0xfffff000 0x10000>;
            d@8000 { reg = <0x8000 0x10>; }; }; };
        """)
        let node = try XCTUnwrap(tree.node(at: "/bus/d@8000"))
        XCTAssertThrowsError(try tree.physicalRegions(of: node)) { XCTAssertTrue("\($0)".contains("2^64"), "\($0)") }
    }

    func testAliasChainsDoNotRecurse() throws {
        let tree = try decodeDTS("/dts-v1/; / { aliases { a = \"b\"; b = \"a\"; c = \"c/x\"; d = \"/n\"; }; n { x { }; }; };")
        XCTAssertNil(tree.node(at: "a"))
        XCTAssertNil(tree.node(at: "c/x"))
        XCTAssertEqual(tree.node(at: "d/x")?.path, "/n/x")
    }
}
