/// What a toolstack root filesystem is made of: the packages asked for (apt adds their dependencies) and the kernel
/// modules Dom0 needs. Data, with where each entry comes from.
public enum ToolstackContents {
    /// The packages apt resolves the closure of (`apt-get install --no-install-recommends`), for Xen `version`:
    /// xen-utils-VERSION (xl, xenstored, xenconsoled, init-dom0less, xen-init-dom0), xenstore-utils (xenstore-read
    /// and friends), iproute2 (`ip`, `bridge`), bridge-utils (`brctl`, used by Xen's vif-bridge script),
    /// busybox-static (the shell and applets /init runs), kmod (`modprobe`, reading depmod's modules.dep), and for
    /// Xen's hotplug scripts (vif-bridge, block: `#!/bin/bash`, `flock` in locking.sh) bash and util-linux, which
    /// apt leaves out of a closure because they are Essential.
    public static func packages(xenVersion: String) -> [String] {
        ["xen-utils-\(xenVersion)", "xenstore-utils", "iproute2", "bridge-utils", "busybox-static", "kmod", "bash", "util-linux"]
    }

    /// Kernel modules loaded at boot (Debian's kernels build all of these as modules, see the kernel package's
    /// config: CONFIG_XEN_NETDEV_BACKEND, CONFIG_XEN_BLKDEV_BACKEND, CONFIG_XEN_PRIVCMD, CONFIG_XEN_DEV_EVTCHN,
    /// CONFIG_XEN_GNTDEV, CONFIG_XEN_GRANT_DEV_ALLOC, CONFIG_XENFS, CONFIG_BRIDGE, CONFIG_BLK_DEV_LOOP all =m).
    /// Order: what xenstored needs first (evtchn, gntdev, privcmd, xenfs), then the backends.
    public static let modules = ["xen-evtchn", "xen-gntdev", "xen-gntalloc", "xen-privcmd", "xenfs",
                                 "xen-netback", "xen-blkback", "bridge", "loop"]

    /// Paths left out of the image (documentation, manual pages, translations): what a minimal Debian system
    /// excludes with dpkg's path-exclude. Each package's `usr/share/doc/*/copyright` is kept.
    static let excludedPrefixes = ["usr/share/doc/", "usr/share/man/", "usr/share/info/", "usr/share/locale/",
                                   "usr/share/lintian/", "usr/share/bug/"]

    static func isExcluded(_ path: String) -> Bool {
        if path.hasPrefix("usr/share/doc/") {
            let parts = path.split(separator: "/")
            return parts.count > 5 || (parts.count == 5 && parts[4] != "copyright")
        }
        return excludedPrefixes.contains { path.hasPrefix($0) }
    }
}
