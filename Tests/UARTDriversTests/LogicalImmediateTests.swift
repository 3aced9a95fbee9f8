@testable import UARTDrivers
import XCTest

/// The early-printk generator refuses masks `tst` cannot take; these are the architecture manuals' encodability rules.
final class LogicalImmediateTests: XCTestCase {
    func testA64BitmaskImmediates() {
        for v: UInt32 in [0x1, 0x10, 0x4000_0000, 0x0ff0, 0xaaaa_aaaa, 0x00ff_00ff, 0x8000_0001, 0x7fff_ffff] {
            XCTAssertTrue(LogicalImmediate.a64(v), String(v, radix: 16))
        }
        for v: UInt32 in [0, 0xffff_ffff, 0x5, 0xa, 0x1234, 0x0000_0101] {
            XCTAssertFalse(LogicalImmediate.a64(v), String(v, radix: 16))
        }
    }

    func testA32ModifiedImmediates() {
        for v: UInt32 in [0x1, 0xff, 0x3fc, 0xff00_0000, 0xf000_000f, 0x5, 0x4000_0000] {
            XCTAssertTrue(LogicalImmediate.a32(v), String(v, radix: 16))
        }
        for v: UInt32 in [0x101, 0x1ff, 0xffff, 0x0000_0fff] {
            XCTAssertFalse(LogicalImmediate.a32(v), String(v, radix: 16))
        }
    }
}
