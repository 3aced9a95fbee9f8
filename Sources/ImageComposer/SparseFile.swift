import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a file of a given size from byte runs at offsets, leaving everything else as holes (internal). The file
/// is written beside `url` under a temporary name and renamed into place, so `url` is never left half written.
enum SparseFile {
    struct Run {
        let offset: UInt64
        let bytes: [UInt8]
    }

    static func write(to url: URL, size: UInt64, runs: [Run]) throws(DiskImageError) {
        let path = url.path
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).\(UUID().uuidString.prefix(8)).tmp").path
        func failure(_ what: String) -> DiskImageError {
            .io(path: path, reason: "\(what): \(String(cString: strerror(errno)))")
        }
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw failure("cannot create \(temporary)") }
        var closed = false
        var renamed = false
        defer {
            if !closed { close(fd) }
            if !renamed { unlink(temporary) }
        }
        guard ftruncate(fd, off_t(size)) == 0 else { throw failure("cannot size it to \(size) bytes") }
        for run in runs where !run.bytes.isEmpty {
            let ok = run.bytes.withUnsafeBytes { buffer -> Bool in
                guard let base = buffer.baseAddress else { return true }
                var done = 0
                while done < buffer.count {
                    let n = pwrite(fd, base + done, buffer.count - done, off_t(run.offset) + off_t(done))
                    if n < 0 && errno == EINTR { continue }
                    guard n > 0 else { return false }
                    done += n
                }
                return true
            }
            guard ok else { throw failure("cannot write \(run.bytes.count) bytes at offset \(run.offset)") }
        }
        closed = true
        guard close(fd) == 0 else { throw failure("cannot close it") }
        guard rename(temporary, path) == 0 else { throw failure("cannot rename \(temporary) to it") }
        renamed = true
    }
}
