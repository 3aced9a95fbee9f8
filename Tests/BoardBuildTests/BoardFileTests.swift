import BoardFile
import XCTest
import XenArm

final class BoardFileTests: XCTestCase {
    func parse(_ text: String) throws -> Board {
        try BoardFileParser.parse(text, name: "test", file: "/x/boards/test.toml", directory: "/x/boards")
    }

    let minimal = """
    description = "A board"   # trailing comment
    arch = "arm64"
    status = "build-only"
    [dtb]
    kernel-dtb = "arm/juno-r2.dtb"
    """

    func testMinimalAndDefaults() throws {
        let b = try parse(minimal)
        XCTAssertEqual(b.arch, .arm64)
        XCTAssertEqual(b.status, .buildOnly)
        XCTAssertEqual(b.dtb, .kernelPackage("arm/juno-r2.dtb"))
        XCTAssertEqual(b.xen, .debian)
        XCTAssertEqual(b.dom0Kernel, .debian)
        XCTAssertEqual(b.dom0Memory, "512M")
        XCTAssertNil(b.qemu)
        XCTAssertNil(b.ram)
    }

    func testFullBoard() throws {
        let b = try parse("""
        description = "QEMU"
        arch = "arm32"
        status = "ci-boot"
        [dtb]
        path = "my.dtb"
        [xen]
        image = "/opt/xen"
        bootargs = "sync_console"
        console = "serial1"
        [dom0]
        kernel = "zImage"
        bootargs = "quiet"
        memory = "1G"
        vcpus = 2
        [memory]
        base = 0x8000_0000
        size = 0x40000000
        [qemu]
        machine = "virt,highmem=off"
        smp = 4
        memory = 2048
        boot = "direct"
        """)
        XCTAssertEqual(b.dtb, .path("/x/boards/my.dtb"), "relative to the board file")
        XCTAssertEqual(b.xen, .path("/opt/xen"))
        XCTAssertEqual(b.dom0Kernel, .path("/x/boards/zImage"))
        XCTAssertEqual(b.console, "serial1")
        XCTAssertEqual(b.dom0VCPUs, 2)
        XCTAssertEqual(b.ram?.base, 0x8000_0000)
        XCTAssertEqual(b.qemu, Board.QEMU(machine: "virt,highmem=off", cpu: nil, smp: 4, memoryMiB: 2048, boot: .direct))
    }

    /// `[xen] image = "source"` and `uart-driver`: a source-built Xen, the generated console driver forced.
    func testSourceXenAndUARTDriverChoice() throws {
        XCTAssertFalse(try parse(minimal).xenFromSource)
        XCTAssertEqual(try parse(minimal).uartDriver, .auto)
        let b = try parse(minimal + "\n[xen]\nimage = \"source\"\nuart-driver = \"generated\"")
        XCTAssertTrue(b.xenFromSource)
        XCTAssertEqual(b.xen, .debian, "the Debian binary stays the input that the source build replaces")
        XCTAssertEqual(b.uartDriver, .generated)
        XCTAssertThrowsError(try parse(minimal + "\n[xen]\nuart-driver = \"mine\"")) { e in
            XCTAssertTrue("\(e)".contains("must be one of \"auto\", \"generated\""), "\(e)")
        }
    }

    /// Each mistake names the file, line and key.
    func testErrorsNameKeyAndLine() {
        func expect(_ text: String, line: Int, _ fragment: String, file: StaticString = #filePath, l: UInt = #line) {
            XCTAssertThrowsError(try parse(text), file: file, line: l) { e in
                guard let err = e as? TOMLError else { return XCTFail("\(e)", file: file, line: l) }
                XCTAssertEqual(err.line, line, "\(err)", file: file, line: l)
                XCTAssertTrue(err.description.contains(fragment), "\(err)", file: file, line: l)
                XCTAssertTrue(err.description.hasPrefix("/x/boards/test.toml:"), "\(err)", file: file, line: l)
            }
        }
        expect(minimal + "\nfoo = 1", line: 6, "unknown key 'foo' in [dtb]")
        expect(minimal.replacingOccurrences(of: "arch = \"arm64\"", with: "arch = 64"), line: 2, "'arch' must be a string, got a integer")
        expect(minimal.replacingOccurrences(of: "arch = \"arm64\"", with: "arch = \"x86\""), line: 2, "must be one of \"arm64\", \"arm32\"")
        expect(minimal.replacingOccurrences(of: "status = \"build-only\"\n", with: ""), line: 0, "missing required key 'status'")
        expect(minimal + "\n[xen]\nbootargs = \"unterminated", line: 7, "unterminated string")
        expect(minimal + "\n[network]\nx = 1", line: 6, "unknown section [network]")
        expect(minimal + "\nkernel-dtb = \"again\"", line: 6, "appears twice")
        expect(minimal + "\npath = \"x.dtb\"", line: 4, "exactly one of kernel-dtb, path or qemu-dumpdtb")
        expect(minimal + "\n[dom0]\nmemory = \"lots\"", line: 7, "not a size")
        expect(minimal + "\n[qemu]\nmachine = \"virt\"\nsmp = 99", line: 8, "smp must be 1 to 8")
        expect(minimal + "\n[qemu]\nsmp = 2", line: 6, "missing required key 'machine'")
        expect(minimal + "\n[xen]\nbootargs = yes", line: 7, "strings need quotes")
    }

