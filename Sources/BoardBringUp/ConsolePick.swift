import DeviceTree
import UARTDrivers
import XenArm

/// Which UART a new board's console is, when the tree does not say with `/chosen/stdout-path`: the UART Linux's
/// `/chosen/bootargs` names (`console=ttyS4` means alias `serial4`), else the first `serialN` alias, else the first
/// UART in tree order, that xen-board can drive (Xen's own driver, a compatible added to one, or a generated driver).
public struct ConsolePick {
    public enum Reason: Equatable, Sendable {
        /// The tree's `/chosen/stdout-path`: nothing to set.
        case stdoutPath
        /// `console=` in `/chosen/bootargs` (the value quoted).
        case bootargs(String)
        /// The first `serialN` alias xen-board can drive.
        case firstAlias
        /// The first UART in tree order xen-board can drive.
        case firstInTree
    }

    /// What the board file's `[xen] console` is set to (an alias when there is one, else the path); nil with
    /// `.stdoutPath`.
    public let key: String?
    public let path: String
    public let reason: Reason
    public let analysis: ConsoleAnalysis

    /// Nil when no UART of the tree can be driven (the board file then says which key a person must set).
    /// `version`: the Xen the board file will build (its drivers decide what can be driven).
    public static func choose(in tree: DeviceTree, arch: Architecture, version: XenVersion = .v4_17) -> ConsolePick? {
        let auto = ConsoleAnalysis.analyze(tree, arch: arch, version: version, driver: .auto)
        if auto.source == .stdoutPath, drivable(auto), let path = auto.path {
            return ConsolePick(key: nil, path: path, reason: .stdoutPath, analysis: auto)
        }
        var tried = Set<String>()
        for (candidate, reason) in candidates(in: tree, arch: arch, version: version) {
            guard let node = candidate.hasPrefix("/") ? tree.node(at: candidate) : tree.resolveAlias(candidate),
                  tried.insert(node.path).inserted else { continue }
            let a = ConsoleAnalysis.analyze(tree, arch: arch, version: version, requested: candidate, driver: .auto)
            if drivable(a) { return ConsolePick(key: candidate, path: node.path, reason: reason, analysis: a) }
        }
        return nil
    }

    /// A console Xen can print on: a driver (own, compatible added or generated) and no console blocker.
    static func drivable(_ a: ConsoleAnalysis) -> Bool {
        guard a.path != nil else { return false }
        switch a.verdict {
        case .supported, .generatedDriver, .compatibleAdded: return !a.findings.contains(where: \.isBlocker)
        case .registerCompatible, .unsupported: return false
        }
    }

    /// Candidates in the order tried: bootargs' console, `serialN` aliases by N, UARTs a catalog knows in tree order.
    static func candidates(in tree: DeviceTree, arch: Architecture, version: XenVersion) -> [(String, Reason)] {
        var out: [(String, Reason)] = []
        let aliases = tree.node(at: "/aliases")?.properties.map(\.name) ?? []
        let serials = aliases.compactMap { name -> (Int, String)? in
            guard name.hasPrefix("serial"), let n = Int(name.dropFirst(6)) else { return nil }
            return (n, name)
        }.sorted { $0.0 < $1.0 }
        if let args = tree.node(at: "/chosen")?.property("bootargs")?.string {
            for word in args.split(separator: " ") where word.hasPrefix("console=tty") {
                let device = word.dropFirst("console=".count).split(separator: ",").first.map(String.init) ?? ""
                let digits = String(device.reversed().prefix { $0.isNumber }.reversed())
                if let n = Int(digits), let alias = serials.first(where: { $0.0 == n })?.1 { out.append((alias, .bootargs(String(word)))) }
            }
        }
        out += serials.map { ($0.1, .firstAlias) }
        tree.forEachNode { node in
            guard node.isEnabled, !node.compatibles.isEmpty else { return }
            if DriverCatalog.driver(for: node.compatibles, arch: arch, version: version) != nil || UARTCatalog.description(for: node.compatibles) != nil {
                out.append((node.path, .firstInTree))
            }
        }
        return out
    }
}
