import BoardFile
import XCTest

/// `[[domu]] vif` / `disk` in xl's spec syntax and `[[bridge]]`: typed when the board is read, bad specs name the
/// file and line.
final class PVDeviceSpecTests: XCTestCase {
    func board(domu: String, bridges: String = "[[bridge]]\nname = \"xenbr0\"\naddress = \"192.168.100.1/24\"\n",
               rootfs: String = "toolstack") throws -> Board {
        try BoardFileParser.parse("""
        description = "A board"
        arch = "arm64"
        status = "build-only"
        [dtb]
        kernel-dtb = "arm/juno-r2.dtb"
        [dom0]
        rootfs = "\(rootfs)"
        \(bridges)
        [[domu]]
        name = "net"
        memory = "128M"
        enhanced = "enabled"
        \(domu)
        """, name: "test", file: "/x/boards/test.toml", directory: "/x/boards")
    }

    func testVifSpecIsTyped() throws {
        let b = try board(domu: "vif = [\"bridge=xenbr0, mac=00:16:3E:0a:0b:0c,ip=192.168.100.2/24,mtu=1400\"]")
        let vif = try XCTUnwrap(b.domUs.first?.vifs.first)
        XCTAssertEqual(vif.bridge, "xenbr0")
        XCTAssertEqual(vif.backend, .dom0)
        XCTAssertEqual(vif.mac?.bytes, [0x00, 0x16, 0x3e, 0x0a, 0x0b, 0x0c])
        XCTAssertEqual(vif.ip.first?.description, "192.168.100.2/24")
        XCTAssertEqual(vif.mtu, 1400)
        XCTAssertEqual(vif.xl, "bridge=xenbr0,backend=Domain-0,mac=00:16:3e:0a:0b:0c,mtu=1400")
        XCTAssertEqual(b.bridges, [BridgeSpec(name: "xenbr0", address: try XCTUnwrap(b.bridges.first?.address), domain: .dom0)])
        XCTAssertEqual(b.bridges.first?.address.description, "192.168.100.1/24")
    }

    func testDiskSpecKeyedAndPositional() throws {
        let keyed = try board(domu: "disk = [\"format=raw, vdev=xvdb, access=ro, target=disks/a,b.img\"]").domUs[0].disks[0]
        XCTAssertEqual(keyed.target, "/x/boards/disks/a,b.img", "target= takes the rest of the spec, commas included")
        XCTAssertEqual(keyed.vdev, "xvdb")
        XCTAssertEqual(keyed.access, .readOnly)
        let positional = try board(domu: "disk = [\"/srv/data.img,raw,xvda,rw\"]").domUs[0].disks[0]
        XCTAssertEqual(positional.target, "/srv/data.img")
        XCTAssertEqual(positional.vdev, "xvda")
        XCTAssertEqual(positional.access, .readWrite)
        XCTAssertEqual(positional.xl(target: "/var/lib/xen-board/disks/net-xvda"),
                       "format=raw,vdev=xvda,access=rw,backend=Domain-0,target=/var/lib/xen-board/disks/net-xvda")
    }

