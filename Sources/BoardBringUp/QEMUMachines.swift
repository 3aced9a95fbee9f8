import Infrastructure
import XenArm

/// The machines the installed QEMU emulates, as `qemu-system-* -machine help` lists them.
public enum QEMUMachines {
    /// Machine names (first column) of `-machine help`, aliases included.
    public static func list(for arch: Architecture) throws -> Set<String> {
        let binary = arch.qemuBinary
        let r: ProcessResult
        do {
            r = try ProcessRunner.run(binary, ["-machine", "help"], timeout: 60)
        } catch {
            throw NewBoardError(file: binary, detail: "cannot ask QEMU for its machines: \(error)")
        }
        guard r.status == 0, !r.timedOut else { throw NewBoardError(file: binary, detail: "-machine help failed: \(r.diagnostic)") }
        var names = Set<String>()
        for line in r.stdout.split(separator: "\n").dropFirst() {
            if let first = line.split(separator: " ").first { names.insert(String(first)) }
        }
        return names
    }

    /// Fails unless `machine` (its name before the first `,` option) is one QEMU has.
    public static func require(_ machine: String, arch: Architecture) throws {
        let name = machine.split(separator: ",", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? machine
        let known = try list(for: arch)
        guard known.contains(name) else {
            let near = known.filter { $0.hasPrefix(String(name.prefix(3))) }.sorted().prefix(8)
            throw NewBoardError(file: "--qemu-machine", detail: "\(arch.qemuBinary) has no machine '\(name)'"
                                + (near.isEmpty ? "" : " (similar: \(near.joined(separator: ", ")))") + "; `\(arch.qemuBinary) -machine help` lists them")
        }
    }
}