    func testDomUsAndCPUPools() throws {
        let b = try parse(minimal + """

        [dom0]
        enabled = false
        [[cpupool]]
        name = "rt"
        cpus = "/cpus/cpu@1, /cpus/cpu@2"
        scheduler = "null"
        [[domu]]
        name = "rtc"
        memory = "256M"
        passthrough = ["/pl031@9010000", "serial1"]
        cpupool = "rt"
        [[domu]]
        name = "static"
        memory = "128M"
        cpus = 2
        vpl011 = false
        enhanced = "no-xenstore"
        static-mem = "0x50000000:0x8000000"
        direct-map = true
        """)
        XCTAssertFalse(b.dom0)
        XCTAssertEqual(b.cpupools, [Board.CPUPool(name: "rt", cpus: ["/cpus/cpu@1", "/cpus/cpu@2"], scheduler: "null")])
        XCTAssertEqual(b.domUs.map(\.name), ["rtc", "static"])
        XCTAssertEqual(b.domUs[0].passthrough, ["/pl031@9010000", "serial1"])
        XCTAssertEqual(b.domUs[0].cpus, 1)
        XCTAssertTrue(b.domUs[0].vpl011)
        XCTAssertEqual(b.domUs[1].staticMem?.base, 0x5000_0000)
        XCTAssertTrue(b.domUs[1].directMap)
        XCTAssertEqual(b.domUs[1].enhanced, "no-xenstore")
    }

    func testDomUErrors() {
        func expect(_ extra: String, _ fragment: String, l: UInt = #line) {
            XCTAssertThrowsError(try parse(minimal + "\n" + extra), line: l) { e in
                XCTAssertTrue("\(e)".contains(fragment), "\(e)", line: l)
            }
        }
        expect("[[domu]]\nname = \"a\"\nmemory = \"1M\"\npassthrough = [\"/x\"]\n[[domu]]\nname = \"b\"\nmemory = \"1M\"\npassthrough = [\"/x\"]",
               "device /x is given to both domu 'a' and domu 'b'")
        expect("[[domu]]\nname = \"a\"\nmemory = \"1M\"\ndirect-map = true", "direct-map needs static-mem")
        expect("[[domu]]\nname = \"a\"\nmemory = \"1M\"\ncpupool = \"nope\"", "cpupool 'nope' is not defined")
        expect("[[domu]]\nname = \"a\"\nmemory = \"1M\"\npassthrough = [1]", "must be an array of strings")
        expect("[domu]\nname = \"a\"", "write [[domu]]")
        expect("[[memory]]\nbase = 0\nsize = 1", "write [memory], not [[memory]]")
        expect("[dom0]\nenabled = false", "needs at least one [[domu]]")
        expect("[[domu]]\nname = \"a\"\nmemory = \"1M\"\n[[domu]]\nname = \"a\"\nmemory = \"1M\"", "is already used by the [[domu]] at line")
        expect("[[domu]]\nmemory = \"1M\"", "missing required key 'name'")
    }

    func testShippedBoardsAllParse() throws {
        let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("boards").path
        let catalog = BoardCatalog(directory: dir)
        let names = catalog.names
        for required in ["vexpress", "qemu-virt-arm64", "qemu-virt-arm32", "qemu-virt-arm64-rtc-domu", "rpi4", "zcu102", "juno-r2", "hihope-rzg2m",
                         "pine64-plus", "rock-pi-4", "imx8mq-evk", "jetson-nano"] {
            XCTAssertTrue(names.contains(required), required)
        }
        for name in names {
            let b = try catalog.load(name)
            XCTAssertEqual(b.name, name)
            if b.status == .ciBoot { XCTAssertNotNil(b.qemu, "\(name): CI-booted boards need [qemu]") }
        }
        XCTAssertThrowsError(try catalog.load("no-such-board")) { e in
            XCTAssertTrue("\(e)".contains("unknown board 'no-such-board'") && "\(e)".contains("vexpress"), "\(e)")
        }
    }

    /// Board-file paths are made absolute and standardized (no `.` or `..` components), so builds and errors name
    /// `/x/kernels/Image`, not `/x/boards/../kernels/./Image`.
    func testPathsAreStandardized() throws {
        let b = try parse("""
        description = "A board"
        arch = "arm64"
        status = "build-only"
        [dtb]
        path = "dts/../out/./my.dtb"
        [xen]
        image = "/opt/../srv/./xen"
        [dom0]
        kernel = "../kernels/./Image"
        [[domu]]
        name = "one"
        memory = "128M"
        kernel = "./../../k/Image-2"
        """)
        XCTAssertEqual(b.dtb, .path("/x/boards/out/my.dtb"))
        XCTAssertEqual(b.xen, .path("/srv/xen"))
        XCTAssertEqual(b.dom0Kernel, .path("/x/kernels/Image"))
        XCTAssertEqual(b.domUs.first?.kernel, .path("/k/Image-2"))
    }
}
