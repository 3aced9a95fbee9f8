import ArgumentParser
import BoardBuild
import BoardFile
import Foundation
import ImageComposer
import XenArm

struct XenSourceBuild: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "xen",
        abstract: "Cross-build Xen (4.17 or 4.20) from Debian's source package for a board, optionally with generated files.",
        discussion: """
        Fetches Debian's `xen` source package of the board's Xen version (--xen-version), the newest in any suite of its
        Debian release, security updates included (a private apt configuration under the cache), and prints which;, unpacks it
        once into the cache (~/.cache/xen-board/xen-src, or XEN_BOARD_CACHE), copies it into a fresh work tree,
        writes the files of --files DIR (a tree mirroring Xen's: DIR/xen/arch/arm/platforms/x.c ...; DIR's top-level
        files such as README and patches are not copied), then runs `make defconfig`, appends the config fragment
        (--config-fragment FILE, else DIR/xen/arch/arm/configs/xen-board.fragment when present), `make olddefconfig`,
        checks that Kconfig kept every fragment line, and cross-builds with Debian's gcc-aarch64-linux-gnu /
        gcc-arm-linux-gnueabihf. Writes OUT/xen (the image), OUT/config (the final .config) and OUT/build.log, all
        at once (default OUT: out/BOARD/xen-source).

        Examples:
          xen-board xen qemu-virt-arm64
          xen-board gen vexpress --out /tmp/gen && xen-board xen vexpress --files /tmp/gen
          xen-board xen vexpress --files /tmp/gen --compile-check     # only compile the generated .c files
        """
    )

    @Argument(help: "Board name (see `xen-board boards`) or a board file path.") var board: String
    @Option(help: "Architecture to build (arm64 | arm32; default: the board's).") var arch: Architecture?
    @Option(help: "A defconfig fragment: CONFIG_X=value lines (default: DIR/xen/arch/arm/configs/xen-board.fragment of --files).")
    var configFragment: String?
    @Option(help: "A directory mirroring Xen's tree (DIR/xen/...) whose files are written into the source before configuring.")
    var files: String?
    @Option(help: "Output directory (default out/BOARD/xen-source).") var out: String?
    @OptionGroup var placement: PlacementOptions
    @OptionGroup var version: XenVersionOption
    @Option(help: "Parallel make jobs (default: the number of CPUs).") var jobs: Int?
    @Flag(help: "Configure and compile only the generated .c files (no link, no output written).") var compileCheck = false

    func run() throws {
        let b = try version.load(board)
        var request = XenPortBuild.Request(board: b, arch: arch, outDirectory: out.map { URL(fileURLWithPath: $0) })
        request.files = files.map { URL(fileURLWithPath: $0) }
        request.configFragment = configFragment.map { URL(fileURLWithPath: $0) }
        request.force = placement.force
        request.jobs = jobs
        request.compileCheck = compileCheck
        request.epoch = try SourceDateEpoch.fromEnvironment().seconds
        let clock = ContinuousClock()
        let start = clock.now
        let outcome = try XenPortBuild.run(request, source: { source in
            print("\(b.name): Xen \(b.xenVersion) source \(source.debianVersion) from \(source.origin)")
        }, progress: { printError("xen: \($0)") })
        let arch = request.arch.rawValue, xen = outcome.source.xenVersion
        switch outcome.result {
        case .configured(let config):
            print("\(b.name): no generated C; configuration check passed (\(arch), Xen \(xen)): \(config.path)")
        case .compiled(let objects, let log):
            for o in objects { print("\(b.name): compiled \(o.path)") }
            print("\(b.name): compile check passed (\(arch), Xen \(xen), \(clock.now - start)); log: \(log.path)")
        case .built(let dir, let objects):
            print("\(b.name): Xen \(xen) (\(outcome.source.debianVersion)) built for \(arch) in \(clock.now - start)")
            print("  \(dir.appendingPathComponent("xen").path)  (\(objects) objects; config: \(dir.appendingPathComponent("config").path))")
        }
    }
}
