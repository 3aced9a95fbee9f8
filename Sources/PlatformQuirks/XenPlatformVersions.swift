import XenArm

/// The platforms that differ between Xen versions: 4.19 added the i.MX8QM/8QXP platform (SCFW SMC forwarding);
/// none was removed up to 4.20 (docs/xen-versions.md; `PlatformCatalogSourceTests` checks every entry against
/// the version's cached Debian source tree).
extension PlatformCatalog {
    static let imx8qm = XenPlatform(
        symbol: "imx8qm", name: "i.MX 8Q{M,XP}", source: "xen/arch/arm/platforms/imx8qm.c",
        compatibles: ["fsl,imx8qm", "fsl,imx8qxp"], architectures: [.arm64], kconfig: "ALL64_PLAT",
        hooks: [.smc], blacklist: [], dmaBitsize: nil, quirks: [], specificMappings: [])

    /// The platforms of Xen `version` for `arch`, in link order (the order of xen/arch/arm/platforms/Makefile).
    public static func platforms(for arch: Architecture, version: XenVersion) -> [XenPlatform] {
        switch (version, arch) {
        case (.v4_17, _): platforms(for: arch)
        case (.v4_20, .arm64): [seattle, sunxiV8, sunxiV7, thunderx, xgeneStorm, rpi4, imx8qm, xilinxZynqMP]
        case (.v4_20, .arm32): arm32
        }
    }

    /// Every platform of `version` (both architectures, no duplicates), for the source check.
    public static func all(_ version: XenVersion) -> [XenPlatform] {
        var seen = Set<String>(), out: [XenPlatform] = []
        for p in platforms(for: .arm64, version: version) + platforms(for: .arm32, version: version) where seen.insert(p.symbol).inserted {
            out.append(p)
        }
        return out
    }
}
