import ArgumentParser
import BoardBuild
import BoardFile
import Foundation
import ImageComposer

/// `build --xen`: where the hypervisor image comes from.
enum XenOrigin: String, ExpressibleByArgument {
    case debian, source
}

struct Build: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Compose a bootable Xen + Dom0 image for a board into out/BOARD.",
        discussion: """
        Fetches Debian's Xen 4.17, kernel and busybox-static (cached in ~/.cache/xen-board, or XEN_BOARD_CACHE),
        writes a Dom0 initramfs, plans memory (RAM minus reserved regions, alignments, no overlaps), writes /chosen into
        the board's DTB on the host, and for U-Boot boards a boot.scr and an MBR + FAT32 disk image. Everything lands in
        the output directory at once (a failed build leaves no partial output). Same inputs, same bytes
        (SOURCE_DATE_EPOCH sets every timestamp; default 0).

        Examples:
          xen-board build vexpress
          xen-board build qemu-virt-arm64 --out /tmp/virt
          xen-board build boards/rpi4.toml --json
        """
    )

    @Argument(help: "Board name (see `xen-board boards`) or a board file path.") var board: String
    @Option(help: "Output directory (default out/BOARD).") var out: String?
    @OptionGroup var placement: PlacementOptions
    @OptionGroup var version: XenVersionOption
    @Flag(help: "gzip the initramfs.") var gzipInitramfs = false
    @Flag(help: "Also write a FIT image (xen.its + xen.itb via mkimage -f) holding every module.") var fit = false
    @Option(help: "debian (Debian's xen-hypervisor-<version> binary, default) or source (build Xen with the board's generated port).")
    var xen: XenOrigin = .debian
    @Flag(help: "Print the manifest as JSON.") var json = false
    @Flag(help: "Print how long each phase took (own work vs tools and file I/O) to stderr.") var timings = false

    func run() throws {
        let b = try version.load(board)
        let phases = BuildTimings()
        let epoch = try SourceDateEpoch.fromEnvironment()
        let dir = out ?? "out/\(b.name)"
        let clock = ContinuousClock()
        let start = clock.now
        var options = Builder.Options(outDirectory: dir, gzipInitramfs: gzipInitramfs, epoch: epoch, timings: phases)
        options.fit = fit
        options.force = placement.force
        options.xenFromSource = xen == .source
        let manifest = try Builder.build(b, options: options) {
            printError("build: \($0)")
        }
        if timings { printError(phases.text) }
        if json {
            print(try encodeJSON(manifest))
            return
        }
        for w in manifest.warnings { printError("warning: \(w)") }
        print("\(b.name): built in \(dir) (\(clock.now - start))")
        for m in manifest.modules {
            print("  \(m.name.padding(6)) \(hexString(m.loadAddress))-\(hexString(m.end))  \(m.file)  (\(m.loadedBy))")
        }
        if b.qemu != nil { print("boot it: xen-board boot \(b.name)\(out.map { " --out \($0)" } ?? "")  (or \(dir)/run-qemu.sh)") }
    }
}

/// `boot --console`: the console as it arrives.
let echoToStdout: @Sendable (String) -> Void = { text in FileHandle.standardOutput.write(Data(text.utf8)) }

func hexString(_ v: UInt64) -> String { "0x" + String(v, radix: 16) }

extension String {
    func padding(_ n: Int) -> String { count >= n ? self : self + String(repeating: " ", count: n - count) }
}
