import Foundation

/// Where the tests find the inputs `xen-board fetch` prepares (never downloaded by a test): the environment variable
/// scripts/test.sh exports, else the stable link under the cache. A missing input goes through `missing`, so it is
/// a skip on a developer machine and a failure under CI.
public enum TestInputs {
    /// `$XEN_BOARD_CACHE`, else ~/.cache/xen-board.
    public static var cacheRoot: URL {
        if let custom = ProcessInfo.processInfo.environment["XEN_BOARD_CACHE"], !custom.isEmpty { return URL(fileURLWithPath: custom) }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/xen-board")
    }

    /// The DTB corpus (`xen-board fetch --corpus`): `$XEN_BOARD_CORPUS` or `<cache>/dtbs/corpus`, one directory per
    /// kernel package.
    public static var corpusDirectory: String {
        ProcessInfo.processInfo.environment["XEN_BOARD_CORPUS"] ?? cacheRoot.appendingPathComponent("dtbs/corpus").path
    }

    /// The kernel packages' DTB trees inside the corpus, symbolic links resolved.
    public static func corpusRoots(file: StaticString = #filePath, line: UInt = #line) throws -> [String] {
        let dir = corpusDirectory
        let roots = ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
            .map { URL(fileURLWithPath: dir + "/" + $0).resolvingSymlinksInPath().path }
        if roots.isEmpty { try missing("the DTB corpus at \(dir) (xen-board fetch --corpus)", file: file, line: line) }
        return roots
    }

    /// `relative` (e.g. `vexpress-v2p-ca15-tc1.dtb`, `renesas/r8a774a1-hihope-rzg2m.dtb`) in the first kernel
    /// package of the corpus that has it.
    public static func corpusFile(_ relative: String, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        for root in try corpusRoots(file: file, line: line) where FileManager.default.fileExists(atPath: root + "/" + relative) {
            return root + "/" + relative
        }
        try missing("\(relative) in the DTB corpus at \(corpusDirectory) (xen-board fetch --corpus)", file: file, line: line)
    }

    /// `xen-arm64` or `xen-armhf` (`xen-board fetch --xen-images`): in `$XEN_BOARD_XEN` or `<cache>/xen/images`.
    public static func xenImage(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let dir = ProcessInfo.processInfo.environment["XEN_BOARD_XEN"] ?? cacheRoot.appendingPathComponent("xen/images").path
        let path = URL(fileURLWithPath: dir + "/" + name).resolvingSymlinksInPath().path
        guard FileManager.default.fileExists(atPath: path) else {
            try missing("the Xen image \(name) in \(dir) (xen-board fetch --xen-images)", file: file, line: line)
        }
        return path
    }

    /// toml-test's cases (`xen-board fetch --toml-test`): `$XEN_BOARD_TOML_TEST` or `<cache>/toml-test`.
    public static func tomlTestDirectory(file: StaticString = #filePath, line: UInt = #line) throws -> URL {
        let dir = ProcessInfo.processInfo.environment["XEN_BOARD_TOML_TEST"] ?? cacheRoot.appendingPathComponent("toml-test").path
        let url = URL(fileURLWithPath: dir).resolvingSymlinksInPath()
        guard FileManager.default.fileExists(atPath: url.appendingPathComponent("valid").path) else {
            try missing("toml-test's cases in \(dir) (xen-board fetch --toml-test)", file: file, line: line)
        }
        return url
    }
}
