import Infrastructure
import XCTest

final class TargetArchitectureTests: XCTestCase {
    func testTable() {
        XCTAssertEqual(TargetArchitecture.arm64.debianArchitecture, "arm64")
        XCTAssertEqual(TargetArchitecture.arm32.debianArchitecture, "armhf")
        XCTAssertEqual(TargetArchitecture.arm32.mkimageArchitecture, "arm")
        XCTAssertEqual(TargetArchitecture.arm64.qemuBinary, "qemu-system-aarch64")
        XCTAssertEqual(TargetArchitecture.arm32.crossCompiler, "arm-linux-gnueabihf-gcc")
        XCTAssertEqual(TargetArchitecture.arm32.facts.xenTargetArch, "arm32")
        XCTAssertEqual(TargetArchitecture.arm64.elfMachine, 183)
        for a in TargetArchitecture.allCases {
            XCTAssertEqual(TargetArchitecture(name: a.rawValue), a)
            XCTAssertEqual(TargetArchitecture(name: a.debianArchitecture), a)
            XCTAssertTrue(a.facts.ubootQEMU.hasPrefix("/usr/lib/u-boot/qemu_"))
        }
        XCTAssertEqual(TargetArchitecture(name: "AArch64"), .arm64)
        XCTAssertNil(TargetArchitecture(name: "riscv64"))
    }
}
