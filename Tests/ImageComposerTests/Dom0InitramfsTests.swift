import Foundation
import ImageComposer
import XCTest

final class Dom0InitramfsTests: XCTestCase {
    func testLayoutOfTheArchive() throws {
        let busybox = fakeELF()
        let initramfs = try Dom0Initramfs(busybox: busybox, role: .dom0, expectedDevices: [.rtc, .block],
                                          epoch: SourceDateEpoch(seconds: 1234))
        XCTAssertEqual(initramfs.busybox.machine, .aarch64)
        XCTAssertNil(initramfs.busybox.interpreter)
        let members = try CPIOReader.read(initramfs.cpio())
        let byName = Dictionary(uniqueKeysWithValues: members.map { ($0.name, $0) })
        for dir in ["bin", "sbin", "dev", "proc", "sys", "tmp", "root"] {
            XCTAssertEqual(byName[dir].map { $0.mode & 0o170000 }, 0o040000, dir)
        }
        XCTAssertEqual(byName["tmp"]?.mode, 0o041777)
        XCTAssertEqual(byName["bin/busybox"]?.data, busybox)
        XCTAssertEqual(byName["bin/busybox"]?.mode, 0o100755)
        for applet in ["sh", "mount", "poweroff", "uname", "cat", "tr", "grep", "ls"] {
            XCTAssertEqual(byName["bin/\(applet)"]?.data, Array("busybox".utf8), applet)
        }
        XCTAssertEqual(byName["sbin/poweroff"]?.data, Array("../bin/busybox".utf8))
        XCTAssertEqual(byName["dev/console"].map { [$0.mode, $0.rdevMajor, $0.rdevMinor] }, [0o020600, 5, 1])
        XCTAssertEqual(byName["dev/null"].map { [$0.mode, $0.rdevMajor, $0.rdevMinor] }, [0o020666, 1, 3])
        let initFile = try XCTUnwrap(byName["init"])
        XCTAssertEqual(initFile.mode, 0o100755)
        XCTAssertEqual(String(decoding: initFile.data, as: UTF8.self), initramfs.initScript)
        XCTAssertTrue(members.dropLast().allSatisfy { $0.mtime == 1234 })
        XCTAssertEqual(try Dom0Initramfs(busybox: busybox, expectedDevices: [.rtc, .block], epoch: SourceDateEpoch(seconds: 1234)).cpio(),
                       try Dom0Initramfs(busybox: busybox, expectedDevices: [.rtc, .block], epoch: SourceDateEpoch(seconds: 1234)).cpio())
    }

    func testInitScript() throws {
        let custom = try ExpectedDevice(key: "uart1", source: .firstLine(path: "/sys/class/tty/ttyAMA1/type"))
        let script = try Dom0Initramfs(busybox: fakeELF(), role: .domu, expectedDevices: [.rtc, .network, custom]).initScript
        XCTAssertTrue(script.hasPrefix("#!/bin/sh\n"))
        for needle in ["mount -t proc proc /proc", "mount -t sysfs sysfs /sys", "mount -t devtmpfs devtmpfs /dev",
                       "echo XEN-BOARD-REPORT-BEGIN", "echo XEN-BOARD-REPORT-END", "echo \"role=domu\"",
                       "echo \"hypervisor=$(first /sys/hypervisor/type)\"", "/sys/hypervisor/version/major",
                       "/sys/devices/system/cpu/online", "echo \"kernel=$(uname -r)\"",
                       "echo \"rtc=$(first /sys/class/rtc/rtc0/name)\"", "echo \"net=$(entries /sys/class/net)\"",
                       "echo \"uart1=$(first /sys/class/tty/ttyAMA1/type)\"", "poweroff -f", "tr '\\n' ','", "tr -d '\\000'"] {
            XCTAssertTrue(script.contains(needle), "init lacks \(needle)\n\(script)")
        }
        let begin = try XCTUnwrap(script.range(of: "echo XEN-BOARD-REPORT-BEGIN"))
        let end = try XCTUnwrap(script.range(of: "echo XEN-BOARD-REPORT-END"))
        let poweroff = try XCTUnwrap(script.range(of: "poweroff -f"))
        XCTAssertTrue(begin.upperBound < end.lowerBound && end.upperBound < poweroff.lowerBound)

        // POSIX syntax, checked by the host's sh (dash on Debian) in no-exec mode.
        try Host.require(["sh"])
        let dir = try TemporaryDirectory()
        try script.write(to: dir.file("init"), atomically: true, encoding: .utf8)
        let check = try Host.run("sh", ["-n", dir.file("init").path])
        XCTAssertEqual(check.status, 0, check.stderr)
    }

