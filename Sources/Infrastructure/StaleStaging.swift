import Foundation

/// Names of the temporary entries output placement and scratch space create, and their removal after a kill.
/// Every such entry is `.xb-KIND-PID-RANDOM-NAME`: a run that was SIGKILLed leaves it behind, and the next run that
/// writes in the same directory removes it once no process PID exists (or, against PID reuse, after a day).
public enum StaleStaging {
    public enum Kind: String, CaseIterable {
        case stage, old, scratch
    }

    /// After this long an entry is stale even if a process with its PID exists (the PID was reused).
    static let maximumAge: TimeInterval = 24 * 3600

    /// A fresh entry name next to `destination` (its name shortened so the entry stays within NAME_MAX).
    static func entry(for destination: URL, kind: Kind) -> URL {
        let name = String(decoding: destination.lastPathComponent.utf8.prefix(64), as: UTF8.self)
        return destination.deletingLastPathComponent().appendingPathComponent(entryName(kind, tag: name))
    }

    static func entryName(_ kind: Kind, tag: String) -> String {
        ".xb-\(kind.rawValue)-\(getpid())-\(String(UInt32.random(in: 0...UInt32.max), radix: 16))-\(tag)"
    }

    /// The PID an entry name carries, or nil when the name is not one of ours.
    static func ownerPID(_ name: String) -> pid_t? {
        for kind in Kind.allCases {
            let prefix = ".xb-\(kind.rawValue)-"
            guard name.hasPrefix(prefix) else { continue }
            let digits = name.dropFirst(prefix.count).prefix { $0 != "-" }
            guard !digits.isEmpty, digits.count <= 10, let pid = pid_t(digits), pid > 0 else { return nil }
            return pid
        }
        return nil
    }

    /// Removes the entries in `directory` whose owner is gone (or that are older than a day). Errors are ignored:
    /// an entry that cannot be removed (someone else's) is left to its owner.
    public static func sweep(_ directory: URL) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { return }
        let now = Date()
        for name in names {
            guard let pid = ownerPID(name), pid != getpid() else { continue }
            let url = directory.appendingPathComponent(name)
            if !isAlive(pid) || age(url, now: now) > maximumAge { try? FileManager.default.removeItem(at: url) }
        }
    }

    static func isAlive(_ pid: pid_t) -> Bool {
        kill(pid, 0) == 0 || errno == EPERM
    }

    static func age(_ url: URL, now: Date) -> TimeInterval {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: url.path),
              let modified = attributes[.modificationDate] as? Date else { return 0 }
        return now.timeIntervalSince(modified)
    }

    /// A temporary sibling of `destination` for writing it atomically (write, then rename onto it); a run killed
    /// in between leaves it to `sweep` of the directory.
    public static func temporary(for destination: URL) -> URL { entry(for: destination, kind: .stage) }

    private static let temporarySweep = SweepOnce()

    /// Sweeps the system's temporary directory, once per process (tools run through ProcessRunner often).
    static func sweepTemporaryDirectoryOnce() {
        temporarySweep.run { sweep(FileManager.default.temporaryDirectory) }
    }

    /// A new private scratch directory in `parent` (default: the system's temporary directory), named so a later
    /// run removes it if this one is killed (stale ones in `parent` are swept first). The caller removes it when done.
    public static func scratchDirectory(_ purpose: String, in parent: URL? = nil) throws(PlacementError) -> URL {
        let parent = parent ?? FileManager.default.temporaryDirectory
        sweep(parent)
        let url = parent.appendingPathComponent(entryName(.scratch, tag: String(decoding: purpose.utf8.prefix(64), as: UTF8.self)))
        do {
            try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        } catch {
            throw PlacementError(path: url.path, reason: "cannot create a scratch directory: \(error.localizedDescription)")
        }
        return url
    }

    /// Where `destination` is moved aside while its replacement is renamed in (removed afterwards; a run killed
    /// while removing it leaves it to `sweep`).
    public static func aside(for destination: URL) -> URL { entry(for: destination, kind: .old) }
}

/// Runs a closure at most once per process, from any thread.
final class SweepOnce: @unchecked Sendable {
    private let lock = NSLock()
    private var done = false

    func run(_ body: () -> Void) {
        lock.lock()
        defer { lock.unlock() }
        guard !done else { return }
        done = true
        body()
    }
}
