import Foundation
import XenArm

/// Xen's configuration in a work tree: `make defconfig`, the fragment appended to `xen/.config`, `make
/// olddefconfig`, a check that Kconfig kept every fragment line, and `make syncconfig`. A kept tree configured from the same inputs
/// is not configured again (see `configKey`).
enum XenConfigure {
    /// Where the key of the tree's current configuration is kept; written only after a configuration succeeded.
    static let keyName = "xen/.xen-board-config-key"

    /// Configures `make.tree` unless its configuration already comes from the same key. Returns `xen/.config` and
    /// whether Kconfig ran.
    static func run(_ make: XenMake, fragment: ConfigFragment, files: [GeneratedFile],
                    progress: (String) -> Void) throws(XenSourceError) -> (config: URL, reconfigured: Bool) {
        let tree = make.tree
        let config = tree.appendingPathComponent("xen/.config")
        // Kconfig rewrites include/generated/autoconf.h and include/config/*: an unchanged configuration is left
        // alone so that make recompiles only what the generated files changed.
        let keyFile = tree.appendingPathComponent(keyName)
        let key = configKey(fragment: fragment, files: files, arch: make.arch)
        if Files.exists(config), (try? Files.read(keyFile)) == key {
            progress("configuration unchanged since the last build of this tree: not reconfiguring")
            return (config, false)
        }
        Files.remove(keyFile)
        let what = fragment.entries.isEmpty ? "" : " + \(fragment.entries.count)-line fragment"
        progress("configuring (\(make.arch.rawValue) defconfig\(what), olddefconfig)")
        try make.run(["defconfig"])
        if !fragment.entries.isEmpty {
            var text = try Files.read(config)
            if !text.hasSuffix("\n") { text += "\n" }
            text += "# xen-board config fragment\n" + fragment.text
            try Files.write(Data(text.utf8), to: config)
        }
        try make.run(["olddefconfig"])
        var dropped = ConfigFragment.check(fragment, against: try Files.read(config))
        if !dropped.isEmpty {
            let xenDir = tree.appendingPathComponent("xen")
            for i in dropped.indices { dropped[i].definition = KconfigLookup.definition(of: dropped[i].symbol, in: xenDir) }
            throw .configDropped(dropped, config: config.path)
        }
        // Xen's Makefile would run syncconfig on the way to `xen`, but only after removing include/config/auto.conf,
        // the old values Kconfig compares against: then every symbol counts as changed and every object is
        // recompiled. Run here, with the old auto.conf in place, it touches only the include/config/ files of
        // symbols whose value changed, and fixdep's dependencies rebuild just the objects that test them.
        try make.run(["syncconfig"])
        try Files.writeAtomically(Data(key.utf8), to: keyFile)
        return (config, true)
    }

    /// What the configuration depends on: the architecture, the fragment and every generated Kconfig file (and
    /// defconfig). The Xen source itself is fixed per work tree (one tree per Debian version).
    static func configKey(fragment: ConfigFragment, files: [GeneratedFile], arch: Architecture) -> String {
        var key = "arch=\(arch.rawValue)\n" + fragment.text
        for f in files {
            let name = f.path.split(separator: "/").last ?? ""
            guard name.hasPrefix("Kconfig") || name.hasSuffix("defconfig") else { continue }
            key += "\n--- \(f.path)\n" + String(decoding: f.contents, as: UTF8.self)
        }
        return key
    }
}
