/// What a guest's report system does with the PV devices its backend domain attaches after boot: load the frontend
/// modules (busybox `insmod`, dependencies first), wait for `eth0` and each disk, give `eth0` its address, ping the
/// other end, checksum the start of each disk, and report it all:
///
/// ```
/// net_eth0_driver=vif                  # /sys/class/net/eth0/device/driver (the xenbus driver's name)
/// net_eth0_module=xen_netfront         # .../driver/module: the kernel module that drives it
/// net_eth0_address=192.168.100.2/24
/// ping=192.168.100.1 3                 # peer, replies to 3 pings counted by busybox ping (after a first answer)
/// disk_xvda_module=xen_blkfront
/// disk_xvda_sha256=<sha256 of the first BYTES bytes of /dev/xvda>
/// ```
public struct GuestPVCheck: Sendable, Equatable {
    public struct Network: Sendable, Equatable {
        /// `ADDRESS/PREFIX` given to eth0.
        public let address: String
        /// The address pinged (the bridge's, in the backend domain).
        public let peer: String
        public init(address: String, peer: String) { self.address = address; self.peer = peer }
    }

    public struct Disk: Sendable, Equatable {
        /// `xvda`, ...
        public let vdev: String
        /// Bytes checksummed from the start of the device (the served file's size in whole 512-byte sectors).
        public let bytes: Int
        public init(vdev: String, bytes: Int) { self.vdev = vdev; self.bytes = bytes }
    }

    /// Module files (name in the archive, contents) in load order.
    public let modules: [(name: String, contents: [UInt8])]
    public let network: Network?
    public let disks: [Disk]
    /// How long the guest waits for its devices (the backend domain attaches them once its toolstack is up).
    public let waitSeconds: Int

    public init(modules: [(name: String, contents: [UInt8])], network: Network?, disks: [Disk], waitSeconds: Int = 300) {
        self.modules = modules
        self.network = network
        self.disks = disks
        self.waitSeconds = waitSeconds
    }

    public static func == (a: GuestPVCheck, b: GuestPVCheck) -> Bool {
        a.modules.map(\.name) == b.modules.map(\.name) && a.modules.map(\.contents) == b.modules.map(\.contents)
            && a.network == b.network && a.disks == b.disks && a.waitSeconds == b.waitSeconds
    }

    /// The applets the script runs, beyond the report's.
    static let applets = ["insmod", "ip", "ping", "sha256sum", "head", "readlink", "sed", "usleep", "basename"]

    /// Shell that runs before the report: sets `pv_*` variables the report lines print.
    var setup: String {
        var s = "\n# PV devices: frontends, then wait for what the backend domain attaches.\n"
        for m in modules { s += "insmod /\(m.name) || echo \"xen-board: insmod /\(m.name) failed\"\n" }
        s += """
        # waitfor PATH: up to \(waitSeconds) s for PATH to appear.
        waitfor() { n=0; while [ ! -e "$1" ] && [ $n -lt \(waitSeconds * 5) ]; do usleep 200000; n=$((n + 1)); done; }
        # module LINK: the module behind a sysfs driver link, or none.
        module() { m=$(readlink "$1/module" 2>/dev/null); echo "${m:+$(basename "$m")}" | sed 's/^$/none/'; }

        """
        if let network {
            s += """
            waitfor /sys/class/net/eth0/device/driver
            ip addr add \(network.address) dev eth0 2>/dev/null
            ip link set eth0 up
            pv_addr=$(ip -4 -o addr show dev eth0 2>/dev/null | sed -n 's/.* inet \\([0-9./]*\\).*/\\1/p')
            # The path is up once the backend has joined the bridge: wait for a first answer, then count 3.
            n=0; until ping -c 1 -W 1 \(network.peer) >/dev/null 2>&1 || [ $n -ge \(waitSeconds / 2) ]; do n=$((n + 1)); done
            pv_replies=$(ping -c 3 -W 2 \(network.peer) 2>/dev/null | sed -n 's/.* \\([0-9]*\\) packets received.*/\\1/p')

            """
        }
        for d in disks { s += "waitfor /sys/block/\(d.vdev)/device/driver\n" }
        return s
    }

    /// The report's `key=value` lines.
    var reportLines: String {
        var s = ""
        if let network {
            s += """
            d=/sys/class/net/eth0/device/driver
            echo "net_eth0_driver=$(basename "$(readlink $d 2>/dev/null || echo none)")"
            echo "net_eth0_module=$(module $d)"
            echo "net_eth0_address=${pv_addr:-none}"
            echo "ping=\(network.peer) ${pv_replies:-0}"

            """
        }
        for d in disks {
            s += """
            echo "disk_\(d.vdev)_module=$(module /sys/block/\(d.vdev)/device/driver)"
            echo "disk_\(d.vdev)_sha256=$(head -c \(d.bytes) /dev/\(d.vdev) 2>/dev/null | sha256sum | sed 's/ .*//')"

            """
        }
        return s
    }
}
