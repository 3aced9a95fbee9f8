import Foundation
import Infrastructure

extension PackageCache {
    /// Downloads every package of `packages` whose `.deb` is not in the cache yet with one `apt-get download` (one
    /// apt run instead of one per package: a root filesystem's ~90 packages), verifies each against apt's size and
    /// SHA-256 and moves it into place. `fetch` then finds them cached. A package that fails here is left to `fetch`,
    /// which downloads it alone and reports its error.
    public func prefetch(_ packages: [ResolvedPackage], progress: (String) -> Void = { _ in }) throws(PackageError) {
        let missing = packages.filter { CacheFiles.fileSize(debPath(for: $0)) != $0.size }
        guard missing.count > 1, let apt = aptSource else { return }
        try CacheFiles.makeDirectory(debsDirectory)
        let scratch = try CacheFiles.makeTemporaryDirectory(in: debsDirectory, prefix: ".dl.")
        defer { CacheFiles.remove(scratch) }
        CacheFiles.setPermissions(scratch, 0o755)
        let total = missing.reduce(UInt64(0)) { $0 &+ $1.size }
        progress("downloading \(missing.count) packages (\(Self.megabytes(total))) with one apt-get download")
        let started = Date()
        guard (try? apt.downloadAll(missing, into: scratch)) != nil else { return }
        var placed = 0
        for package in missing {
            let got = scratch.appendingPathComponent(package.debFileName)
            guard CacheFiles.fileSize(got) == package.size, (try? Self.sha256(got, package: package)) == package.sha256 else { continue }
            CacheFiles.setPermissions(got, 0o644)
            if CacheFiles.rename(got, to: debPath(for: package)) == 0 {
                VerifiedStamp.record(debPath(for: package), sha256: package.sha256)
                placed += 1
            }
        }
        progress("downloaded and verified \(placed) of \(missing.count) packages in \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
    }
}

extension AptSource {
    /// `apt-get download SPEC...` in `directory`.
    func downloadAll(_ packages: [ResolvedPackage], into directory: URL) throws(PackageError) {
        let specs = packages.map(\.aptSpec)
        let result = try run("apt-get", ["download", "-q"] + specs, in: directory, timeout: 3600,
                             command: "apt-get download (\(specs.count) packages)")
        guard result.status == 0, !result.timedOut else {
            throw .downloadFailed(package: "\(specs.count) packages", detail: "apt-get download exited \(result.status)\(PackageError.tail(result.diagnostic))")
        }
    }
}
