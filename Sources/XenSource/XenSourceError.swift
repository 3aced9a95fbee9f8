import Foundation

/// Everything that can go wrong fetching, preparing or building Xen's source. Each case names the file, command or
/// symbol involved and, for builds, the log to read.
public enum XenSourceError: Error, Equatable, CustomStringConvertible, Sendable {
    /// A required host tool is not installed (`hint`: the Debian package that provides it).
    case toolMissing(tool: String, hint: String)
    /// Debian's `xen` source package could not be had (no deb-src entry, offline with an empty cache, ...).
    case sourceUnavailable(String)
    /// A file-system operation failed.
    case fileSystem(path: String, operation: String, detail: String)
    /// A command exited non-zero (or timed out); `excerpt` holds the lines worth reading, `log` the full output.
    case commandFailed(command: String, status: Int32, excerpt: [String], log: String?)
    /// A generated file's path is not a plain relative path inside the tree.
    case invalidFilePath(String)
    /// A defconfig fragment line is neither `CONFIG_X=value`, `# CONFIG_X is not set`, a comment nor blank.
    case invalidFragmentLine(line: Int, text: String)
    /// Fragment lines that Kconfig (`olddefconfig`) silently dropped or changed.
    case configDropped([DroppedConfig], config: String)
    /// The build's output is not the image expected for the architecture.
    case badImage(path: String, detail: String)

    public var description: String {
        switch self {
        case let .toolMissing(tool, hint):
            return "\(tool) not found (install \(hint), or run scripts/setup.sh)"
        case let .sourceUnavailable(detail):
            return "Xen source unavailable: \(detail)"
        case let .fileSystem(path, operation, detail):
            return "\(path): cannot \(operation): \(detail)"
        case let .commandFailed(command, status, excerpt, log):
            var s = "`\(command)` failed (exit status \(status))"
            if !excerpt.isEmpty { s += ":\n" + excerpt.map { "  " + $0 }.joined(separator: "\n") }
            if let log { s += "\nfull log: \(log)" }
            return s
        case let .invalidFilePath(path):
            return "\(path): generated file paths must be relative paths inside Xen's tree (no '..', not absolute)"
        case let .invalidFragmentLine(line, text):
            return "config fragment line \(line): '\(text)' is not CONFIG_X=value, '# CONFIG_X is not set' or a comment"
        case let .configDropped(dropped, config):
            return "Kconfig did not keep \(dropped.count) fragment line(s) (final config: \(config)):\n"
                + dropped.map { "  " + $0.description }.joined(separator: "\n")
        case let .badImage(path, detail):
            return "\(path): \(detail)"
        }
    }
}

/// One fragment line that the final `.config` does not honour.
public struct DroppedConfig: Equatable, Sendable, CustomStringConvertible {
    /// The symbol without its `CONFIG_` prefix, e.g. `EARLY_UART_CHOICE_PL011`.
    public let symbol: String
    /// The fragment's line as written.
    public let wanted: String
    /// What the final config says: its `CONFIG_X=...` line, `# CONFIG_X is not set`, or nil when the symbol is absent.
    public let got: String?
    /// Where Xen's Kconfig defines the symbol and its `depends on` lines, when known (filled in by `XenBuild`).
    public var definition: String?

    public init(symbol: String, wanted: String, got: String?, definition: String? = nil) {
        self.symbol = symbol
        self.wanted = wanted
        self.got = got
        self.definition = definition
    }

    public var description: String {
        var s = "CONFIG_\(symbol): wanted '\(wanted)', final .config has " + (got.map { "'\($0)'" } ?? "no line for it")
        s += got == nil ? " (unmet `depends on`, or not a symbol of this Xen)" : " (check its `depends on` / `select`)"
        if let definition { s += "; " + definition }
        return s
    }
}
