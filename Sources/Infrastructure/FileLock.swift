import Foundation

/// A `flock(2)` on a lock file (exclusive, or shared among readers), held until `release()` (or until the process
/// ends: the kernel drops it, so a killed run never leaves a stale lock). Guards a directory that several xen-board
/// processes may want at once, e.g. a kept Xen work tree or a private apt configuration.
public final class FileLock {
    private var fd: Int32

    private init(fd: Int32) { self.fd = fd }

    deinit { release() }

    public struct Failure: Error, Sendable, CustomStringConvertible {
        /// What failed: opening (creating) the lock file, or taking the lock.
        public enum Step: String, Sendable { case open = "open lock", lock = "lock" }
        public let path: String
        public let step: Step
        public let detail: String
        public var description: String { "\(path): cannot lock: \(detail)" }
    }

    /// Waits for the lock on `url` (created when absent): exclusive, or `shared` with other shared holders.
    /// `waiting` is called once, before blocking, when another process holds it.
    public static func acquire(_ url: URL, shared: Bool = false, waiting: () -> Void = {}) -> Result<FileLock, Failure> {
        let fd = open(url.path, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return .failure(Failure(path: url.path, step: .open, detail: String(cString: strerror(errno)))) }
        let mode = shared ? LOCK_SH : LOCK_EX
        if flock(fd, mode | LOCK_NB) != 0 {
            waiting()
            while flock(fd, mode) != 0 {
                guard errno == EINTR else {
                    let detail = String(cString: strerror(errno))
                    close(fd)
                    return .failure(Failure(path: url.path, step: .lock, detail: detail))
                }
            }
        }
        return .success(FileLock(fd: fd))
    }

    /// The lock on `url` if no other process holds it (nil when it does, or the file cannot be opened).
    public static func tryAcquire(_ url: URL) -> FileLock? {
        let fd = open(url.path, O_RDWR | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            return nil
        }
        return FileLock(fd: fd)
    }

    public func release() {
        guard fd >= 0 else { return }
        close(fd)
        fd = -1
    }
}
