import BoardFile
import Foundation
import XCTest

/// Board semantics checked when a board file is read (issue 11, part 3): one test per class of nonsense the
/// hostile-input run found accepted, each asserting the error names the board file and the line of the key.
final class BoardSemanticsTests: XCTestCase {
    static let file = "/x/boards/sem.toml"

    let head = """
    description = "semantics"
    arch = "arm64"
    status = "build-only"
    [dtb]
    kernel-dtb = "arm/juno-r2.dtb"
    """

    func parse(_ text: String) throws -> Board {
        try BoardFileParser.parse(text, name: "sem", file: Self.file, directory: "/x/boards")
    }

    /// `lines` are appended after `head` (5 lines), so the first appended line is line 6.
    func expect(_ lines: [String], line: Int, _ fragment: String, file: StaticString = #filePath, l: UInt = #line) {
        XCTAssertThrowsError(try parse(([head] + lines).joined(separator: "\n")), file: file, line: l) { e in
            guard let err = e as? TOMLError else { return XCTFail("not a board-file error: \(e)", file: file, line: l) }
            XCTAssertEqual(err.file, Self.file, file: file, line: l)
            XCTAssertEqual(err.line, line, "\(err)", file: file, line: l)
            XCTAssertTrue(err.message.contains(fragment), "\(err)", file: file, line: l)
        }
    }

    func accept(_ lines: [String], file: StaticString = #filePath, l: UInt = #line) {
        XCTAssertNoThrow(try parse(([head] + lines).joined(separator: "\n")), file: file, line: l)
    }

    func domU(_ name: String, _ extra: String...) -> [String] { ["[[domu]]", "name = \"\(name)\""] + extra }

    func testZeroAndPartialPageMemoryIsAnError() {
        expect(["[dom0]", "memory = \"0M\""], line: 7, "dom0 memory is 0 bytes")
        expect(domU("a", "memory = \"0\""), line: 8, "domu 'a' memory is 0 bytes")
        expect(domU("a", "memory = \"1000\""), line: 8, "multiple of 4 KiB")
        accept(domU("a", "memory = \"4K\""))
    }

    func testMemoryLargerThanRAMIsAnError() {
        let ram = ["[memory]", "base = 0x40000000", "size = 0x40000000"]   // 1 GiB, lines 6-8
        expect(ram + ["[dom0]", "memory = \"2G\""], line: 10, "dom0 memory (2147483648 bytes) is larger than the board's RAM (1073741824 bytes, memory.size at line 8)")
        expect(ram + domU("big", "memory = \"17179869184G\""), line: 11, "not a size")
        expect(["[dom0]", "memory = \"17179869184G\""], line: 7, "not a size")   // 2^64 bytes: overflow is an error, not a trap
        expect(ram + ["[dom0]", "memory = \"768M\""] + domU("a", "memory = \"512M\""), line: 13, "add up to more than the board's RAM")
        let qemu = ["[qemu]", "machine = \"virt\"", "memory = 1024"]
        expect(qemu + domU("a", "memory = \"2G\""), line: 11, "larger than the board's RAM (1073741824 bytes, qemu.memory at line 8)")
    }

    func testRAMWindowAboveThePhysicalAddressLimitIsAnError() {
        // A window at 2^63 (the largest a TOML integer reaches): nonsense for Xen's 48-bit (arm64) addresses.
        expect(["[memory]", "base = 0x7fff_ffff_0000_0000", "size = 0x1_0000_0000"], line: 7, "ends above 0x1000000000000")
        expect(["[memory]", "base = 0xffff_8000_0000", "size = 0x1_0000_0000"], line: 7, "48-bit physical addresses")
        accept(["[memory]", "base = 0xfffe_0000_0000", "size = 0x1_0000_0000"])
    }

    func testStaticMemoryMustBeAlignedNotWrapInsideRAMAndMatchMemory() {
        let ram = ["[memory]", "base = 0x40000000", "size = 0x40000000"]
        let sm = { (v: String) in ram + self.domU("s", "memory = \"128M\"", "static-mem = \"\(v)\"") }
        expect(sm("0x50000800:0x8000000"), line: 12, "not 4 KiB-aligned")
        expect(sm("0xfffffffffffff000:0x8000000"), line: 12, "wraps 2^64")
        expect(sm("0x10000000:0x8000000"), line: 12, "is not inside the board's RAM [0x40000000, 0x80000000)")
        expect(sm("0x50000000:0x4000000"), line: 12, "Xen requires them equal")
        accept(sm("0x50000000:0x8000000"))
    }

