/// The `/init` of the test initramfs: POSIX sh for busybox's ash. It mounts proc, sysfs and devtmpfs, prints the
/// boot report between `BootReport.beginMarker` and `BootReport.endMarker`, and powers the machine off.
enum InitScript {
    /// The busybox applets the script runs (each gets a symlink in /bin).
    static let applets = ["sh", "mount", "cat", "tr", "grep", "ls", "uname", "poweroff", "reboot", "sleep", "echo", "mkdir"]

    /// `powerOff` false keeps the domain idle after its report: a Dom0 that powers off halts the whole machine, which
    /// would cut short the DomUs still booting.
    /// `reboot` asks for a reboot instead (boards whose hardware can reset but not power off: the boot test then
    /// checks that the machine really resets).
    /// `pv`: the guest's PV devices, set up before the report and reported in it.
    static func text(role: DomainRole, expectedDevices: [ExpectedDevice], powerOff: Bool = true, reboot: Bool = false,
                     pv: GuestPVCheck? = nil) -> String {
        var expected = ""
        for device in expectedDevices {
            switch device.source {
            case .firstLine(let path): expected += "echo \"\(device.key)=$(first \(path))\"\n"
            case .entries(let dir): expected += "echo \"\(device.key)=$(entries \(dir))\"\n"
            }
        }
        return setup(role: role) + "\n" + (pv?.setup ?? "") + "\n" + report(role: role, expected: expected + (pv?.reportLines ?? ""), powerOff: powerOff, reboot: reboot)
    }

    /// Mounts, helpers, and the Xen version and CPU count as the report prints them.
    static func setup(role: DomainRole) -> String {
        """
        #!/bin/sh
        # xen-board test system (role \(role.rawValue)): report what this domain sees, then power off.
        export PATH=/bin:/sbin
        mount -t proc proc /proc
        mount -t sysfs sysfs /sys
        mount -t devtmpfs devtmpfs /dev
        # Keep kernel messages from interleaving with the report.
        echo 1 > /proc/sys/kernel/printk

        # first FILE: the first line of FILE, or none.
        first() { v=; [ -r "$1" ] && read -r v < "$1"; echo "${v:-none}"; }
        # entries DIR: the names in DIR, comma-separated, or none.
        entries() { v=$(ls "$1" 2>/dev/null | tr '\\n' ','); v=${v%,}; echo "${v:-none}"; }

        if [ -r /sys/hypervisor/version/major ]; then
          extra=; [ -r /sys/hypervisor/version/extra ] && read -r extra < /sys/hypervisor/version/extra
          xen_version="$(first /sys/hypervisor/version/major).$(first /sys/hypervisor/version/minor)$extra"
        else
          xen_version=unknown
        fi

        cpus=0
        online=$(cat /sys/devices/system/cpu/online 2>/dev/null)
        if [ -n "$online" ]; then
          IFS=,
          for r in $online; do
            case $r in
              *-*) cpus=$((cpus + ${r#*-} - ${r%-*} + 1)) ;;
              *) cpus=$((cpus + 1)) ;;
            esac
          done
          unset IFS
        else
          cpus=$(grep -c '^processor' /proc/cpuinfo)
        fi
        """
    }

    /// The report block, then power-off, reboot or idling.
    static func report(role: DomainRole, expected: String, powerOff: Bool, reboot: Bool) -> String {
        """
        dt=/sys/firmware/devicetree/base
        [ -d "$dt" ] || dt=/proc/device-tree

        echo \(BootReport.beginMarker)
        echo "hypervisor=$(first /sys/hypervisor/type)"
        echo "xen_version=$xen_version"
        echo "cpus=$cpus"
        echo "kernel=$(uname -r)"
        echo "role=\(role.rawValue)"
        # Device-tree nodes one or two levels deep that have a compatible and are not disabled.
        for n in "$dt"/*/ "$dt"/*/*/; do
          [ -f "${n}compatible" ] || continue
          status=okay
          [ -f "${n}status" ] && status=$(tr -d '\\000' < "${n}status")
          case $status in ok|okay) ;; *) continue ;; esac
          n=${n#"$dt"}
          echo "device=${n%/}"
        done
        \(expected)read -r up _ < /proc/uptime
        echo "uptime=$up"
        echo \(BootReport.endMarker)

        \(powerOff ? (reboot ? "echo XEN-BOARD-REBOOT\nreboot -f" : "poweroff -f\nreboot -f") : "# stay up: other domains are still booting")
        while :; do sleep 3600; done

        """
    }
}