    func testRealCpioSeesAnExecutableInit() throws {
        try Host.require(["cpio"])
        let dir = try TemporaryDirectory()
        try Data(try Dom0Initramfs(busybox: fakeELF()).cpio()).write(to: dir.file("i.cpio"))
        let list = try Host.run("cpio", ["-itv"], input: dir.file("i.cpio"))
        XCTAssertEqual(list.status, 0, list.stderr)
        let lines = list.text.split(separator: "\n")
        XCTAssertTrue(lines.contains { $0.hasPrefix("-rwxr-xr-x") && $0.hasSuffix(" init") }, list.text)
        XCTAssertTrue(lines.contains { $0.hasPrefix("crw-------") && $0.contains("5,") && $0.hasSuffix(" dev/console") }, list.text)
        XCTAssertTrue(lines.contains { $0.hasPrefix("lrwxrwxrwx") && $0.hasSuffix(" bin/sh -> busybox") }, list.text)
    }

    func testRejectsWhatCannotBoot() throws {
        XCTAssertThrowsError(try Dom0Initramfs(busybox: Array("#!/bin/sh\n".utf8))) { error in
            guard case .busybox(.notELF) = error as? InitramfsError else { return XCTFail("\(error)") }
            XCTAssertTrue("\(error)".contains("expected an ELF executable (7f 45 4c 46), got 23 21 2f 62"), "\(error)")
        }
        XCTAssertThrowsError(try Dom0Initramfs(busybox: fakeELF(interpreter: "/lib/ld-linux-aarch64.so.1"))) { error in
            XCTAssertEqual(error as? InitramfsError, .dynamicallyLinked(interpreter: "/lib/ld-linux-aarch64.so.1"))
            XCTAssertTrue("\(error)".contains("statically linked"), "\(error)")
        }
        XCTAssertThrowsError(try Dom0Initramfs(busybox: fakeELF(machine: 40, is64Bit: false, interpreter: "/lib/ld-linux-armhf.so.3"))) {
            XCTAssertEqual($0 as? InitramfsError, .dynamicallyLinked(interpreter: "/lib/ld-linux-armhf.so.3"))
        }
        XCTAssertEqual(try Dom0Initramfs(busybox: fakeELF(machine: 40, is64Bit: false)).busybox.machine, .arm)
        XCTAssertThrowsError(try Dom0Initramfs(busybox: fakeELF(), expectedDevices: [.rtc, .rtc])) {
            XCTAssertEqual($0 as? InitramfsError, .invalidExpectedDevice(key: "rtc", expected: "each key once"))
        }
        for key in ["cpus", "Rtc", "1rtc", "rtc-0", ""] {
            XCTAssertThrowsError(try ExpectedDevice(key: key, source: .firstLine(path: "/sys/x")), key)
        }
        for path in ["sys/x", "/sys/$(reboot)", "/sys/a b", "/sys/../etc/shadow", "/sys/\"x"] {
            XCTAssertThrowsError(try ExpectedDevice(key: "x", source: .firstLine(path: path)), path)
        }
    }

    /// The ELF reader on the host's real (dynamically linked, x86-64) binaries.
    func testELFOfAHostBinary() throws {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: "/bin/ls")))
        let elf = try ELFExecutable(bytes)
        XCTAssertTrue(elf.is64Bit)
        #if arch(x86_64)
        XCTAssertEqual(elf.machine, .x86_64)
        #endif
        XCTAssertNotNil(elf.interpreter)
        XCTAssertThrowsError(try Dom0Initramfs(busybox: bytes)) {
            guard case .dynamicallyLinked = $0 as? InitramfsError else { return XCTFail("\($0)") }
        }
        XCTAssertThrowsError(try ELFExecutable(Array(bytes.prefix(40)))) { XCTAssertNotNil($0 as? ELFError) }
    }
}
