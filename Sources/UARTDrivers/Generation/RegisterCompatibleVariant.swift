import Foundation
import XenArm

/// A UART an existing Xen driver already handles once it knows the compatible (`Data/variants/*.json`): the data
/// names the driver file, where its `dt_match` gets the new entries, any Kconfig change (e.g. widening
/// `HAS_OMAP` from ARM_32 to ARM), and the register facts that justify the equivalence, with their sources.
public struct RegisterCompatibleVariant: Codable, Sendable, Equatable {
    public var name: String
    /// Xen's driver (`DriverCatalog` name: `omap`, `ns16550`, `imx-lpuart`).
    public var driver: String
    public var file: String
    /// The `dt_match` line the new entries follow.
    public var matchAfter: String
    public var compatibles: [String]
    /// The compatible of the driver's own `dt_match` whose registers these UARTs have: the console analysis takes
    /// the driver's early-printk setting and requirements for it.
    public var sameAs: String
    /// Where Xen builds the driver once the variant's Kconfig changes are in (`HAS_OMAP` widened: arm32 and arm64).
    public var architectures: [Architecture]
    public var kconfig: [KconfigChange]
    public var equivalence: String
    public var sources: [String]
    /// The Xen versions whose tree `matchAfter` and the Kconfig changes were written against (absent: `["4.17"]`);
    /// on other versions the variant does not apply (4.19 matched ti,am654-uart and fsl,imx8qxp-lpuart upstream).
    public var xenVersions: [String]?

    public func applies(to version: XenVersion) -> Bool { (xenVersions ?? ["4.17"]).contains(version.rawValue) }

    public struct KconfigChange: Codable, Sendable, Equatable {
        public var file: String
        public var replace: String
        public var with: String
        public var why: String
    }

    /// The edits to Xen's tree: the `dt_match` entries, then the Kconfig changes.
    public var edits: [TreeEdit] {
        let lines = compatibles.map { "    DT_MATCH_COMPATIBLE(\"\($0)\"),\n" }.joined()
        var out = [TreeEdit(path: file, placement: .after(matchAfter), text: lines, purpose: "\(driver) dt_match entries")]
        for k in kconfig {
            out.append(TreeEdit(path: k.file, placement: .replacing(k.replace), text: k.with, purpose: "Kconfig: \(k.why)"))
        }
        return out
    }

    /// Edited versions of the touched files, reading originals through `original` (what to write into Xen's tree).
    public func treeFiles(original: (String) throws -> String) throws -> [(path: String, text: String)] {
        try TreeEdit.applyAll(edits, original: original)
    }

    /// Every shipped variant, sorted by name; bad data is an error naming the file.
    public static func shipped() throws(UARTDescriptionError) -> [RegisterCompatibleVariant] {
        guard let dir = DataFiles.url("variants") else {
            throw UARTDescriptionError(file: "Data/variants", key: "", message: "the module's resources are missing")
        }
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).filter { $0.hasSuffix(".json") }.sorted()
        var out: [RegisterCompatibleVariant] = []
        for n in names {
            let url = dir.appendingPathComponent(n)
            let v = try DataFiles.decode(RegisterCompatibleVariant.self, from: url)
            try v.check(file: url.path)
            out.append(v)
        }
        return out
    }

    /// Checks a variant given as JSON text (`file` names it in errors).
    public static func parse(_ json: Data, file: String) throws(UARTDescriptionError) -> RegisterCompatibleVariant {
        let v = try DataFiles.decode(RegisterCompatibleVariant.self, data: json, file: file)
        try v.check(file: file)
        return v
    }

    /// Checks the data against Xen 4.17's driver catalog: the driver exists, `sameAs` is one of its compatibles,
    /// and without a Kconfig change the driver runs only where Xen already builds it.
    func check(file: String) throws(UARTDescriptionError) {
        guard !compatibles.isEmpty, compatibles.allSatisfy({ !$0.isEmpty && !$0.contains("\"") && !$0.contains("\\") }) else {
            throw UARTDescriptionError(file: file, key: "compatibles", message: "need plain compatible strings")
        }
        for name in xenVersions ?? ["4.17"] {
            guard let version = XenVersion(rawValue: name) else {
                throw UARTDescriptionError(file: file, key: "xenVersions", message: "unknown Xen version '\(name)' (known: \(XenVersion.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            guard let d = DriverCatalog.driver(named: driver, version: version) else {
                throw UARTDescriptionError(file: file, key: "driver", message: "no Xen \(version) driver '\(driver)' (known: \(DriverCatalog.drivers(version).map(\.name).joined(separator: ", ")))")
            }
            guard d.compatibles.contains(sameAs) else {
                throw UARTDescriptionError(file: file, key: "sameAs", message: "'\(sameAs)' is not in Xen \(version) \(d.name)'s dt_match (\(d.compatibles.joined(separator: ", ")))")
            }
            guard !architectures.isEmpty, !kconfig.isEmpty || architectures.allSatisfy(d.supports) else {
                throw UARTDescriptionError(file: file, key: "architectures", message: "Xen \(version) builds \(d.name) for \(d.architectures.map(\.rawValue).sorted().joined(separator: "/")) only; a wider list needs a Kconfig change")
            }
        }
    }

    /// The shipped variants, read once (nil when the data is bad: `shipped()` says why).
    static let cached: [RegisterCompatibleVariant]? = try? shipped()

    /// The shipped variant with one of the node's compatibles (node order), and that compatible.
    public static func variant(for compatibles: [String], version: XenVersion = .v4_17) -> (RegisterCompatibleVariant, String)? {
        for c in compatibles {
            if let v = cached?.first(where: { $0.applies(to: version) && $0.compatibles.contains(c) }) { return (v, c) }
        }
        return nil
    }

    /// As `variant(for:)`, for a console on `arch` (where the patched driver runs).
    public static func variant(for compatibles: [String], arch: Architecture, version: XenVersion = .v4_17) -> (RegisterCompatibleVariant, String)? {
        guard let (v, c) = variant(for: compatibles, version: version), v.architectures.contains(arch) else { return nil }
        return (v, c)
    }

    /// The shipped variant named `name` (`ti-k3-omap`).
    public static func named(_ name: String) throws(UARTDescriptionError) -> RegisterCompatibleVariant {
        let all = try shipped()
        guard let v = all.first(where: { $0.name == name }) else {
            throw UARTDescriptionError(file: "Data/variants", key: "", message: "no register-compatible variant '\(name)' (known: \(all.map(\.name).joined(separator: ", ")))")
        }
        return v
    }
}
