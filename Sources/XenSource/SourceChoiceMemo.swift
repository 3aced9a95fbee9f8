import Foundation
import PrivateApt
import XenArm

/// Which Debian Xen source `XenSourceTree.obtain` chose for a Xen version, remembered in
/// `xen-src/choice-<version>.json` together with the private apt state it was chosen under (`PrivateApt.stateKey`:
/// the index's update stamp and the sources). Asking apt costs an `apt-get source --print-uris` per suite, plus a
/// failing download when the newest version's files are missing on the mirror (about 25 s a build here): while the
/// state is unchanged the answer is the same, so the bring-up loop skips it. An `apt-get update` (or the index
/// growing old, which makes `stateKey` nil) asks again, so a new Debian version is never missed.
struct SourceChoiceMemo {
    let file: URL
    let base: URL
    let key: String?

    struct Choice: Codable, Equatable {
        var key: String
        var debianVersion: String
        var origin: String
    }

    /// `key`: the apt state to compare with (default: the private apt configuration's current `stateKey`).
    init(cacheRoot: URL, version: XenVersion, key: String?? = nil) {
        base = cacheRoot.appendingPathComponent("xen-src", isDirectory: true)
        file = base.appendingPathComponent("choice-\(version.rawValue).json")
        let release = DebianRelease(rawValue: version.debianRelease)
        self.key = key ?? release.flatMap { try? PrivateApt.forHost($0, cacheRoot: cacheRoot) }?.stateKey()
    }

    /// The remembered tree, when the apt state is the one it was chosen under and its pristine tree is unpacked.
    func lookup() -> XenSourceTree? {
        guard let key, let data = FileManager.default.contents(atPath: file.path),
              let choice = try? JSONDecoder().decode(Choice.self, from: data), choice.key == key,
              (try? XenSourceTree.validateWorkName(choice.debianVersion)) != nil else { return nil }
        var tree = XenSourceTree(debianVersion: choice.debianVersion, directory: base.appendingPathComponent(choice.debianVersion, isDirectory: true))
        guard Files.isDirectory(tree.pristine.appendingPathComponent("xen/arch/arm")) else { return nil }
        tree.origin = choice.origin
        return tree
    }

    /// Best effort: a memo that cannot be written only costs the apt runs next time. Not remembered when apt could
    /// not answer (the tree came from the cache alone) or the state changed while asking.
    func remember(_ tree: XenSourceTree) {
        guard let key, tree.origin != "the cache", !tree.origin.hasPrefix("the cache ("),
              let data = try? JSONEncoder().encode(Choice(key: key, debianVersion: tree.debianVersion, origin: tree.origin)) else { return }
        try? Files.writeAtomically(data, to: file)
    }
}
