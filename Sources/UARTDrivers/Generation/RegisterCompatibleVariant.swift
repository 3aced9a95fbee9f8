import Foundation

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
    public var kconfig: [KconfigChange]
    public var equivalence: String
    public var sources: [String]

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
            guard !v.compatibles.isEmpty, v.compatibles.allSatisfy({ !$0.isEmpty && !$0.contains("\"") && !$0.contains("\\") }) else {
                throw UARTDescriptionError(file: url.path, key: "compatibles", message: "need plain compatible strings")
            }
            out.append(v)
        }
        return out
    }

    /// The shipped variant with one of the node's compatibles (node order), and that compatible.
    public static func variant(for compatibles: [String]) -> (RegisterCompatibleVariant, String)? {
        guard let all = try? shipped() else { return nil }
        for c in compatibles {
            if let v = all.first(where: { $0.compatibles.contains(c) }) { return (v, c) }
        }
        return nil
    }
}
