import BoardBuild
import BoardFile
import Foundation
import Infrastructure
import TestSupport

/// Boots Debian's Xen 4.17 (hypervisor only, no Dom0) under QEMU for one board and records what Xen itself says.
/// The QEMU command line is xen-board's own (`QEMUCommand` for the board file's `[qemu]` machine, direct boot);
/// guest RAM lives in a sparse file so Xen's console ring can be read back after the Dom0 panic. Xen brings up the
/// CPUs, then panics with "Could not set up DOM0 guest OS" (no kernel module): QEMU is stopped 1 s after that panic
/// (before Xen's reboot), 5 s after "Brought up" if no panic comes, or at the time limit. Writes into `out`:
/// `board.dtb` (the tree given to Xen, /chosen/xen,xen-bootargs set), `console.log` (UART0: everything Xen printed
/// once its console was up), `xen-dmesg.log` (the console ring: what `xl dmesg` shows, including "Platform: ..." and
/// "Looking for dtuart at ...", which a release Xen without early printk never prints on the UART) and `qemu.cmd`.
struct TruthBoot {
    /// The board file (boards/NAME.toml) whose `[qemu]` section gives the machine.
    let board: String
    /// Xen's command line: the console QEMU connects to stdio. loglvl=all: "Platform: ..." and "Looking for dtuart"
    /// are XENLOG_INFO, which a release Xen drops by default.
    let bootargs: String
    /// Where the tree comes from: a corpus DTB, or nil for QEMU's own (dumped with the boot's machine options).
    let corpusDTB: String?

    struct Outcome {
        let console: String
        let dmesg: String
        let timedOut: Bool
        let broughtUpSeconds: Double?
        let panicSeconds: Double?
        let seconds: Double
        var timing: String {
            func f(_ v: Double?) -> String { v.map { String(format: "%.2f s", $0) } ?? "-" }
            return "brought up after \(f(broughtUpSeconds)), panic after \(f(panicSeconds)), total \(f(seconds))"
        }
    }

    func run(xen: String, out: URL, timeout: TimeInterval) throws -> Outcome {
        let b = try BoardCatalog(directory: XenBoardCLI.repository.appendingPathComponent("boards").path).load(board)
        guard let q = b.qemu else { throw TruthBootError(description: "boards/\(board).toml has no [qemu] section") }
        let direct = Board.QEMU(machine: q.machine, cpu: q.cpu, smp: q.smp, memoryMiB: q.memoryMiB, boot: .direct)
        let ram = ["-object", "memory-backend-file,id=xbram,size=\(q.memoryMiB)M,mem-path=\(out.path)/.ram,share=on",
                   "-machine", "memory-backend=xbram"]
        defer { try? FileManager.default.removeItem(at: out.appendingPathComponent(".ram")) }
        let dtb = out.appendingPathComponent("board.dtb")
        try makeDTB(dtb, executable: QEMUCommand.executable(for: b.arch), machine: QEMUCommand.machineArguments(direct) + ram)
        let command = QEMUCommand.make(board: b, qemu: direct, xen: xen, dtb: dtb.path, directLoads: [], disk: nil)
        try Data(([command.executable] + command.arguments + ram).joined(separator: " ").utf8).write(to: out.appendingPathComponent("qemu.cmd"))
        let outcome = try watch(command, extra: ram, timeout: timeout, out: out)
        try Data(outcome.console.utf8).write(to: out.appendingPathComponent("console.log"))
        try Data(outcome.dmesg.utf8).write(to: out.appendingPathComponent("xen-dmesg.log"))
        return outcome
    }

