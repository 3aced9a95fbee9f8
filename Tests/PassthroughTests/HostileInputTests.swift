import DeviceTree
import Passthrough
import XCTest

/// Hostile trees that used to crash `dtb-passthrough` with a signal (issue 11): an SPI whose INTID wraps 32 bits,
/// a `reg` whose base + size wraps 2^64, alias cycles. Each must be a refusal naming the node.
final class HostileInputTests: XCTestCase {
    func refusal(_ host: DeviceTree, _ device: String, file: StaticString = #filePath, line: UInt = #line) -> String {
        do {
            _ = try Passthrough.extract(host: host, devices: [device])
            XCTFail("expected a refusal", file: file, line: line)
        } catch {
            return "\(error)"
        }
        return ""
    }

    func testSPIWhoseINTIDWrapsIsRefused() throws {
        let host = try fixture(board("rtc@9010000 { compatible = \"arm,pl031\"; reg = <0 0x9010000 0 0x1000>; interrupts = <0 0xffffffff 4>; };"))
        let e = refusal(host, "/rtc@9010000")
        XCTAssertTrue(e.contains("/rtc@9010000") && e.contains("not a GIC interrupt specifier"), e)
    }

    func testRegWrappingTwoToTheSixtyFourIsRefused() throws {
        let host = try fixture(board("rtc@9010000 { compatible = \"arm,pl031\"; reg = <0xffffffff 0xfffff000 0 0x2000>; interrupts = <0 5 4>; };"))
        let e = refusal(host, "/rtc@9010000")
        XCTAssertTrue(e.contains("/rtc@9010000") && e.contains("wraps past 2^64"), e)
        let lastPage = try fixture(board("rtc@9010000 { compatible = \"arm,pl031\"; reg = <0xffffffff 0xfffff800 0 0x100>; interrupts = <0 5 4>; };"))
        XCTAssertTrue(refusal(lastPage, "/rtc@9010000").contains("below 2^64"))
    }

    func testAliasCyclesResolveToNothing() throws {
        for aliases in ["serial0 = \"serial0\";", "serial0 = \"serial1\"; serial1 = \"serial0\";", "serial0 = \"serial0/x\";"] {
            let host = try fixture(board("").replacingOccurrences(of: "aliases { serial0 = \"/serial@9000000\"; };", with: "aliases { \(aliases) };"))
            XCTAssertNil(host.node(at: "serial0"), aliases)
            XCTAssertNil(host.node(at: "serial0/sub"), aliases)
            XCTAssertEqual(refusal(host, "serial0"), "\(PassthroughError.noSuchDevice("serial0"))")
        }
    }
}
