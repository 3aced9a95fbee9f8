import Foundation
import Infrastructure
import XCTest

/// Runs the built `xen-board` binary the way a user does.
final class CLITests: XCTestCase {
    struct Result { let status: Int32; let stdout: String; let stderr: String }

    var binary: URL { Bundle.main.bundleURL.appendingPathComponent("xen-board") }
    var work: URL!

    override func setUpWithError() throws {
        work = FileManager.default.temporaryDirectory.appendingPathComponent("xb-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        try compile("""
        /dts-v1/;
        / {
            #address-cells = <1>; #size-cells = <1>;
            compatible = "vendor,board";
            aliases { serial0 = "/soc/serial@1000"; };
            chosen { };
            soc { #address-cells = <1>; #size-cells = <1>; ranges = <0 0x10000000 0x100000>;
                serial@1000 { compatible = "arm,pl011"; reg = <0x1000 0x100>; }; };
        };
        """, to: "board.dtb")
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: work)
    }

    func path(_ name: String) -> String { work.appendingPathComponent(name).path }

    @discardableResult
    func exec(_ tool: String, _ args: [String], stdin: String? = nil) throws -> Result {
        let r = try ProcessRunner.run(tool, args, stdin: stdin.map { Array($0.utf8) } ?? [], timeout: 600)
        return Result(status: r.status, stdout: r.stdout, stderr: r.stderr)
    }

    func xb(_ args: String...) throws -> Result { try exec(binary.path, args) }

    func compile(_ dts: String, to name: String) throws {
        let r = try exec("dtc", ["-q", "-I", "dts", "-O", "dtb", "-o", path(name)], stdin: dts)
        XCTAssertEqual(r.status, 0, r.stderr)
    }

    func testShowRecompilesToTheSameTree() throws {
        let r = try xb("dt", "show", path("board.dtb"))
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.hasPrefix("/dts-v1/;"))
        try compile(r.stdout, to: "again.dtb")
        let d = try xb("dt", "diff", path("board.dtb"), path("again.dtb"))
        XCTAssertEqual(d.status, 0, d.stdout + d.stderr)
        XCTAssertEqual(d.stdout, "")
    }

    func testEncodeIsByteIdenticalToDTC() throws {
        XCTAssertEqual(try xb("dt", "encode", path("board.dtb"), "-o", path("enc.dtb")).status, 0)
        XCTAssertEqual(try exec("dtc", ["-q", "-I", "dtb", "-O", "dtb", "-o", path("dtc.dtb"), path("board.dtb")]).status, 0)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path("enc.dtb"))), try Data(contentsOf: URL(fileURLWithPath: path("dtc.dtb"))))
    }

    func testGetWithPathsAliasesAndTypes() throws {
        XCTAssertEqual(try xb("dt", "get", path("board.dtb"), "serial0", "reg", "-t", "u32").stdout, "0x1000 0x100\n")
        XCTAssertEqual(try xb("dt", "get", path("board.dtb"), "/soc/serial", "compatible").stdout, "\"arm,pl011\"\n")
        XCTAssertEqual(try xb("dt", "get", path("board.dtb"), "/", "compatible", "-t", "string").stdout, "vendor,board\n")
        XCTAssertEqual(try xb("dt", "get", path("board.dtb"), "/soc", "ranges", "-t", "bytes").stdout.split(separator: " ").count, 12)
        let node = try xb("dt", "get", path("board.dtb"), "serial0")
        XCTAssertTrue(node.stdout.contains("serial@1000 {") && node.stdout.contains("reg = <0x1000 0x100>;"), node.stdout)
        let missing = try xb("dt", "get", path("board.dtb"), "/soc", "nope")
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("board.dtb") && missing.stderr.contains("/soc") && missing.stderr.contains("'nope'"), missing.stderr)
        let badType = try xb("dt", "get", path("board.dtb"), "/", "compatible", "-t", "u32")
        XCTAssertEqual(badType.status, 1, badType.stderr)
        XCTAssertTrue(badType.stderr.contains("32-bit cells"), badType.stderr)
    }

    func testSetWritesAtomicallyAndFdtgetAgrees() throws {
        let out = path("out.dtb")
        var r = try xb("dt", "set", path("board.dtb"), "/chosen", "xen,xen-bootargs", "console=dtuart dtuart=serial0", "-t", "string", "-o", out)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try exec("fdtget", [out, "/chosen", "xen,xen-bootargs"]).stdout, "console=dtuart dtuart=serial0\n")
        r = try xb("dt", "set", out, "/chosen/module@50000000", "compatible", "multiboot,kernel", "multiboot,module", "-t", "strings", "--create", "-o", out)
        XCTAssertEqual(r.status, 0, r.stderr)
        r = try xb("dt", "set", out, "/chosen/module@50000000", "reg", "0x50000000", "0x100000", "-o", out)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try exec("fdtget", ["-t", "x", out, "/chosen/module@50000000", "reg"]).stdout, "50000000 100000\n")
        let diff = try xb("dt", "diff", path("board.dtb"), out)
        XCTAssertEqual(diff.status, 1, "differences")
        XCTAssertTrue(diff.stdout.contains("+ /chosen/module@50000000"), diff.stdout)
        // A failed edit leaves no output behind.
        let failed = path("failed.dtb")
        r = try xb("dt", "set", path("board.dtb"), "/missing", "x", "1", "-o", failed)
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("no node '/missing'"), r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: failed))
        r = try xb("dt", "set", path("board.dtb"), "/chosen", "x", "0x1ffffffff", "-t", "u32", "-o", failed)
        XCTAssertNotEqual(r.status, 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: failed))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: work.path).filter { $0.hasPrefix(".") }, [], "no temp files left")
    }

    func testCheckAndBadInput() throws {
        XCTAssertEqual(try xb("dt", "check", path("board.dtb")).status, 0)
        let blob = try Data(contentsOf: URL(fileURLWithPath: path("board.dtb")))
        try blob.prefix(60).write(to: URL(fileURLWithPath: path("trunc.dtb")))
        let r = try xb("dt", "check", path("trunc.dtb"))
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("trunc.dtb") && r.stderr.contains("offset 0x4") && r.stderr.contains("totalsize"), r.stderr)
        let j = try xb("dt", "check", path("trunc.dtb"), "--json")
        XCTAssertEqual(j.status, 1)
        let obj = try JSONSerialization.jsonObject(with: Data(j.stdout.utf8)) as? [String: Any]
        XCTAssertEqual(obj?["valid"] as? Bool, false)
        XCTAssertEqual(obj?["offset"] as? Int, 4)
        XCTAssertEqual(obj?["error"] as? String, "truncated")
        var garbage = [UInt8](blob)
        garbage[0] = 0
        try Data(garbage).write(to: URL(fileURLWithPath: path("magic.dtb")))
        for cmd in [["dt", "show"], ["dt", "get"], ["dt", "check"]] {
            let res = try exec(binary.path, cmd + [path("magic.dtb")] + (cmd[1] == "get" ? ["/"] : []))
            XCTAssertEqual(res.status, 1, "\(cmd)")
            XCTAssertTrue(res.stderr.contains("magic.dtb") && res.stderr.contains("bad magic"), res.stderr)
        }
        let missing = try xb("dt", "show", path("nope.dtb"))
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("nope.dtb: no such file"), missing.stderr)
        XCTAssertEqual(try xb("dt", "diff", path("board.dtb"), path("nope.dtb")).status, 2)
    }

    /// Each kind of corruption: exit status 1, the file named, a byte offset, and no crash (a crash is a signal
    /// status, not 1).
    func testMalformedBlobsExitOneWithOffset() throws {
        let good = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path("board.dtb"))))
        func word(_ b: [UInt8], _ off: Int, _ v: UInt32) -> [UInt8] {
            var c = b
            c.replaceSubrange(off..<(off + 4), with: [UInt8(v >> 24), UInt8(v >> 16 & 0xff), UInt8(v >> 8 & 0xff), UInt8(v & 0xff)])
            return c
        }
        let structOff = Int(good[8]) << 24 | Int(good[9]) << 16 | Int(good[10]) << 8 | Int(good[11])
        let cases: [String: [UInt8]] = [
            "empty": [],
            "truncated": Array(good.prefix(good.count - 7)),
            "magic": word(good, 0, 0x1234_5678),
            "version": word(good, 24, 99),  // last_comp_version: a newer format we cannot read
            "struct-range": word(good, 8, 0x7fff_fff0),
            "misaligned": word(good, 8, UInt32(structOff + 1)),
            "overlap": word(good, 12, UInt32(structOff)),
            "token": word(good, structOff, 0x55),
        ]
        for (name, blob) in cases.sorted(by: { $0.key < $1.key }) {
            let file = path("\(name).dtb")
            try Data(blob).write(to: URL(fileURLWithPath: file))
            for args in [["dt", "check", file], ["dt", "show", file], ["dt", "encode", file, "-o", path("\(name)-out.dtb")]] {
                let r = try exec(binary.path, args)
                XCTAssertEqual(r.status, 1, "\(name) \(args[1]): \(r.stderr)")
                XCTAssertTrue(r.stderr.contains("\(name).dtb") && r.stderr.contains("offset 0x"), "\(name) \(args[1]): \(r.stderr)")
            }
            XCTAssertFalse(FileManager.default.fileExists(atPath: path("\(name)-out.dtb")))
        }
    }

    func testInspectJSONContract() throws {
        try compile("""
        /dts-v1/;
        / {
            #address-cells = <1>; #size-cells = <1>; compatible = "vendor,board"; interrupt-parent = <&gic>;
            chosen { stdout-path = "serial0:115200n8"; };
            aliases { serial0 = &uart; };
            cpus { #address-cells = <1>; #size-cells = <0>;
                cpu@0 { device_type = "cpu"; compatible = "arm,cortex-a15"; reg = <0>; };
                cpu@1 { device_type = "cpu"; compatible = "arm,cortex-a15"; reg = <1>; }; };
            psci { compatible = "arm,psci-0.2"; method = "smc"; };
            gic: interrupt-controller@2c001000 { compatible = "arm,gic-400"; interrupt-controller; #interrupt-cells = <3>;
                reg = <0x2c001000 0x1000>, <0x2c002000 0x2000>, <0x2c004000 0x2000>, <0x2c006000 0x2000>; interrupts = <1 9 0xf04>; };
            timer { compatible = "arm,armv7-timer"; interrupts = <1 13 0xf08>, <1 14 0xf08>, <1 11 0xf08>, <1 10 0xf08>; };
            memory@80000000 { device_type = "memory"; reg = <0x80000000 0x40000000>; };
            uart: serial@1c090000 { compatible = "arm,pl011", "arm,primecell"; reg = <0x1c090000 0x1000>; interrupts = <0 5 4>; };
        };
        """, to: "inspect.dtb")
        let r = try xb("inspect", path("inspect.dtb"), "--json")
        XCTAssertEqual(r.status, 0, r.stderr)
        let j = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        for key in ["console", "cpus", "psci", "gic", "timer", "memory", "reservedMemory", "iommus", "xenPlatform", "blockers", "ready"] {
            XCTAssertTrue(j.keys.contains(key), "missing \(key)")
        }
        let console = try XCTUnwrap(j["console"] as? [String: Any])
        XCTAssertEqual(console["path"] as? String, "/serial@1c090000")
        XCTAssertEqual(console["baseAddress"] as? Int, 0x1c09_0000, "a JSON integer")
        XCTAssertEqual(console["xenDriver"] as? String, "pl011")
        XCTAssertEqual(console["regShift"] as? Int, 0)
        XCTAssertEqual(console["regIoWidth"] as? Int, 1)
        XCTAssertEqual(console["verdict"] as? String, "supported")
        XCTAssertEqual(console["compatible"] as? [String], ["arm,pl011", "arm,primecell"])
        let cpus = try XCTUnwrap(j["cpus"] as? [[String: Any]])
        XCTAssertEqual(cpus.compactMap { $0["mpidr"] as? Int }, [0, 1])
        XCTAssertEqual((j["psci"] as? [String: Any])?["method"] as? String, "smc")
        XCTAssertEqual((j["gic"] as? [String: Any])?["version"] as? Int, 2)
        XCTAssertEqual((j["timer"] as? [String: Any])?["path"] as? String, "/timer")
        XCTAssertEqual((j["memory"] as? [[String: Any]])?.first?["size"] as? Int, 0x4000_0000)
        XCTAssertTrue(j["xenPlatform"] is NSNull)
        XCTAssertEqual(j["ready"] as? Bool, true, "\(j["blockers"] ?? "")")
        let text = try xb("inspect", path("inspect.dtb"))
        XCTAssertTrue(text.stdout.contains("console=dtuart dtuart=serial0"), text.stdout)
        XCTAssertTrue(text.stdout.contains("Ready for Xen 4.17 as-is."), text.stdout)
    }

    func testInspectSummaryAndBadInput() throws {
        try FileManager.default.createDirectory(atPath: path("boards/sub"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: path("board.dtb"), toPath: path("boards/sub/a.dtb"))
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: path("boards/broken.dtb")))
        let s = try xb("inspect", "--summary", path("boards"), "--json")
        XCTAssertEqual(s.status, 0, s.stderr)
        let j = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(s.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(j["boards"] as? Int, 1)
        XCTAssertEqual(j["unreadable"] as? Int, 1)
        XCTAssertEqual(j["ready"] as? Int, 0, "the fixture has no GIC or timer")
        let readiness = try XCTUnwrap(j["readiness"] as? [String: Int], "\(j)")
        XCTAssertEqual(readiness, ["xenDriver": 0, "compatibleAdded": 0, "generatedDriver": 0, "blocked": 1])
        XCTAssertTrue(try xb("inspect", "--summary", path("boards")).stdout.contains("0 with a generated driver, 1 blocked"))
        let codes = (j["blockers"] as? [[String: Any]])?.compactMap { $0["code"] as? String } ?? []
        XCTAssertTrue(codes.contains("gic-unsupported") && codes.contains("timer-missing"), "\(codes)")
        XCTAssertNil(j["reach"], "reach rows only with --reach")
        let withReach = try xb("inspect", "--summary", path("boards"), "--json", "--reach")
        XCTAssertEqual(withReach.status, 0, withReach.stderr)
        let jr = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(withReach.stdout.utf8)) as? [String: Any])
        let reach = try XCTUnwrap(jr["reach"] as? [String: Any], "\(jr)")
        XCTAssertEqual(reach["virtCapable"] as? Int, 0, "no GIC and no timer: outside the reach shares")
        XCTAssertEqual(Set(jr.keys), Set(j.keys).union(["reach"]), "--reach adds the reach key, keeps the others")
        XCTAssertEqual(try xb("inspect", path("board.dtb"), "--reach").status, 64, "--reach needs --summary")
        try Data("passed xen:pl011/arm64/none/xen-4.20\nnonsense here\n".utf8).write(to: URL(fileURLWithPath: path("results.txt")))
        let badResults = try xb("inspect", "--summary", path("boards"), "--compile-checks", path("results.txt"))
        XCTAssertEqual(badResults.status, 1)
        XCTAssertTrue(badResults.stderr.contains("results.txt:2:"), badResults.stderr)
        XCTAssertEqual(try xb("inspect", path("board.dtb"), "--compile-checks", path("results.txt")).status, 64, "needs --summary")
        let bad = try xb("inspect", path("boards/broken.dtb"))
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.stderr.contains("broken.dtb") && bad.stderr.contains("offset"), bad.stderr)
        XCTAssertEqual(try xb("inspect", "--summary", path("board.dtb")).status, 1, "not a directory")
        XCTAssertEqual(try xb("inspect", path("board.dtb"), "--arch", "riscv").status, 64, "usage error")
    }

    func testHelpForEverySubcommand() throws {
        for sub in ["show", "encode", "get", "set", "diff", "check"] {
            let r = try xb("dt", sub, "--help")
            XCTAssertEqual(r.status, 0)
            XCTAssertTrue(r.stdout.contains("USAGE: xen-board dt \(sub)"), r.stdout)
        }
        XCTAssertTrue(try xb("--help").stdout.contains("dt"))
        XCTAssertTrue(try xb("inspect", "--help").stdout.contains("USAGE: xen-board inspect"))
    }
}
