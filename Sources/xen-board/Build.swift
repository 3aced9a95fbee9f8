import ArgumentParser
import BoardBuild
import BoardFile
import Foundation
import ImageComposer

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
    @Flag(help: "gzip the initramfs.") var gzipInitramfs = false
    @Flag(help: "Also write a FIT image (xen.its + xen.itb via mkimage -f) holding every module.") var fit = false
    @Option(help: "debian (Debian's xen-hypervisor-4.17 binary, default) or source (build Xen with the board's generated port).")
    var xen: String = "debian"
    @Flag(help: "Print the manifest as JSON.") var json = false
    @Flag(help: "Print how long each phase took (own work vs tools and file I/O) to stderr.") var timings = false

    func run() throws {
        let b = try BoardCatalog.locate().load(board)
        let phases = BuildTimings()
        let epoch = try SourceDateEpoch.fromEnvironment()
        let dir = out ?? "out/\(b.name)"
        let clock = ContinuousClock()
        let start = clock.now
        var options = Builder.Options(outDirectory: dir, gzipInitramfs: gzipInitramfs, epoch: epoch, timings: phases)
        options.fit = fit
        options.force = placement.force
        guard xen == "debian" || xen == "source" else { throw ValidationError("--xen must be debian or source, got '\(xen)'") }
        options.xenFromSource = xen == "source"
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
        """
    )

    @Argument(help: "Board name or board file path.") var board: String
    @Option(help: "Output directory the board was built into (default out/BOARD).") var out: String?
    @Option(help: "Seconds before giving up.") var timeout: Double = 300
    @Flag(help: "Echo the console to stdout while booting (it is always kept in out/BOARD/console.log).") var console = false
    @Flag(help: "Print the result as JSON.") var json = false
    @Flag(help: "Type CTRL-a x3 and 'h' on the serial line; pass only when Xen prints its debug-key help.") var checkInput = false

    func run() throws {
        let b = try BoardCatalog.locate().load(board)
        let dir = URL(fileURLWithPath: out ?? "out/\(b.name)")
        let manifestURL = dir.appendingPathComponent("manifest.json")
        guard let data = FileManager.default.contents(atPath: manifestURL.path) else {
            throw InputError(file: manifestURL.path, detail: "not found: run `xen-board build \(b.name)` first")
        }
        let manifest = try JSONDecoder().decode(Manifest.self, from: data)
        guard let qemu = manifest.qemu, let exe = qemu.first else {
            throw InputError(file: b.file, detail: "board \(b.name) has no [qemu] section: it cannot be booted here")
        }
        let domains = manifest.domains ?? ["dom0"]
        let outcome = try BootRunner.run(QEMUCommand(executable: exe, arguments: Array(qemu.dropFirst())), in: dir, timeout: timeout,
                                         consoleLog: dir.appendingPathComponent("console.log"), reports: domains.count, checkInput: checkInput,
                                         expectReset: manifest.expectsReset ?? false,
                                         echo: console ? echoToStdout : nil) { printError("boot: \($0)") }
        // Reports per domain: Dom0 (unprefixed console) and each DomU ("(dN) " lines, N in boot order from 1).
        let consoles = DomainConsoles.split(outcome.console)
        let hasDom0 = domains.first == "dom0"
        var domainReports: [(name: String, report: BootReport?)] = []
        for (i, name) in domains.enumerated() {
            let id = hasDom0 ? i : i + 1
            domainReports.append((name, consoles[id].flatMap { BootReport.parse($0) }))
        }
        let report = hasDom0 ? domainReports.first?.report : nil
        let cpus = report?.values("cpus").first.flatMap(Int.init)
        let hypervisor = hasDom0 ? report?.values("hypervisor").first
            : (outcome.console.contains("Xen version") && domainReports.first?.report != nil ? "xen" : nil)
        let expected = manifest.expectedCPUs
        let xenCPUs = outcome.console.components(separatedBy: "Brought up ").dropFirst().first?.split(separator: " ").first.flatMap { Int($0) }
        // A DomU without xen,enhanced gets no /hypervisor node, so its kernel cannot tell it runs on Xen: a DomU
        // counts as up when its report arrived (its kernel booted and its init ran).
        let guestsOK = domainReports.dropFirst(hasDom0 ? 1 : 0).allSatisfy { $0.report != nil }
        let resetOK = manifest.expectsReset != true || outcome.reset
        let inputOK = !checkInput || outcome.inputHelp != nil
        let ok = hypervisor == "xen" && guestsOK && inputOK && resetOK && (expected == nil || (xenCPUs == expected && (!hasDom0 || cpus == expected)))
        if json {
            var j: [String: Any] = ["board": b.name, "ok": ok, "seconds": outcome.seconds]
            j["hypervisor"] = hypervisor ?? NSNull()
            j["dom0CPUs"] = cpus ?? NSNull()
            j["xenCPUs"] = xenCPUs ?? NSNull()
            j["expectedCPUs"] = expected ?? NSNull()
            if manifest.expectsReset == true { j["reset"] = outcome.reset }
            if checkInput { j["inputHelpSeconds"] = outcome.inputHelp ?? NSNull() }
            let seen: [[String: Any]] = outcome.seen.map { ["name": $0.name, "seconds": $0.seconds] }
            j["milestones"] = seen
            // Console text can carry control characters: keep report values printable.
            func clean(_ s: String) -> String { String(String.UnicodeScalarView(s.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7f })) }
            let fields: [[String: String]] = report?.fields.map { ["key": $0.key, "value": clean($0.value)] } ?? []
            j["report"] = fields
            let perDomain: [[String: Any]] = domainReports.map { d in
                ["domain": d.name, "report": d.report?.fields.map { ["key": $0.key, "value": clean($0.value)] } ?? [] as [[String: String]]]
            }
            j["domains"] = perDomain
            printJSON(j)
        }
        if ok {
            if !json { print("\(b.name): Xen \(report?.values("xen_version").first ?? "?") and Dom0 up, \(cpus ?? 0) CPUs\(outcome.reset ? ", machine reset on Dom0's reboot" : ""), in \(String(format: "%.1f", outcome.seconds)) s") }
            return
        }
        let missingGuests = domainReports.filter { $0.report == nil }.map(\.name)
        var why = outcome.missed.map { "missed milestone: \($0.name) (\"\($0.marker)\")" }
            ?? (resetOK ? nil : "Dom0 asked for a reboot but the machine did not reset (Xen's banner did not reappear)")
            ?? (missingGuests.isEmpty ? "a domain's report is wrong" : "no report from \(missingGuests.joined(separator: ", "))")
        if !inputOK {
            why = outcome.missed == nil ? "Xen printed no debug-key help after CTRL-a x3 and 'h' (the console driver does not receive)" : why
        }
        if let fatal = outcome.fatal { why += "; stopped at \"\(fatal)\"" } else if outcome.timedOut {
            why += " after \(Int(timeout)) s timeout"
        } else if outcome.exitedBeforeReport { why += "; QEMU exited first" }
        if report != nil { why += "; report: hypervisor=\(hypervisor ?? "?") cpus=\(cpus.map(String.init) ?? "?") Xen brought up \(xenCPUs.map(String.init) ?? "?"), expected \(expected.map(String.init) ?? "?")" }
        printError("\(b.name): boot failed: \(why)\n--- last console lines (full log: \(dir.path)/console.log) ---\n\(outcome.tail)")
        throw ExitCode(1)
    }
}

/// `boot --console`: the console as it arrives.
let echoToStdout: @Sendable (String) -> Void = { text in FileHandle.standardOutput.write(Data(text.utf8)) }

func hexString(_ v: UInt64) -> String { "0x" + String(v, radix: 16) }

extension String {
    func padding(_ n: Int) -> String { count >= n ? self : self + String(repeating: " ", count: n - count) }
}
