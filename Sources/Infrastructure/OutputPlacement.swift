import Foundation

/// The one way xen-board puts results on disk (issue 11). Everything is written into a staging entry next to the
/// destination and renamed into place at the end, so a failed or killed run leaves the previous output (or nothing),
/// never a half-written one. What the destination may be replaced is decided once, here:
///
/// - a directory output replaces nothing, an empty directory, or a directory xen-board made before (it carries
///   the marker file `.xen-board-output`); a user's directory with other content, a file, a device, a FIFO or a
///   socket is refused unless the user passed `--force`;
/// - a file output (`-o FILE`) replaces nothing or a regular file (that is what `-o FILE` asks for); a directory,
///   device, FIFO or socket is refused unless `--force`;
/// - several outputs of one command that are the same file (by device and inode, not by spelling) are refused;
/// - staging and set-aside entries left by killed runs (`.NAME.xb-stage-PID…`, `.NAME.xb-old-PID…`) are removed
///   when their process is gone, by the next run that places something in the same directory.
public enum OutputPlacement {
    /// The file every directory output carries, so a later run can tell its own output from a user's directory.
    public static let markerName = ".xen-board-output"
    static let markerText = "This directory was written by xen-board; the next run with the same output replaces it.\n"

    /// Refuses outputs that are the same file: `-o X --host-out ./X`, or two hard links to one inode.
    public static func requireDistinct(_ outputs: [(option: String, path: String)]) throws(PlacementError) {
        var seen: [(option: String, path: String, identity: FileIdentity)] = []
        for output in outputs {
            guard let identity = FileIdentity.of(outputPath: output.path) else { continue }
            if let earlier = seen.first(where: { $0.identity == identity }) {
                throw PlacementError(path: output.path, reason: "\(output.option) \(output.path) is the same file as \(earlier.option) \(earlier.path): one result would overwrite the other")
            }
            seen.append((output.option, output.path, identity))
        }
    }

    /// Writes one file atomically (temporary sibling, then rename) after checking the destination may be replaced.
    public static func writeFile(_ bytes: [UInt8], to path: String, force: Bool = false, executable: Bool = false) throws(PlacementError) {
        try PathLimits.check(path)
        let destination = URL(fileURLWithPath: path)
        let parent = destination.deletingLastPathComponent()
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: parent.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw PlacementError(path: path, reason: "output directory \(parent.path) does not exist")
        }
        try Replacement.check(destination, as: .file, force: force)
        StaleStaging.sweep(parent)
        let temporary = StaleStaging.entry(for: destination, kind: .stage)
        do {
            try Data(bytes).write(to: temporary)
            if executable { try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: temporary.path) }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw PlacementError(path: path, reason: "cannot write: \(error.localizedDescription)")
        }
        do {
            try Replacement.swapIn(temporary, at: destination, as: .file, force: force)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
    }
}

/// An output that cannot be placed: the path and why, printed as `PATH: reason`.
public struct PlacementError: Error, CustomStringConvertible, Equatable {
    public let path: String
    public let reason: String
    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }
    public var description: String { "\(path): \(reason)" }
}
