/// What a toolstack Dom0 does for the guests' PV devices once `init-dom0less` has connected them: create each bridge
/// with its address, then `xl network-attach` / `xl block-attach` every vif and disk (xl runs Xen's vif-bridge and
/// block hotplug scripts, which join the backend interface to the bridge and set up a loop device for the file).
/// Dom0's report gets one `bridge=NAME ADDRESS` per bridge and one `pv_attach=DOMID KIND VDEV-OR-INDEX ok|failed`
/// per device.
public struct PVAttachPlan: Sendable, Equatable {
    public struct Bridge: Sendable, Equatable {
        public let name: String
        /// `ADDRESS/PREFIX`.
        public let address: String
        public init(name: String, address: String) { self.name = name; self.address = address }
    }

    public enum Device: Sendable, Equatable {
        /// A vif: xl's spec (network-attach) and its index among the domain's vifs.
        case network(spec: String, index: Int)
        /// A disk: xl's spec (block-attach), its vdev, and the served file (path in Dom0's root filesystem, bytes).
        case block(spec: String, vdev: String, file: String, contents: [UInt8])
    }

    public struct Attachment: Sendable, Equatable {
        /// The domain's ID (dom0less DomUs are numbered from 1 in boot order).
        public let domain: Int
        public let device: Device
        public init(domain: Int, device: Device) { self.domain = domain; self.device = device }
    }

    public var bridges: [Bridge]
    public var attachments: [Attachment]

    public init(bridges: [Bridge] = [], attachments: [Attachment] = []) {
        self.bridges = bridges
        self.attachments = attachments
    }

    public var isEmpty: Bool { bridges.isEmpty && attachments.isEmpty }

    /// The files the plan needs in Dom0's root filesystem (the disks it serves).
    var files: [(path: String, contents: [UInt8])] {
        attachments.compactMap { if case .block(_, _, let file, let contents) = $0.device { return (file, contents) }; return nil }
    }

    /// Shell run after init-dom0less; `xl` is the tool's absolute path.
    func setup(xl: String) -> String {
        guard !isEmpty else { return "" }
        var s = """

        # PV devices: every busybox applet for Xen's hotplug scripts (real tools stay: --install links only
        # what is missing), the bridges, then each guest's vifs and disks.
        busybox --install -s 2>/dev/null
        # What udev would make: locking.sh stats /dev/stdin to check its lock (without it, it retries forever).
        [ -e /dev/fd ] || ln -s /proc/self/fd /dev/fd
        for f in stdin:0 stdout:1 stderr:2; do [ -e /dev/${f%:*} ] || ln -s /proc/self/fd/${f#*:} /dev/${f%:*}; done
        mkdir -p /var/run/xen-hotplug /var/lock
        pv_status=

        """
        for b in bridges {
            s += "ip link add name \(b.name) type bridge stp_state 0 forward_delay 0 && ip addr add \(b.address) dev \(b.name) && ip link set \(b.name) up"
                + " || echo \"xen-board: bridge \(b.name) failed\"\n"
        }
        for a in attachments {
            let (command, spec, label): (String, String, String)
            switch a.device {
            // network-attach takes each setting as its own argument; block-attach takes the spec whole.
            case .network(let text, let index):
                (command, spec, label) = ("network-attach", text.split(separator: ",").joined(separator: "' '"), "vif \(index)")
            case .block(let text, let vdev, _, _): (command, spec, label) = ("block-attach", text, "disk \(vdev)")
            }
            s += "if \(xl) \(command) \(a.domain) '\(spec)'; then r=ok; else r=failed; tail -n 20 /var/log/xen/xen-hotplug.log 2>/dev/null; fi\n"
            s += "pv_status=\"${pv_status}\(a.domain) \(label) $r;\"\n"
        }
        return s
    }

    /// Dom0's report lines.
    var reportLines: String {
        guard !isEmpty else { return "" }
        var s = ""
        for b in bridges {
            s += "echo \"bridge=\(b.name) $(ip -4 -o addr show dev \(b.name) 2>/dev/null | sed -n 's/.* inet \\([0-9./]*\\).*/\\1/p')\"\n"
        }
        s += "echo \"$pv_status\" | tr ';' '\\n' | while read -r line; do [ -n \"$line\" ] && echo \"pv_attach=$line\"; done\n"
        return s
    }
}