    func expectError(domu: String, bridges: String? = nil, rootfs: String = "toolstack", line: Int, _ text: String,
                     file: StaticString = #filePath, lineNumber: UInt = #line) {
        XCTAssertThrowsError(try bridges.map { try board(domu: domu, bridges: $0, rootfs: rootfs) } ?? board(domu: domu, rootfs: rootfs),
                             file: file, line: lineNumber) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains("test.toml:\(line):"), "names file:line: \(message)", file: file, line: lineNumber)
            XCTAssertTrue(message.contains(text), message, file: file, line: lineNumber)
        }
    }

    func testMalformedVifsNameTheLine() {
        // Lines: 12-15 the [[domu]] header and keys, 16 the key under test.
        expectError(domu: "vif = [\"bridge=xenbr0,colour=blue\"]", line: 16, "unknown vif key 'colour'")
        expectError(domu: "vif = [\"mac=00:16:3e:00:00\"]", line: 16, "mac '00:16:3e:00:00' is not six hex pairs")
        expectError(domu: "vif = [\"mac=01:16:3e:00:00:01\"]", line: 16, "multicast")
        expectError(domu: "vif = [\"ip=192.168.300.2\"]", line: 16, "not an IPv4 address")
        expectError(domu: "vif = [\"xenbr0\"]", line: 16, "is not key=value")
        expectError(domu: "vif = [\"bridge=xen br0\"]", line: 16, "bridge 'xen br0' must be")
        expectError(domu: "vif = [\"type=ioemu\"]", line: 16, "type=vif")
    }

    func testMalformedDisksNameTheLine() {
        expectError(domu: "disk = [\"vdev=sda,target=/d.img\"]", line: 16, "vdev 'sda'")
        expectError(domu: "disk = [\"vdev=xvd,target=/d.img\"]", line: 16, "vdev 'xvd'")
        expectError(domu: "disk = [\"format=qcow2,vdev=xvda,target=/d.img\"]", line: 16, "only raw")
        expectError(domu: "disk = [\"vdev=xvda,access=rx,target=/d.img\"]", line: 16, "access 'rx'")
        expectError(domu: "disk = [\"vdev=xvda,cache=none,target=/d.img\"]", line: 16, "unknown disk key 'cache'")
        expectError(domu: "disk = [\"vdev=xvda\"]", line: 16, "needs a target")
        expectError(domu: "disk = [\"/a.img,raw,xvda,rw,extra\"]", line: 16, "at most 4 positional")
        expectError(domu: "disk = [\"/a.img,raw,xvda\", \"/b.img,raw,xvda\"]", line: 16, "vdev xvda is given twice")
    }

    func testBackendsBridgesAndGuestsAreChecked() {
        expectError(domu: "vif = [\"backend=netdom\"]", line: 16, "vif backend 'netdom' names no domain of this board (domains: Domain-0, net)")
        expectError(domu: "disk = [\"backend=blkdom,vdev=xvda,target=/d.img\"]", line: 16, "names no domain")
        expectError(domu: "vif = [\"bridge=xenbr1\"]", line: 16, "vif on bridge 'xenbr1' of Domain-0: no [[bridge]] creates it")
        expectError(domu: "vif = [\"bridge=xenbr0\"]", bridges: "", line: 13, "declared: none")
        expectError(domu: "vif = [\"ip=10.0.0.2/24\"]", line: 16, "must be another address in bridge xenbr0's network 192.168.100.1/24")
        expectError(domu: "vif = [\"ip=192.168.100.1/24\"]", line: 16, "must be another address")
        expectError(domu: "vif = [\"bridge=xenbr0\"]", rootfs: "report", line: 8, "[[bridge]] xenbr0 domain is Domain-0, which must run Xen's toolstack to attach it: set [dom0] rootfs = \"toolstack\"")
        expectError(domu: "vif = [\"bridge=xenbr0\"]", bridges: "", rootfs: "report", line: 13, "vif backend is Domain-0, which must run Xen's toolstack")
        expectError(domu: "vif = [\"mac=00:16:3e:00:00:01\", \"mac=00:16:3e:00:00:01\"]", line: 16, "mac 00:16:3e:00:00:01 is used")
        expectError(domu: "", bridges: "[[bridge]]\nname = \"xenbr0\"\naddress = \"192.168.100.1\"\n", line: 8, "with its prefix")
        expectError(domu: "", bridges: "[[bridge]]\nname = \"xenbr0\"\naddress = \"10.0.0.1/8\"\ndomain = \"nobody\"\n", line: 8, "names no domain")
    }

    /// `[[guest]] vif`: the same syntax and checks; a guest's name is a domain a backend may name.
    func testGuestVifs() throws {
        let guest = "[[guest]]\nname = \"xlnet\"\nmemory = \"128M\"\n"
        let b = try board(domu: "\n" + guest + "vif = [\"bridge=xenbr0,mac=00:16:3e:00:00:03,ip=192.168.100.3/24\"]")
        XCTAssertEqual(b.guests.first?.vifs.first?.ip.first?.description, "192.168.100.3/24")
        XCTAssertEqual(b.guests.first?.vifs.first?.xl, "bridge=xenbr0,backend=Domain-0,mac=00:16:3e:00:00:03")
        // Lines: 16 blank, 17-19 the [[guest]] header, name and memory, 20 its vif.
        expectError(domu: "\n" + guest + "vif = [\"bridge=xenbr7\"]", line: 20, "vif on bridge 'xenbr7' of Domain-0: no [[bridge]] creates it")
        expectError(domu: "\n" + guest + "vif = [\"mac=00:16:3e:00:00:0g\"]", line: 20, "is not six hex pairs")
        expectError(domu: "vif = [\"backend=xlnet\"]\n" + guest, line: 16, "vif on bridge 'xenbr0' of xlnet: no [[bridge]] creates it")
    }

    func testPVDevicesNeedXenstoreInTheGuest() {
        XCTAssertThrowsError(try BoardFileParser.parse("""
        description = "A board"
        arch = "arm64"
        status = "build-only"
        [dtb]
        kernel-dtb = "arm/juno-r2.dtb"
        [dom0]
        rootfs = "toolstack"
        [[bridge]]
        name = "xenbr0"
        address = "192.168.100.1/24"
        [[domu]]
        name = "net"
        memory = "128M"
        vif = ["bridge=xenbr0"]
        """, name: "test", file: "/x/boards/test.toml", directory: "/x/boards")) { error in
            XCTAssertTrue("\(error)".contains("test.toml:14: domu 'net': PV devices need xenstore in the guest"), "\(error)")
        }
    }
}
