import XenArm
/// The board-file schema: every section and key a board file may have. Data, not logic; `BoardFileParser`
/// rejects anything not listed here, naming the key and its line.
public enum BoardFileSchema {
    public enum ValueType: String, Sendable {
        case string, integer, boolean
        /// One of a fixed set of strings.
        case choice
        /// An array of strings.
        case strings
    }

    public struct Key: Sendable {
        public let name: String
        public let type: ValueType
        public let choices: [String]
        public let required: Bool
        public let doc: String

        init(_ name: String, _ type: ValueType, choices: [String] = [], required: Bool = false, _ doc: String) {
            self.name = name
            self.type = type
            self.choices = choices
            self.required = required
            self.doc = doc
        }
    }

    public struct Section: Sendable {
        public let name: String
        public let doc: String
        public let keys: [Key]
        /// `[[name]]`: may appear any number of times.
        public var repeated = false
    }

    public static let sections: [Section] = [
        Section(name: "", doc: "top level", keys: [
            Key("description", .string, required: true, "what the board is"),
            Key("arch", .choice, choices: ["arm64", "arm32"], required: true, "Xen build: arm64 or arm32"),
            Key("status", .choice, choices: ["ci-boot", "build-only", "blocked"], required: true,
                "ci-boot: booted under QEMU on every CI run; build-only: images built, never booted here; blocked: see status-note"),
            Key("status-note", .string, "why the board is build-only or blocked"),
        ]),
        Section(name: "dtb", doc: "the board's device tree (exactly one source)", keys: [
            Key("kernel-dtb", .string, "path inside Debian's kernel package DTB directory, e.g. \"arm/juno-r2.dtb\""),
            Key("path", .string, "a DTB file (relative to the board file)"),
            Key("qemu-dumpdtb", .boolean, "use the tree QEMU generates for the [qemu] machine (-machine dumpdtb)"),
        ]),
        Section(name: "xen", doc: "the hypervisor", keys: [
            Key("version", .choice, choices: XenVersion.allCases.map(\.rawValue),
                "Xen version: 4.17 (Debian 12) or 4.20 (Debian 13); default: the newest Debian ships prebuilt for the board's arch (4.20 on arm64, 4.17 on arm32)"),
            Key("image", .string, "\"debian\" (xen-hypervisor-<version> package, default), \"source\" (Debian's xen source built with the board's generated port, as `build --xen source`) or a path to a Xen image"),
            Key("uart-driver", .choice, choices: ["auto", "generated"],
                "console driver: auto (Xen's own driver when it has one, else the generated one) or generated (always the driver xen-board generates from the UART description)"),
            Key("bootargs", .string, "added to the Xen command line after the console settings"),
            Key("console", .string, "console UART path or alias, overriding inspect's choice"),
        ]),
        Section(name: "dom0", doc: "the control domain", keys: [
            Key("kernel", .string, "\"debian\" (linux-image-arm64 / -armmp-lpae, default) or a path to a kernel image"),
            Key("bootargs", .string, "added to the Dom0 command line after console=hvc0"),
            Key("memory", .string, "dom0_mem, e.g. \"512M\" (default 512M)"),
            Key("vcpus", .integer, "dom0_max_vcpus"),
            Key("enabled", .boolean, "false: true dom0less (no Dom0; needs at least one [[domu]])"),
            Key("after-report", .choice, choices: ["poweroff", "reboot"],
                "what the test Dom0 asks for after its report (default poweroff; reboot: `boot` checks the machine resets)"),
            Key("rootfs", .string,
                "Dom0's root filesystem: \"report\" (busybox test system, default), \"toolstack\" (Debian's xen-utils, xl, xenstored, bridge and ip tools, the kernel's Xen modules) or the path of your own cpio(.gz) initramfs or ext4 image (served to Dom0 as a disk)"),
        ]),
        Section(name: "domu", doc: "a dom0less guest started by Xen at boot (repeat [[domu]] for more)", keys: [
            Key("name", .string, required: true, "guest name (the /chosen/domU-NAME node)"),
            Key("memory", .string, required: true, "guest RAM, e.g. \"128M\""),
            Key("cpus", .integer, "vCPUs (default 1)"),
            Key("kernel", .string, "\"debian\" (default: the file Dom0 boots, shared) or a path to this DomU's own kernel image (checked like Dom0's, written as kernel-NAME)"),
            Key("bootargs", .string, "guest kernel command line additions"),
            Key("vpl011", .boolean, "emulated PL011 console (default true)"),
            Key("enhanced", .choice, choices: ["enabled", "disabled", "no-xenstore"], "xen,enhanced (default: not set)"),
            Key("passthrough", .strings, "host device paths or aliases this guest owns"),
            Key("static-mem", .string, "xen,static-mem as \"BASE:SIZE\" (hex), e.g. \"0x50000000:0x8000000\""),
            Key("direct-map", .boolean, "map guest memory 1:1 (needs static-mem)"),
            Key("cpupool", .string, "name of a [[cpupool]] to run in"),
            Key("rootfs", .string, "the path of your own cpio(.gz) initramfs for this guest (default: the busybox report system), or of an ext4 image served as its PV disk by a toolstack Dom0 (needs enhanced = \"enabled\")"),
            Key("initrd", .string, "the path of a cpio(.gz) initramfs for this guest: the one that goes with an ext4 rootfs; alone, the same as rootfs = PATH"),
            Key("vif", .strings, "PV network interfaces in xl's vif syntax, e.g. \"bridge=xenbr0,mac=00:16:3e:00:00:01,ip=192.168.100.2/24\" (needs enhanced = \"enabled\" and a toolstack Dom0)"),
            Key("disk", .strings, "PV disks in xl's disk syntax, e.g. \"format=raw,vdev=xvda,access=ro,target=disks/data.img\" (target relative to the board file)"),
            Key("max-grant-frames", .integer, "max_grant_frames: the guest's grant-table frames (Xen 4.18+, so 4.20 here; default Xen's gnttab_max_frames, 64)"),
            Key("llc-colors", .string, "last-level-cache colours, e.g. \"0-3,8\" (Xen 4.20, arm64, a Xen built with LLC_COLORING: `--xen source`; turns on llc-coloring)"),
        ], repeated: true),
        Section(name: "bridge", doc: "a bridge the backend domain creates at boot for the guests' vifs (repeat for more)", keys: [
            Key("name", .string, required: true, "bridge name, as vif specs' bridge= names it, e.g. \"xenbr0\""),
            Key("address", .string, required: true, "the bridge's IPv4 address with prefix, e.g. \"192.168.100.1/24\" (guests ping it)"),
            Key("domain", .string, "the domain that creates it: \"dom0\" (default) or a driver domain's name"),
        ], repeated: true),
        Section(name: "guest", doc: "a guest Dom0 starts with `xl create` after boot (needs [dom0] rootfs = \"toolstack\"; repeat [[guest]] for more)", keys: [
            Key("name", .string, required: true, "xl's name: letters, digits, '-' or '_'"),
            Key("memory", .string, required: true, "guest RAM in whole MiB, e.g. \"128M\""),
            Key("vcpus", .integer, "vCPUs (default 1)"),
            Key("kernel", .string, "\"debian\" (the board's DomU kernel, default) or a path to a kernel image"),
            Key("ramdisk", .string, "the path of your own cpio(.gz) initramfs (default: the busybox report system)"),
            Key("extra", .string, "added to the guest's command line after console=hvc0"),
            Key("vif", .strings, "PV network interfaces in xl's vif syntax (as [[domu]] vif), written into the guest's xl configuration"),
        ], repeated: true),
        Section(name: "cpupool", doc: "a boot-time CPU pool for dom0less guests", keys: [
            Key("name", .string, required: true, "pool name, referenced by [[domu]] cpupool"),
            Key("cpus", .string, required: true, "host CPU node paths, comma-separated, e.g. \"/cpus/cpu@1\""),
            Key("scheduler", .choice, choices: ["credit2", "credit", "rtds", "arinc653", "null"], "scheduler (default credit2)"),
        ], repeated: true),
        Section(name: "platform", doc: "generated Xen platform code (`xen-board gen`): what the device tree cannot say", keys: [
            Key("name", .string, "the name Xen prints as \"Platform: NAME\" (default: XEN-BOARD <board>)"),
            Key("smp", .choice, choices: ["auto", "none", "mailbox", "spin-table"],
                "arm32 secondary CPU bring-up without PSCI (auto: PSCI, or a mechanism recognised in the DT)"),
            Key("smp-mailbox", .integer, "mailbox register that receives Xen's entry address (smp = \"mailbox\")"),
            Key("smp-mailbox-clear", .integer, "register written with ~0 before the mailbox (optional)"),
            Key("smp-wake", .choice, choices: ["sgi", "sev"], "how waiting CPUs are woken (default sgi)"),
            Key("reset", .strings, "register writes that reset the board, \"ADDR=VALUE\" (default: PSCI or recognised in the DT)"),
            Key("poweroff", .strings, "register writes that power the board off, \"ADDR=VALUE\""),
            Key("blacklist", .strings, "compatibles of devices Dom0 must not get (added to inspect's findings)"),
            Key("specific-mappings", .strings, "MMIO mapped 1:1 into Dom0, \"BASE:SIZE\""),
            Key("dma-bitsize", .integer, "DMA zone width in bits"),
            Key("gic-64k-stride", .boolean, "PLATFORM_QUIRK_GIC_64K_STRIDE"),
        ]),
        Section(name: "memory", doc: "RAM window override (when the DTB's memory is empty or wrong)", keys: [
            Key("base", .integer, required: true, "RAM base address"),
            Key("size", .integer, required: true, "RAM size in bytes"),
        ]),
        Section(name: "qemu", doc: "emulated boards only", keys: [
            Key("machine", .string, required: true, "QEMU -machine value, e.g. \"virt,gic-version=3,virtualization=on\""),
            Key("cpu", .string, "QEMU -cpu value"),
            Key("smp", .integer, "number of CPUs (default 2)"),
            Key("memory", .integer, "RAM in MiB (default 1024)"),
            Key("boot", .choice, choices: ["u-boot", "direct"], "u-boot (U-Boot from u-boot-qemu + disk image) or direct (-kernel)"),
        ]),
    ]

    public static func section(_ name: String) -> Section? { sections.first { $0.name == name } }
}
