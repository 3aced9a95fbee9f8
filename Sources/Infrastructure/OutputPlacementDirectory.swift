import Foundation

/// A directory output being written: files go into a staging directory next to the destination (it already carries
/// the `.xen-board-output` marker), and `commit()` swaps it in. Dropped without `commit()`, it removes its staging.
/// The destination is checked when the staging is made (fail before a long build) and again at `commit()`.
public final class StagedDirectory {
    public let destination: URL
    public let staging: URL
    public let force: Bool
    private var committed = false

    public init(destination path: String, force: Bool = false) throws(PlacementError) {
        let destination = URL(fileURLWithPath: path)
        let parent = destination.deletingLastPathComponent()
        try Replacement.check(destination, as: .directory, force: force)
        do {
            try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
        } catch {
            throw PlacementError(path: path, reason: "cannot create the parent directory \(parent.path): \(error.localizedDescription)")
        }
        StaleStaging.sweep(parent)
        let staging = StaleStaging.entry(for: destination, kind: .stage)
        do {
            try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: false)
            try Data(OutputPlacement.markerText.utf8).write(to: staging.appendingPathComponent(OutputPlacement.markerName))
        } catch {
            try? FileManager.default.removeItem(at: staging)
            throw PlacementError(path: path, reason: "cannot create the staging directory \(staging.path): \(error.localizedDescription)")
        }
        self.destination = destination
        self.staging = staging
        self.force = force
    }

    /// Where `relative` (e.g. `gen/xen/arch/arm/platforms/x.c`) is staged.
    public func url(_ relative: String) -> URL { staging.appendingPathComponent(relative) }

    /// Writes `relative` in the staging directory, creating its parent directories.
    public func write(_ relative: String, _ bytes: [UInt8], executable: Bool = false) throws(PlacementError) {
        let url = url(relative)
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(bytes).write(to: url)
            if executable { try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path) }
        } catch {
            throw PlacementError(path: destination.appendingPathComponent(relative).path, reason: "cannot write: \(error.localizedDescription)")
        }
    }

    public func write(_ relative: String, _ text: String, executable: Bool = false) throws(PlacementError) {
        try write(relative, Array(text.utf8), executable: executable)
    }

    /// Copies an existing file into the staging directory.
    public func copy(_ source: URL, to relative: String) throws(PlacementError) {
        do {
            try FileManager.default.createDirectory(at: url(relative).deletingLastPathComponent(), withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: source, to: url(relative))
        } catch {
            throw PlacementError(path: destination.appendingPathComponent(relative).path, reason: "cannot copy \(source.path): \(error.localizedDescription)")
        }
    }

    /// Hard-links `source` into the staging directory, or copies it when it cannot be linked (another file system).
    /// Only for sources nobody rewrites in place (the package cache's unpacked trees, keyed by their package's
    /// SHA-256): the output then shares their bytes instead of copying tens of megabytes per build.
    public func link(_ source: URL, to relative: String) throws(PlacementError) {
        let target = url(relative)
        do {
            try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        } catch {
            throw PlacementError(path: destination.appendingPathComponent(relative).path, reason: "cannot create its directory: \(error.localizedDescription)")
        }
        if Foundation.link(source.path, target.path) == 0 { return }
        try copy(source, to: relative)
    }

    /// Replaces the destination with the staged directory (checked again: it may have changed meanwhile).
    public func commit() throws(PlacementError) {
        try Replacement.check(destination, as: .directory, force: force)
        try Replacement.swapIn(staging, at: destination, as: .directory, force: force)
        committed = true
    }

    deinit {
        if !committed { try? FileManager.default.removeItem(at: staging) }
    }
}
