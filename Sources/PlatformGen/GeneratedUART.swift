import Foundation
import UARTDrivers
import XenArm

/// The console pieces of a port: the `UARTDriverPort` of a shipped UART description for a Xen version's layout, or the
/// register-compatible variant whose patch adds the console's compatible to an existing Xen driver.
public enum GeneratedUART {
    /// Top-level file of `gen`'s output naming the description, so `xen --files` can apply the driver's edits to
    /// Xen's Kconfig, Makefile and Kconfig.debug.
    public static let markerPath = "xen-board-uart-driver.txt"
    /// Top-level file of `gen`'s output naming the variant, so `xen --files` can patch the driver and its Kconfig.
    public static let variantMarkerPath = "xen-board-uart-variant.txt"

    public static func port(named name: String, version: XenVersion = .v4_17) throws -> UARTDriverPort {
        do {
            return try UARTDriverPort(try UARTCatalog.named(name), layout: try XenLayout.shipped(version.rawValue))
        } catch {
            throw PlatformSpecBuilder.GenError(.consoleDriverUnavailable, "generated console driver '\(name)': \(error)")
        }
    }

    public static func variant(named name: String) throws -> RegisterCompatibleVariant {
        do {
            return try RegisterCompatibleVariant.named(name)
        } catch {
            throw PlatformSpecBuilder.GenError(.consoleVariantUnavailable, "console variant '\(name)': \(error)")
        }
    }

    /// The edits `gen`'s markers in `dir` ask for, applied to Xen's files read through `read` (a path relative to
    /// the tree -> its current text): the generated driver's Kconfig, Makefile and Kconfig.debug entries, and the
    /// variant's `dt_match` entries and Kconfig changes. Only edited existing files (the new ones are in `dir`).
    public static func editsNamed(in dir: URL, version: XenVersion = .v4_17, read: (String) throws -> String) throws -> [(path: String, text: String)] {
        func name(_ marker: String) -> String? {
            FileManager.default.contents(atPath: dir.appendingPathComponent(marker).path)
                .map { String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) }
        }
        var edited: [(path: String, text: String)] = []
        func current(_ path: String) throws -> String { try edited.last(where: { $0.path == path })?.text ?? read(path) }
        func merge(_ files: [(path: String, text: String)]) {
            for f in files { edited.removeAll { $0.path == f.path }; edited.append(f) }
        }
        if let n = name(markerPath) {
            let port = try port(named: n, version: version)
            let newFiles = Set(port.files.map(\.path))
            merge(try port.treeFiles(original: current).filter { !newFiles.contains($0.path) })
        }
        if let n = name(variantMarkerPath) { merge(try variant(named: n).treeFiles(original: current)) }
        return edited
    }
}
