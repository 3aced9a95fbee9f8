/// Where Xen's tools are inside a toolstack root filesystem (paths relative to its root, as the archive stores them),
/// and the kernel modules Dom0 loads before starting them.
public struct ToolstackLayout: Sendable, Equatable, Codable {
    public let xl: String
    public let xenstored: String
    public let xenconsoled: String
    /// `xen-init-dom0`: writes Dom0's own entries (name, domid) into xenstore.
    public let initDom0: String
    /// `init-dom0less`: connects the `xen,enhanced` dom0less DomUs to xenstore (nil when the package has none).
    public let initDom0less: String?
    /// Module names in load order for `modprobe` (dependencies are modprobe's business: modules.dep).
    public let modules: [String]

    public init(xl: String, xenstored: String, xenconsoled: String, initDom0: String, initDom0less: String?, modules: [String]) {
        self.xl = xl
        self.xenstored = xenstored
        self.xenconsoled = xenconsoled
        self.initDom0 = initDom0
        self.initDom0less = initDom0less
        self.modules = modules
    }
}

/// The `/init` of a toolstack Dom0 and the small archive that carries it, appended to the root filesystem's archive
/// (the kernel unpacks concatenated archives in order; later entries replace earlier ones). The script loads the
/// modules, mounts xenfs at /proc/xen, starts xenstored and xenconsoled, and prints the usual `BootReport` with
/// `xenstored=`, `xenconsoled=`, one `xl_domain=NAME ID MEMORY_MIB` per line of `xl list`, and `xl_xen_version=`.
public enum ToolstackInit {
    /// busybox applets the script uses; linked in /usr/bin next to busybox-static's busybox (the root filesystem has
    /// merged /usr: /bin is a link to usr/bin). The archive holds no `bin` entry: the kernel would replace the
    /// root filesystem's link with a directory.
    static let applets = InitScript.applets + ["pidof", "sed", "ln", "usleep"]

    /// `guests`: the `[[guest]]`s `/init` creates (`XLGuests.script`) before its report, so `xl list` shows them.
    /// `pv`: bridges to create and PV devices to attach once init-dom0less has connected the guests.
    public static func text(_ layout: ToolstackLayout, guests: [XLGuest] = [], powerOff: Bool = true, reboot: Bool = false,
                            pv: PVAttachPlan = PVAttachPlan()) -> String {
        let modules = layout.modules.joined(separator: " ")
        func abs(_ p: String) -> String { "/" + p }
        let start = """

        # Xen's toolstack: modules, xenfs, xenstored, Dom0's own entries, xenconsoled.
        export PATH=/bin:/sbin:/usr/bin:/usr/sbin
        for m in \(modules); do modprobe "$m" || echo "xen-board: modprobe $m failed"; done
        mkdir -p /proc/xen /run/xen /run/xenstored /var/lib/xen /var/log/xen /var/lib/xenstored \(XLGuest.consoleLogDirectory)
        [ -e /var/run ] || ln -s /run /var/run
        mount -t xenfs xenfs /proc/xen
        # xenconsoled gives each guest console a pty (openpty: /dev/ptmx and devpts).
        mkdir -p /dev/pts && mount -t devpts devpts /dev/pts
        \(abs(layout.xenstored)) --pid-file=/run/xenstored.pid
        n=0; while [ ! -S /run/xenstored/socket ] && [ $n -lt 50 ]; do usleep 200000; n=$((n + 1)); done
        \(abs(layout.initDom0))
        \(abs(layout.xenconsoled)) --pid-file=/run/xenconsoled.pid\(guests.isEmpty ? "" : " --log=guest --log-dir=" + XLGuest.consoleLogDirectory)
        \(layout.initDom0less.map { abs($0) + " || echo \"xen-board: init-dom0less failed\"" } ?? "# no init-dom0less in this Xen")
        running() { pidof "$1" >/dev/null && echo running || echo stopped; }

        """ + pv.setup(xl: abs(layout.xl))
        let report = """
        echo "xenstored=$(running xenstored)"
        echo "xenconsoled=$(running xenconsoled)"
        \(abs(layout.xl)) list 2>/dev/null | while read -r name id mem rest; do
          [ "$name" = Name ] && continue
          echo "xl_domain=$name $id $mem"
        done
        echo "xl_xen_version=$(\(abs(layout.xl)) info 2>/dev/null | sed -n 's/^xen_version *: *//p')"

        """ + pv.reportLines
        return InitScript.setup(role: .dom0) + start + XLGuests.script(guests, xl: abs(layout.xl)) + "\n" + InitScript.report(role: .dom0, expected: report, powerOff: powerOff, reboot: reboot)
    }

    /// The archive with `/init` and the applet links it needs, to append to the root filesystem's archive.
    public static func archive(_ layout: ToolstackLayout, guests: [XLGuest] = [], epoch: SourceDateEpoch = .zero, powerOff: Bool = true,
                               reboot: Bool = false, pv: PVAttachPlan = PVAttachPlan()) throws(InitramfsError) -> CPIOArchive {
        var a = CPIOArchive(epoch: epoch)
        do {
            for dir in ["usr", "usr/bin", "dev", "proc", "sys", "run", "tmp"] { try a.addDirectory(dir, permissions: dir == "tmp" ? 0o1777 : 0o755) }
            for applet in applets { try a.addSymlink("usr/bin/\(applet)", target: "busybox") }
            try a.addCharacterDevice("dev/console", major: 5, minor: 1, permissions: 0o600)
            try a.addCharacterDevice("dev/null", major: 1, minor: 3, permissions: 0o666)
            try a.addFile("init", contents: Array(text(layout, guests: guests, powerOff: powerOff, reboot: reboot, pv: pv).utf8), permissions: 0o755)
            try addFiles(pv.files, to: &a)
        } catch {
            throw .archive(error)
        }
        return a
    }

    /// Files and their parent directories (skipping those the archive has; `usr` trees are the root filesystem's).
    static func addFiles(_ files: [(path: String, contents: [UInt8])], to a: inout CPIOArchive) throws(CPIOError) {
        var made: Set<String> = []
        for f in files {
            var parent = ""
            for part in f.path.split(separator: "/").dropLast() {
                parent += (parent.isEmpty ? "" : "/") + part
                if made.insert(parent).inserted { try a.addDirectory(parent) }
            }
            try a.addFile(f.path, contents: f.contents)
        }
    }
}
