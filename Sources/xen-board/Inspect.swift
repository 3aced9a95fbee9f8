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
        abstract: "Tell what Xen 4.17 needs from a board's device tree: console, CPUs, GIC, timer, memory, platform.",
        discussion: """
        Reports the console UART and its Xen driver (with the Xen bootargs and early-printk Kconfig lines), how each
        secondary CPU will be started, the GIC and timer as Xen checks them, RAM and reserved memory, IOMMUs, the
        built-in Xen platform that matches, devices Dom0 must not get, whether a platform file is needed, and the
        blockers. With --summary DIR: every .dtb below DIR, counted, and the reach over the virt-capable ones (what
        `new` + `gen` make of each, the two shares of docs/benchmarks.md and what blocks the rest). Exit status 0 when the analysis ran (see "ready"), 1 on unusable input.

        Examples:
          xen-board inspect vexpress-v2p-ca15-tc1.dtb
          xen-board inspect board.dtb --json | jq .console
          xen-board inspect --summary ~/.cache/xen-board/dtbs/corpus
          xen-board inspect --summary "$(xen-board fetch --corpus)" --compile-checks reach-results.txt
        """
    )

    @Argument(help: "The .dtb file (or, with --summary, a directory searched recursively).") var path: String
    @Flag(help: "Summarise every .dtb below the directory PATH.") var summary = false
    @Flag(help: "Print JSON.") var json = false
    @Option(help: "Xen build to analyse for (default: inferred, ARMv8 cores or timer mean arm64).") var arch: Architecture?
    @Option(help: ArgumentHelp("With --summary: compile-check results (benchmarks/reach-compile-checks.sh) to count reach share (b) against.", valueName: "FILE"))
    var compileChecks: String?

    func validate() throws {
        if compileChecks != nil && !summary { throw ValidationError("--compile-checks needs --summary") }
    }

    func run() throws {
        if summary { return try runSummary() }
        let tree = try DTBFile.load(path)
        let report = BoardReport(tree: tree, file: path, arch: arch)
        if json {
            print(try encodeJSON(report))
        } else {
            print(report.text, terminator: "")
        }
    }

    private func runSummary() throws {
        let s = try Reach.summary(directory: path, arch: arch, compileChecks: compileChecks)
        if json { print(try encodeJSON(s)) } else { print(s.text, terminator: "") }
    }
}

func encodeJSON<T: Encodable>(_ value: T) throws -> String {
    let enc = JSONEncoder()
    enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try enc.encode(value), as: UTF8.self)
}
