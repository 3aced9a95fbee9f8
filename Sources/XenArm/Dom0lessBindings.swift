/// A device-tree property that a board-file key writes into a dom0less domain node (`compatible = "xen,domain"`)
/// or a boot-time CPU pool node (`"xen,cpupool"`), and the Xen versions that accept it, each with the files of
/// that version it was read in (its documentation and the code that parses it). Data, not code paths:
/// `CatalogSourceTests` checks every entry against each version's source tree, and that versions not listed
/// really lack the property. docs/xen-versions.md ("Dom0less bindings") lists them.
public struct Dom0lessBinding: Sendable, Equatable {
    /// Where one Xen version documents and parses the property.
    public struct Source: Sendable, Equatable {
        /// e.g. `docs/misc/arm/device-tree/booting.txt`.
        public let doc: String
        /// e.g. `xen/arch/arm/dom0less-build.c` (4.20) or `xen/arch/arm/domain_build.c` (4.17).
        public let code: String
    }

    /// The board-file key, as `section.key` (`domu.llc-colors`).
    public let boardKey: String
    /// The property written (`llc-colors`).
    public let property: String
    /// The node it goes in: `xen,domain` or `xen,cpupool`.
    public let node: String
    /// What the property does, for error messages.
    public let what: String
    /// The versions that accept it, with where each one was read.
    public let sources: [XenVersion: Source]
    /// Architectures whose Xen accepts it (LLC colouring: arm64 only).
    public let architectures: Set<Architecture>
    /// A Kconfig symbol Xen must be built with for the property to work (nil: always built).
    public let kconfig: String?
    /// What Xen's command line must carry for the property (Xen panics on `llc-colors` without LLC colouring on).
    public let xenBootargs: String?

    /// The versions that accept the property, oldest first.
    public var versions: [XenVersion] { sources.keys.sorted() }

    public func accepted(by version: XenVersion) -> Bool { sources[version] != nil }
}

public enum Dom0lessBindings {
    static let booting = "docs/misc/arm/device-tree/booting.txt"
    static let cpupools = "docs/misc/arm/device-tree/cpupools.txt"
    /// 4.17 parses a dom0less domain's node in domain_build.c; 4.19 moved that into dom0less-build.c.
    static let domU417 = Dom0lessBinding.Source(doc: booting, code: "xen/arch/arm/domain_build.c")
    static let domU420 = Dom0lessBinding.Source(doc: booting, code: "xen/arch/arm/dom0less-build.c")
    static let pool = Dom0lessBinding.Source(doc: cpupools, code: "xen/common/sched/boot-cpupool.c")
    static let both: [XenVersion: Dom0lessBinding.Source] = [.v4_17: domU417, .v4_20: domU420]
    static let arm: Set<Architecture> = [.arm32, .arm64]

    static func domU(_ key: String, _ property: String, _ what: String, _ sources: [XenVersion: Dom0lessBinding.Source] = both,
                     architectures: Set<Architecture> = arm, kconfig: String? = nil, xenBootargs: String? = nil) -> Dom0lessBinding {
        Dom0lessBinding(boardKey: "domu." + key, property: property, node: "xen,domain", what: what, sources: sources,
                        architectures: architectures, kconfig: kconfig, xenBootargs: xenBootargs)
    }

    /// Every property a board-file key writes (keys that write none, like `name` or `kernel`, are not listed).
    public static let all: [Dom0lessBinding] = [
        domU("memory", "memory", "the guest's RAM"),
        domU("cpus", "cpus", "the guest's vCPU count"),
        domU("vpl011", "vpl011", "the emulated PL011 console"),
        domU("enhanced", "xen,enhanced", "PV interfaces (xenstore, grant table, event channels)"),
        domU("static-mem", "xen,static-mem", "static memory banks"),
        domU("direct-map", "direct-map", "1:1 guest memory"),
        domU("cpupool", "domain-cpupool", "the guest's boot-time CPU pool"),
        // Xen 4.20: LLC colouring (docs/misc/cache_coloring.rst); Kconfig LLC_COLORING (EXPERT, HAS_LLC_COLORING:
        // selected by ARM_64 without NUMA); Xen panics "'llc-colors' found, but LLC coloring is disabled" unless
        // its command line turns colouring on.
        domU("llc-colors", "llc-colors", "the guest's last-level-cache colours (LLC colouring)", [.v4_20: domU420],
             architectures: [.arm64], kconfig: "LLC_COLORING", xenBootargs: "llc-coloring=on"),
        // Xen 4.18: per-domain grant-table limits (4.17 takes only the gnttab_max_frames command-line default).
        domU("max-grant-frames", "max_grant_frames", "the guest's grant-table frames", [.v4_20: domU420]),
        Dom0lessBinding(boardKey: "cpupool.cpus", property: "cpupool-cpus", node: "xen,cpupool", what: "the pool's CPUs",
                        sources: [.v4_17: pool, .v4_20: pool], architectures: arm, kconfig: nil, xenBootargs: nil),
        Dom0lessBinding(boardKey: "cpupool.scheduler", property: "cpupool-sched", node: "xen,cpupool", what: "the pool's scheduler",
                        sources: [.v4_17: pool, .v4_20: pool], architectures: arm, kconfig: nil, xenBootargs: nil),
    ]

    /// The binding a board key writes (`domu.llc-colors`), nil for keys that write no property.
    public static func binding(forKey key: String) -> Dom0lessBinding? { all.first { $0.boardKey == key } }

    /// The bindings `version` accepts.
    public static func accepted(by version: XenVersion) -> [Dom0lessBinding] { all.filter { $0.accepted(by: version) } }

    /// Why `binding` cannot be used with Xen `version` on `arch` (naming the version, the versions and architectures
    /// that have it), nil when it can.
    public static func problem(_ binding: Dom0lessBinding, version: XenVersion, arch: Architecture, versionSource: String) -> String? {
        let key = binding.boardKey.split(separator: ".").last.map(String.init) ?? binding.boardKey
        let section = binding.node == "xen,cpupool" ? "[[cpupool]]" : "[[domu]]"
        let names = binding.versions.map { "Xen \($0.rawValue)" }.joined(separator: ", ")
        if !binding.accepted(by: version) {
            return "\(section) key '\(key)' writes '\(binding.property)' (\(binding.what)), which Xen \(version) does not accept "
                + "(this board uses Xen \(version): \(versionSource)); versions that have it: \(names) "
                + "(set [xen] version = \"\(binding.versions.last?.rawValue ?? "")\", or --xen-version \(binding.versions.last?.rawValue ?? ""))"
        }
        if !binding.architectures.contains(arch) {
            let archs = binding.architectures.map(\.rawValue).sorted().joined(separator: ", ")
            return "\(section) key '\(key)' writes '\(binding.property)' (\(binding.what)), which Xen \(version) accepts on \(archs) only, not on \(arch.rawValue)"
        }
        return nil
    }
}