    /// The corpus DTB or QEMU's dumped tree, with /chosen/xen,xen-bootargs set by `xen-board dt set`.
    private func makeDTB(_ dtb: URL, executable: String, machine: [String]) throws {
        var source = corpusDTB
        if source == nil {
            let dump = dtb.deletingLastPathComponent().appendingPathComponent("machine.dtb")
            var args = machine
            if let i = args.firstIndex(of: "-machine") { args[i + 1] += ",dumpdtb=\(dump.path)" }
            let r = try ProcessRunner.run(executable, args, mergeStderr: true, timeout: 60)
            guard r.status == 0 else { throw TruthBootError(description: "\(executable) dumpdtb failed: \(r.stdout)") }
            source = dump.path
        }
        let set = try XenBoardCLI.run(["dt", "set", source ?? "", "/chosen", "xen,xen-bootargs", bootargs, "-t", "string", "-o", dtb.path],
                                      in: dtb.deletingLastPathComponent())
        guard set.status == 0 else { throw TruthBootError(description: "xen-board dt set on \(source ?? "") failed: \(set.stderr)") }
    }

    /// Runs QEMU, stopping it as described above, and reads Xen's console ring from guest RAM afterwards.
    private func watch(_ command: QEMUCommand, extra: [String], timeout: TimeInterval, out: URL) throws -> Outcome {
        let start = Date()
        var seen = "", upAt: Date?, panicAt: Date?
        var o = ProcessRunner.Options()
        o.mergeStderr = true
        o.timeout = timeout
        o.output = { chunk in
            seen += chunk
            if upAt == nil, seen.contains("Brought up ") { upAt = Date() }
            if panicAt == nil, seen.contains("Panic on CPU") { panicAt = Date() }
            return false
        }
        o.poll = {
            if let panicAt { return Date().timeIntervalSince(panicAt) >= 1 }
            if let upAt { return Date().timeIntervalSince(upAt) >= 5 }
            return false
        }
        let r = try ProcessRunner.run(command.executable, command.arguments + extra, o)
        let dmesg = (try? ConsoleRing.read(out.appendingPathComponent(".ram"))) ?? ""
        return Outcome(console: r.stdout, dmesg: dmesg, timedOut: r.timedOut, broughtUpSeconds: upAt.map { $0.timeIntervalSince(start) },
                       panicSeconds: panicAt.map { $0.timeIntervalSince(start) }, seconds: Date().timeIntervalSince(start))
    }
}

struct TruthBootError: Error, CustomStringConvertible { let description: String }

/// Xen's console ring recovered from a guest-RAM file: the longest run of printable text (with newlines and tabs)
/// holding Xen's banner. Only the file's data extents are read (seekData/seekHole): the file is sparse and most
/// of guest RAM was never touched.
enum ConsoleRing {
    static let banner = Array("(XEN) Xen version".utf8)
    /// lseek(2)'s whence values for sparse files (Linux), which Glibc's module does not export.
    static let seekData: Int32 = 3, seekHole: Int32 = 4

    static func read(_ url: URL) throws -> String {
        let fd = open(url.path, O_RDONLY)
        guard fd >= 0 else { throw TruthBootError(description: "\(url.path): cannot open the guest RAM file") }
        defer { close(fd) }
        var best: [UInt8] = [], run: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var offset = lseek(fd, 0, seekData)
        while offset >= 0 {
            let end = lseek(fd, offset, seekHole)
            guard end > offset else { break }
            var position = offset
            while position < end {
                let want = min(Int(end - position), buffer.count)
                let got = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, want, position) }
                guard got > 0 else { break }
                for byte in buffer[0..<got] {
                    if byte == 0x0A || byte == 0x09 || (0x20...0x7E).contains(byte) { run.append(byte); continue }
                    keep(&run, ifBetterThan: &best)
                }
                position += off_t(got)
            }
            keep(&run, ifBetterThan: &best)   // a hole ends a run
            offset = lseek(fd, end, seekData)
        }
        keep(&run, ifBetterThan: &best)
        return String(decoding: best, as: UTF8.self)
    }

    /// Ends the current run: it replaces `best` when longer and holding the banner.
    private static func keep(_ run: inout [UInt8], ifBetterThan best: inout [UInt8]) {
        if run.count > best.count, run.count >= banner.count, contains(run, banner) { best = run }
        run.removeAll(keepingCapacity: true)
    }

    private static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard let first = needle.first, haystack.count >= needle.count else { return false }
        var i = 0
        while i + needle.count <= haystack.count {
            if haystack[i] == first, haystack[i..<(i + needle.count)].elementsEqual(needle) { return true }
            i += 1
        }
        return false
    }
}
