import Foundation

/// Builds into a temporary directory next to the destination and swaps it in with rename(2) at the end, so a
/// failed run leaves the previous output (or nothing) in place, never a half-written image.
public final class OutputDirectory {
    public let destination: URL
    public let staging: URL
    private var committed = false

    public init(destination: String) throws {
        let dest = URL(fileURLWithPath: destination)
        let parent = dest.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
        self.destination = dest
        staging = parent.appendingPathComponent(".\(dest.lastPathComponent).building-\(getpid())")
        try? FileManager.default.removeItem(at: staging)
        try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
    }

    public func url(_ name: String) -> URL { staging.appendingPathComponent(name) }

    public func write(_ name: String, _ bytes: [UInt8], executable: Bool = false) throws {
        try Data(bytes).write(to: url(name))
        if executable { try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url(name).path) }
    }

    public func write(_ name: String, _ text: String, executable: Bool = false) throws {
        try write(name, Array(text.utf8), executable: executable)
    }

    /// Replaces the destination with the staged directory.
    public func commit() throws {
        let old = destination.deletingLastPathComponent().appendingPathComponent(".\(destination.lastPathComponent).old-\(getpid())")
        if FileManager.default.fileExists(atPath: destination.path) {
            try FileManager.default.moveItem(at: destination, to: old)
        }
        try FileManager.default.moveItem(at: staging, to: destination)
        try? FileManager.default.removeItem(at: old)
        committed = true
    }

    deinit {
        if !committed { try? FileManager.default.removeItem(at: staging) }
    }
}
