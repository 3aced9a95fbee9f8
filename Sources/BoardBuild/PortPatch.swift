import Foundation
import Infrastructure
import PlatformGen
import XenSource

/// `xen-board.patch`: the generated port as a unified diff against Debian's Xen source of the port's version
/// (`patch -p1`), made with `diff -ruN`. When the port edits Xen's own files (Kconfig, Makefile, a driver's match
/// table), the pristine tree is obtained through `XenSourceTree.obtain` (downloaded once into the cache), so the
/// patch is the same on every machine whatever the cache held before (it used to be new files only on an empty cache).
/// Only when that source cannot be obtained at all (e.g. the mirror lacks it) is the patch new files only, with a
/// warning, and `complete` false.
public enum PortPatch {
    public static func make(_ port: GeneratedPort, progress: (String) -> Void = { _ in }) throws -> (text: String, complete: Bool) {
        let xenFiles = port.files.filter { $0.path.hasPrefix("xen/") && !$0.path.hasSuffix(".xen-board") }
        let editsTree = !(port.kconfigEntry.isEmpty && port.uart == nil && port.variant == nil)
        // Only a tree of the port's own Xen version: 4.20's Kconfig and drivers differ from 4.17's.
        var pristine: URL?
        if editsTree {
            do { pristine = try XenSourceTree.obtain(version: port.spec.xenVersion, progress: progress).pristine } catch {
                progress("WARNING: Debian's Xen \(port.spec.xenVersion) source is unavailable (\(error)): xen-board.patch carries only the new files, not the Kconfig/Makefile/driver edits")
            }
        }
        let tmp = try StaleStaging.scratchDirectory("patch")
        defer { try? FileManager.default.removeItem(at: tmp) }
        let a = tmp.appendingPathComponent("a"), b = tmp.appendingPathComponent("b")
        func put(_ root: URL, _ path: String, _ text: String) throws {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        try FileManager.default.createDirectory(at: a, withIntermediateDirectories: true)
        for f in xenFiles { try put(b, f.path, f.text) }
        if let pristine {
            func original(_ path: String) throws -> String {
                guard let d = FileManager.default.contents(atPath: pristine.appendingPathComponent(path).path) else {
                    throw Builder.BuildError("\(pristine.appendingPathComponent(path).path): missing in the cached Xen source")
                }
                return String(decoding: d, as: UTF8.self)
            }
            for f in try port.editedTreeFiles(read: original) {
                try put(a, f.path, try original(f.path))
                try put(b, f.path, f.text)
            }
        }
        let diff = try ProcessRunner.run("diff", ["-ruN", "a", "b"], in: tmp, timeout: 300)
        // diff exits 1 when the trees differ (always, here); 2 is trouble.
        guard diff.status <= 1, !diff.timedOut else { throw Builder.BuildError("\(tmp.path): diff failed: \(diff.diagnostic)") }
        var text = diff.stdout
        // No timestamps (reproducible): keep only the file names on the ---/+++ lines.
        text = text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            if line.hasPrefix("--- ") || line.hasPrefix("+++ ") { return String(line.split(separator: "\t").first ?? line) }
            return String(line)
        }.joined(separator: "\n")
        return (text, !editsTree || pristine != nil)
    }
}
