import ArgumentParser
import XenArm

/// `--xen-version` on inspect: one version, or a comma-separated list (`4.17,4.20`) that `--summary` compares.
struct XenVersionList: ParsableArguments {
    @Option(name: .customLong("xen-version"),
            help: "Xen version(s) to analyse for: 4.17 (Debian 12) or 4.20 (Debian 13); with --summary a list such as 4.17,4.20 compares them side by side. Default: the newest Debian ships prebuilt for the tree's arch (4.20 on arm64, 4.17 on arm32).")
    var text: String?

    /// The versions asked for, in order, without repeats (empty: none given).
    func versions() throws -> [XenVersion] {
        guard let text else { return [] }
        var out: [XenVersion] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let name = part.trimmingCharacters(in: .whitespaces)
            switch XenVersion.parse(name) {
            case .success(let v): if !out.contains(v) { out.append(v) }
            case .failure(let e): throw ValidationError("--xen-version: \(e)")
            }
        }
        return out
    }
}
