import ArgumentParser
import BoardBuild
import BoardFile
import Foundation

struct Boot: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "boot",
        abstract: "Boot a built board under QEMU and check that Xen and Dom0 came up.",
        discussion: """
        Runs the QEMU command of out/BOARD/manifest.json, streams milestones (Xen banner, secondary CPUs, Dom0
        construction, Dom0 kernel, Dom0 report), and exits 0 only when Dom0's report says the hypervisor is Xen and
        every CPU came up. On failure it prints the missed milestone and the last console lines. The full console is
        kept in out/BOARD/console.log. With --check-input it also types Xen's input switch (CTRL-a three times) and
        `h` on the serial line once Xen hands its input to Dom0, and passes only when Xen prints its debug-key help
        (the console driver receives, not only sends).

        Examples:
          xen-board build vexpress && xen-board boot vexpress
          xen-board boot imx7d-sabre --check-input
          xen-board build qemu-virt-arm64 --xen-version 4.20 && xen-board boot qemu-virt-arm64 --xen-version 4.20
        """
    )

    @Argument(help: "Board name or board file path.") var board: String
    @Option(help: "Output directory the board was built into (default out/BOARD).") var out: String?
    @Option(help: "Seconds before giving up.") var timeout: Double = 300
    @Flag(help: "Echo the console to stdout while booting (it is always kept in out/BOARD/console.log).") var console = false
    @Flag(help: "Print the result as JSON.") var json = false
    @Flag(help: "Type CTRL-a x3 and 'h' on the serial line; pass only when Xen prints its debug-key help.") var checkInput = false
    /// The version the board was built with, when `build --xen-version` replaced the file's (its keys are checked for it).
    @OptionGroup var version: XenVersionOption

    func run() throws {
        let b = try version.load(board)
        let dir = URL(fileURLWithPath: out ?? "out/\(b.name)")
        var options = BootSession.Options()
        options.timeout = timeout
        options.checkInput = checkInput
        options.echo = console ? echoToStdout : nil
        let verdict = try BootSession.run(board: b, outDirectory: dir, options: options) { printError("boot: \($0)") }
        if json { printJSON(verdict.jsonObject(board: b.name)) }
        if verdict.ok {
            if !json { print("\(b.name): \(verdict.summary)") }
            return
        }
        printError("\(b.name): boot failed: \(verdict.summary)\n--- last console lines (full log: \(BootSession.consoleLog(dir).path)) ---\n\(verdict.outcome.tail)")
        throw ExitCode(1)
    }
}
