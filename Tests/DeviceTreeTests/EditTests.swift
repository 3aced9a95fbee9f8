import DeviceTree
import Foundation
import TestSupport
import XCTest

final class EditTests: XCTestCase {
    func base() throws -> DeviceTree {
        try tree("/dts-v1/; / { #address-cells = <2>; #size-cells = <2>; chosen { bootargs = \"x\"; }; a { b { }; }; };")
    }

    func testTypedValues() throws {
        let t = try base()
        let c = try XCTUnwrap(t.node(at: "/chosen"))
        c.setProperty("u32", .u32([1, 0xdeadbeef]))
        c.setProperty("u64", .u64([0x1_0000_0002]))
        c.setProperty("str", .string("console=hvc0"))
        c.setProperty("list", .strings(["multiboot,kernel", "multiboot,module"]))
        c.setProperty("raw", .bytes([1, 2, 3]))
        c.setProperty("flag", .empty)
        c.setProperty("bootargs", .string("replaced"))
        let out = try DTBEncoder.encode(t)
        // Check the bytes with the real fdtget.
        let path = NSTemporaryDirectory() + "edit-\(getpid()).dtb"
        try Data(out).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        func fdtget(_ args: String...) throws -> String {
            String(decoding: try runTool("fdtget", args), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        XCTAssertEqual(try fdtget("-t", "x", path, "/chosen", "u32"), "1 deadbeef")
        XCTAssertEqual(try fdtget("-t", "x", path, "/chosen", "u64"), "1 2")
        XCTAssertEqual(try fdtget(path, "/chosen", "str"), "console=hvc0")
        XCTAssertEqual(try fdtget(path, "/chosen", "list"), "multiboot,kernel multiboot,module")
        XCTAssertEqual(try fdtget("-t", "bx", path, "/chosen", "raw"), "1 2 3")
        XCTAssertEqual(try fdtget(path, "/chosen", "bootargs"), "replaced")
        let back = try DTBDecoder.decode(out)
        let chosen = try XCTUnwrap(back.node(at: "/chosen"))
        XCTAssertEqual(chosen.property("u64")?.u64, 0x1_0000_0002)
        XCTAssertEqual(chosen.property("list")?.strings, ["multiboot,kernel", "multiboot,module"])
        XCTAssertEqual(chosen.property("flag")?.isEmpty, true)
        XCTAssertEqual(chosen.properties.first?.name, "bootargs", "replacing keeps the position")
    }

    func testAddRemoveRename() throws {
        let t = try base()
        let chosen = try XCTUnwrap(t.node(at: "/chosen"))
        let module = try chosen.addChild(named: "module@50000000")
        module.setProperty("reg", .u64([0x5000_0000, 0x100_0000]))
        XCTAssertThrowsError(try chosen.addChild(named: "module@50000000"))
        XCTAssertThrowsError(try chosen.addChild(named: "bad/name"))
        try module.rename(to: "dom0")
        XCTAssertEqual(module.path, "/chosen/dom0")
        XCTAssertThrowsError(try t.root.rename(to: "x"))
        try chosen.renameProperty("bootargs", to: "xen,dom0-bootargs")
        XCTAssertThrowsError(try chosen.renameProperty("missing", to: "y"))
        XCTAssertNotNil(chosen.removeProperty("xen,dom0-bootargs"))
        XCTAssertNil(chosen.removeProperty("xen,dom0-bootargs"))
        try t.removeNode(at: "/a/b")
        XCTAssertNil(t.node(at: "/a/b"))
        XCTAssertThrowsError(try t.removeNode(at: "/"))
        XCTAssertThrowsError(try t.removeNode(at: "/zzz"))
        let created = try t.createNode(at: "/x/y/z")
        XCTAssertEqual(created.path, "/x/y/z")
        // Moving a node under its own descendant is refused.
        let a = try XCTUnwrap(t.node(at: "/x"))
        XCTAssertThrowsError(try created.addChild(a))
        let back = try DTBDecoder.decode(DTBEncoder.encode(t))
        XCTAssertEqual(back.node(at: "/chosen/dom0")?.property("reg")?.cells, [0, 0x5000_0000, 0, 0x100_0000])
        XCTAssertEqual(back.diff(to: t), [])
    }

    func testDiff() throws {
        let a = try base()
        let b = try base()
        try XCTUnwrap(b.node(at: "/chosen")).setProperty("bootargs", .string("y"))
        try XCTUnwrap(b.node(at: "/chosen")).setProperty("new", .u32([1]))
        try b.removeNode(at: "/a/b")
        try b.root.addChild(named: "added").setProperty("p", .empty)
        b.memoryReservations = [MemoryReservation(address: 0x1000, size: 0x1000)]
        let changes = a.diff(to: b).map(\.description)
        XCTAssertEqual(changes, [
            "~ /memreserve/: [] -> [0x1000+0x1000]",
            "~ /chosen: bootargs: \"x\" -> \"y\"",
            "+ /chosen: new = <0x1>;",
            "- /a/b",
            "+ /added",
            "+ /added: p;",
        ])
        XCTAssertEqual(a.diff(to: a), [])
    }
}
