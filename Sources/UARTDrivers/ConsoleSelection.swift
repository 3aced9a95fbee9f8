import DeviceTree
import XenArm

/// Which UART is the console, chosen the way Xen's `dt_uart_init` does, with the fallbacks a port needs when
/// the tree does not say: `/chosen/stdout-path` (a path or an alias, options after `:`), then the `serial0`
/// alias (what `dtuart=serial0` would find), then the first enabled UART a Xen driver supports.
public struct ConsoleSelection {
    public enum Source: String, Codable, Sendable {
        case stdoutPath = "stdout-path"
        case serial0Alias = "serial0 alias"
        case firstSupportedUART = "first supported UART"
        /// `[xen] console` in the board file (a path or an alias), for trees without a usable stdout-path.
        case boardFile = "board file"
    }

    public let node: Node?
    public let source: Source?
    /// The options part of `stdout-path` (after `:`), e.g. `115200n8`.
    public let options: String?
    /// The alias the console is reachable by, used for `dtuart=` (nil: use the path).
    public let alias: String?
    public let findings: [Finding]

    /// `requested`: the board file's `[xen] console` (a path or an alias); it wins when it names a node.
    public static func select(in tree: DeviceTree, arch: Architecture, version: XenVersion = .v4_17,
                              requested: String? = nil) -> ConsoleSelection {
        var findings: [Finding] = []
        if let requested {
            let node = requested.hasPrefix("/") ? tree.node(at: requested) : tree.resolveAlias(requested)
            if let node {
                let alias = requested.hasPrefix("/") ? tree.aliases(of: node).first : requested
                return ConsoleSelection(node: node, source: .boardFile, options: nil, alias: alias, findings: [])
            }
            findings.append(.blocker(.consoleRequestedUnresolved,
                                     "the board file's console \"\(requested)\" names no node or alias in this tree"))
        }
        if let stdout = tree.node(at: "/chosen")?.property("stdout-path")?.string {
            let parts = stdout.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            let target = String(parts[0])
            let options = parts.count > 1 ? String(parts[1]) : nil
            if let node = tree.node(at: target) {
                let alias = target.hasPrefix("/") ? tree.aliases(of: node).first : target
                return ConsoleSelection(node: node, source: .stdoutPath, options: options, alias: alias, findings: [])
            }
            findings.append(.warning(.stdoutPathUnresolved,
                                     "/chosen/stdout-path \"\(stdout)\" names no node (Xen would print \"Unable to find device\"); falling back"))
        }
        if let node = tree.resolveAlias("serial0") {
            return ConsoleSelection(node: node, source: .serial0Alias, options: nil, alias: "serial0", findings: findings)
        }
        var first: Node?
        tree.forEachNode { node in
            guard first == nil, node.isEnabled, DriverCatalog.driver(for: node.compatibles, arch: arch, version: version) != nil else { return }
            first = node
        }
        if let node = first {
            return ConsoleSelection(node: node, source: .firstSupportedUART, options: nil, alias: tree.aliases(of: node).first,
                                    findings: findings)
        }
        return ConsoleSelection(node: nil, source: nil, options: nil, alias: nil, findings: findings)
    }

    /// The value for Xen's `dtuart=`: the alias when there is one, else the full path.
    public var dtuartArgument: String? { alias ?? node?.path }
}
