import ArgumentParser
import BoardBringUp
import BoardModel
import DeviceTree
import Foundation
import XenArm

extension Architecture: ExpressibleByArgument {}

struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Tell what Xen (4.17 or 4.20) needs from a board's device tree: console, CPUs, GIC, timer, memory, platform.",
        discussion: """
        Reports the console UART and its Xen driver (with the Xen bootargs and early-printk Kconfig lines), how each
        secondary CPU will be started, the GIC and timer as Xen checks them, RAM and reserved memory, IOMMUs, the
        built-in Xen platform that matches, devices Dom0 must not get, whether a platform file is needed, and the
        blockers, for one Xen version (--xen-version; each version's UART drivers and platforms differ: a TI K3
        `ti,am654-uart` console is supported by 4.20's omap driver, not by 4.17's). With --summary, a list of versions
        (--xen-version 4.17,4.20) puts a column per version side by side and lists the trees whose verdict changes.
        With --summary DIR --reach, also the reach over the virt-capable trees: what `new` + `gen` make of each, the
        two shares of docs/benchmarks.md (console family booted in CI; compile-checked with --compile-checks FILE,
        which implies --reach) and what blocks the rest.
        Exit status 0 when the analysis ran (see "ready"), 1 on unusable input.

        Examples:
          xen-board inspect vexpress-v2p-ca15-tc1.dtb
          xen-board inspect board.dtb --json | jq .console
          xen-board inspect k3-am654-base-board.dtb --xen-version 4.17
          xen-board inspect --summary ~/.cache/xen-board/dtbs/corpus
          xen-board inspect --summary "$(xen-board fetch --corpus)" --reach
          xen-board inspect --summary "$(xen-board fetch --corpus)" --compile-checks reach-results.txt
          xen-board inspect --summary ~/.cache/xen-board/dtbs/corpus --xen-version 4.17,4.20
        """
    )

    @Argument(help: "The .dtb file (or, with --summary, a directory searched recursively).") var path: String
    @Flag(help: "Summarise every .dtb below the directory PATH.") var summary = false
    @Flag(help: "Print JSON.") var json = false
    @Option(help: "Xen build to analyse for (default: inferred, ARMv8 cores or timer mean arm64).") var arch: Architecture?
    @Flag(help: "With --summary: also run `new` + `gen` in memory on every virt-capable tree and print the reach shares.")
    var reach = false
    @Option(help: ArgumentHelp("With --summary: compile-check results (benchmarks/reach-compile-checks.sh) to count reach share (b) against (implies --reach).", valueName: "FILE"))
    var compileChecks: String?

    func validate() throws {
        if compileChecks != nil && !summary { throw ValidationError("--compile-checks needs --summary") }
        if reach && !summary { throw ValidationError("--reach needs --summary") }
    }

    @OptionGroup var version: XenVersionList

    func run() throws {
        let versions = try version.versions()
        if summary { return try runSummary(versions) }
        guard versions.count <= 1 else { throw ValidationError("--xen-version: one version for a single tree (a list compares versions with --summary)") }
        let tree = try DTBFile.load(path)
        let arch = arch ?? Architecture.infer(from: tree)
        let report = BoardReport(tree: tree, file: path, arch: arch, version: versions.first ?? XenVersion.defaultVersion(for: arch))
        if json {
            print(try encodeJSON(report))
        } else {
            print(report.text, terminator: "")
        }
    }

    private func runSummary(_ versions: [XenVersion]) throws {
        if versions.count > 1 {
            if reach || compileChecks != nil { throw ValidationError("--reach and --compile-checks count one Xen version (not a list)") }
            let c = try VersionComparison.scan(directory: path, arch: arch, versions: versions)
            if json { print(try encodeJSON(c)) } else { print(c.text, terminator: "") }
            return
        }
        // Without a version: each tree's architecture default would mix versions in one table; the arm64 default
        // (the newest supported Xen) is used for all.
        let version = versions.first ?? XenVersion.defaultVersion(for: arch ?? .arm64)
        let s = reach || compileChecks != nil
            ? try Reach.summary(directory: path, arch: arch, version: version, compileChecks: compileChecks)
            : try InspectionSummary.scan(directory: path, arch: arch, version: version)
        if json { print(try encodeJSON(s)) } else { print(s.text, terminator: "") }
    }
}

func encodeJSON<T: Encodable>(_ value: T) throws -> String {
    let enc = JSONEncoder()
    enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try enc.encode(value), as: UTF8.self)
}
