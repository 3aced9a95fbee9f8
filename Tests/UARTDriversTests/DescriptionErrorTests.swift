import Foundation
import UARTDrivers
import XCTest
import XenArm

/// Bad descriptions are errors naming the file and the key, never crashes or silently wrong drivers.
final class DescriptionErrorTests: XCTestCase {
    func madeUp(_ edit: (inout String) -> Void) -> Data {
        var s = MadeUpUART.json
        edit(&s)
        return Data(s.utf8)
    }

    func assertError(_ data: Data, key: String, contains text: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try UARTCatalog.parse(data, file: "bad.json"), file: file, line: line) { error in
            guard let e = error as? UARTDescriptionError else { return XCTFail("\(error)", file: file, line: line) }
            XCTAssertEqual(e.file, "bad.json", file: file, line: line)
            XCTAssertEqual(e.key, key, "\(e)", file: file, line: line)
            XCTAssertTrue(e.message.contains(text), "\(e)", file: file, line: line)
        }
    }

    func testTheMadeUpDescriptionResolvesToItsNumbers() throws {
        let u = try UARTCatalog.parse(madeUp { _ in }, file: "ok.json")
        XCTAssertEqual(u.registers["DATA"]?.offset, 0x21)
        XCTAssertEqual(u.rxCharacterMask, 0x7f)
        XCTAssertEqual(u.rxErrorMask, 0x80)
        XCTAssertEqual(u.initialize.first, .write(register: "CTRL", offset: 9, value: 0x4, terms: ["MODE=2"]))
        XCTAssertEqual(u.rxReady.mask, 0xc0)
        let c = DriverC.render(u, layout: try XenLayout.shipped("4.17"))
        XCTAssertTrue(c.contains("readb(uart->regs + off)"), "8-bit access")
        XCTAssertTrue(c.contains("DT_MATCH_COMPATIBLE(\"acme,made-up-uart\")"))
        XCTAssertTrue(c.contains("0x0000005aU"), "the KICK write after the character")
    }

    func testUnknownRegisterBitAndField() {
        assertError(madeUp { $0 = $0.replacingOccurrences(of: "\"writeChar\", \"reg\": \"DATA\"}", with: "\"writeChar\", \"reg\": \"DAT\"}") },
                    key: "transmit.put[1].reg", contains: "unknown register 'DAT'")
        assertError(madeUp { $0 = $0.replacingOccurrences(of: "\"set\": [\"EN\"]", with: "\"set\": [\"ENABLE\"]") },
                    key: "initialize[1].set[0]", contains: "CTRL has no bit 'ENABLE'")
        assertError(madeUp { $0 = $0.replacingOccurrences(of: "MODE=2", with: "MODE=4") },
                    key: "initialize[0].value[0]", contains: "does not fit the 2-bit field")
    }

    func testWidthOffsetsAndShape() {
        assertError(madeUp { $0 = $0.replacingOccurrences(of: "\"accessWidth\": 8", with: "\"accessWidth\": 32") },
                    key: "registers.CTRL.offset", contains: "not aligned")
        assertError(madeUp { $0 = $0.replacingOccurrences(of: "\"CH\": [0, 7]", with: "\"CH\": [4, 7]") },
                    key: "registers.DATA.bits.CH", contains: "do not fit a 8-bit register")
        assertError(madeUp { $0 = $0.replacingOccurrences(of: "{\"op\": \"writeChar\", \"reg\": \"DATA\"}, {\"op\": \"write\"", with: "{\"op\": \"write\"") },
                    key: "earlyPrintk.transmit", contains: "exactly one 'writeChar'")
        assertError(madeUp { $0 = $0.replacingOccurrences(of: "\"readyCount\": 1", with: "\"readyCount\": 9") },
                    key: "transmit.readyCount", contains: "not in 1...fifoDepth")
        assertError(madeUp { $0 = $0.replacingOccurrences(of: "\"fifoDepth\": 8,", with: "") }, key: "", contains: "missing key 'fifoDepth'")
        assertError(madeUp { $0 = $0.replacingOccurrences(of: "\"test\": \"none\"", with: "\"test\": \"never\"") },
                    key: "transmit.put[0].until.test", contains: "never")
    }

    func testEarlyPrintkRefusesWhatTheInstructionsCannotEncode() throws {
        // 0x5 is not an A64 bitmask immediate (two separate runs of ones).
        let data = madeUp { $0 = $0.replacingOccurrences(of: "\"bits\": [\"TXRDY\"], \"test\": \"all\"", with: "\"bits\": [\"0x5\"], \"test\": \"all\"") }
        let u = try UARTCatalog.parse(data, file: "imm.json")
        XCTAssertThrowsError(try EarlyPrintkAsm.render(u, arch: .arm64, layout: try XenLayout.shipped("4.17"))) { e in
            XCTAssertTrue("\(e)".contains("earlyPrintk.ready"), "\(e)")
        }
        XCTAssertNoThrow(try EarlyPrintkAsm.render(u, arch: .arm32, layout: try XenLayout.shipped("4.17")), "0x5 is an A32 immediate")
    }

    func testTreeEditsNameTheFileWhenTheAnchorIsMissingAndAreIdempotent() throws {
        let port = try UARTDriverPort(try UARTCatalog.named("imx-uart"), layout: try XenLayout.shipped("4.17"))
        let choice = try XCTUnwrap(port.edits.first { $0.purpose == "early printk choice entry" })
        XCTAssertThrowsError(try choice.apply(to: "no choice here\n")) { e in
            XCTAssertTrue("\(e)".hasPrefix("xen/arch/arm/Kconfig.debug"), "\(e)")
        }
        let once = try choice.apply(to: "choice\n\tbool \"Early printk\"\n\tconfig A\n\t\tbool \"a\"\nendchoice\n")
        XCTAssertEqual(try choice.apply(to: once), once)
        XCTAssertTrue(once.contains("EARLY_UART_CHOICE_XB_IMX_UART\n"))
        XCTAssertLessThan(try XCTUnwrap(once.range(of: "XB_IMX_UART")).lowerBound, try XCTUnwrap(once.range(of: "endchoice")).lowerBound)
    }
}