    func testStaticMemoryRangesMustNotOverlapEachOther() {
        expect(domU("a", "memory = \"128M\"", "static-mem = \"0x50000000:0x8000000\"")
               + domU("b", "memory = \"128M\"", "static-mem = \"0x54000000:0x8000000\""), line: 13,
               "overlaps domu 'a''s static-mem [0x50000000, 0x58000000)")
    }

    func testVCPUsAboveTheQEMUCPUsAreAnError() {
        let qemu = ["[qemu]", "machine = \"virt\"", "smp = 2"]
        expect(qemu + ["[dom0]", "vcpus = 64"], line: 10, "dom0 vcpus = 64 but the board has 2 CPUs")
        expect(qemu + domU("a", "memory = \"64M\"", "cpus = 4"), line: 12, "domu 'a' cpus = 4 but the board has 2 CPUs")
    }

    func testDuplicateCPUPoolNameIsReportedAsSuch() {
        let pool = ["[[cpupool]]", "name = \"rt\"", "cpus = \"/cpus/cpu@1\""]
        expect(pool + pool, line: 9, "duplicate cpupool name 'rt': the [[cpupool]] at line 6 has it already")
        expect(domU("a", "memory = \"1M\"") + domU("a", "memory = \"1M\""), line: 10, "domu name 'a' is already used by the [[domu]] at line 6")
    }

    func testOverLongNamesAreAClearError() {
        let long = String(repeating: "n", count: 300)
        expect(domU(long, "memory = \"1M\""), line: 7, "is 300 bytes; at most 26")
        expect(["[[cpupool]]", "name = \"\(long)\"", "cpus = \"/cpus/cpu@0\""], line: 6, "at most 23")
        accept(domU(String(repeating: "n", count: 26), "memory = \"1M\""))
    }

    func testPlatformValuesAreRangeCheckedBeforeGeneratedC() {
        expect(["[platform]", "dma-bitsize = 0"], line: 7, "dma-bitsize must be 13 to 48 on arm64, got 0")
        expect(["[platform]", "dma-bitsize = 4096"], line: 7, "got 4096")
        expect(["[platform]", "smp-mailbox = -4"], line: 7, "4-byte aligned register address")
        expect(["[platform]", "smp-mailbox-clear = 0x10000002"], line: 7, "smp-mailbox-clear")
        expect(["[platform]", "reset = [\"0x1c020004=0x100000000\"]"], line: 7, "32-bit value")
        expect(["[platform]", "poweroff = [\"0x1c020003=0x1\"]"], line: 7, "4-byte aligned")
        expect(["[platform]", "specific-mappings = [\"0x10000000:0x0\"]"], line: 7, "page-aligned base and size")
        expect(["[platform]", "specific-mappings = [\"0xfffffffff000:0x2000\"]"], line: 7, "ends above")
        expect(["[platform]", "name = \"tab\\there\""], line: 7, "printable ASCII")
        expect(["[platform]", "blacklist = [\"\"]"], line: 7, "printable ASCII")
        accept(["[platform]", "dma-bitsize = 30", "reset = [\"0x1c020004=0x1\"]", "specific-mappings = [\"0x10000000:0x1000\"]"])
    }

    func testNonUTF8BoardFileIsReportedAsSuch() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sem-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var bytes = Array((head + "\n[xen]\nbootargs = \"").utf8)
        bytes += [0xff, 0xfe] + Array("\"\n".utf8)
        try Data(bytes).write(to: dir.appendingPathComponent("latin.toml"))
        XCTAssertThrowsError(try BoardCatalog(directory: dir.path).load("latin")) { e in
            guard let err = e as? TOMLError else { return XCTFail("\(e)") }
            XCTAssertEqual(err.line, 7, "\(err)")
            XCTAssertTrue(err.message.contains("UTF-8"), "\(err)")
            XCTAssertFalse(err.message.contains("unknown board"), "\(err)")
        }
    }
}
