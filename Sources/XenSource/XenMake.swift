import Foundation
import XenArm

/// What Xen writes into `include/xen/compile.h` (its banner, `xl info`): by default the date and time, user, host
/// name and DNS domain of the build. xen-board fixes them — date and time from SOURCE_DATE_EPOCH in UTC, as
/// Debian's rules do, user, host and domain `xen-board` — so that the same inputs give the same image, and so that
/// make on an unchanged kept tree does not regenerate compile.h (which recompiles version.o, setup.o and
/// domain_build.o and relinks) every time.
public struct BuildIdentity: Equatable, Sendable {
    /// Seconds since 1970-01-01 00:00:00 UTC.
    public let epoch: UInt64

    public init(epoch: UInt64 = 0) { self.epoch = epoch }

    /// `XEN_BUILD_DATE` (`date -u` format, C locale), `XEN_BUILD_TIME`, `XEN_WHOAMI`, `XEN_DOMAIN`, `XEN_BUILD_HOST`.
    public var makeVariables: [String] {
        // Clamped to the year 9999: strftime's %Y stays four digits and time_t never overflows.
        var t = time_t(min(epoch, 253_402_300_799))
        var parts = tm()
        var date = "Thu Jan  1 00:00:00 UTC 1970", clock = "00:00:00"
        if gmtime_r(&t, &parts) != nil {
            date = Self.format("%a %b %e %H:%M:%S UTC %Y", parts) ?? date
            clock = Self.format("%H:%M:%S", parts) ?? clock
        }
        return ["XEN_BUILD_DATE=\(date)", "XEN_BUILD_TIME=\(clock)", "XEN_WHOAMI=xen-board", "XEN_DOMAIN=xen-board",
                "XEN_BUILD_HOST=xen-board"]
    }

    static func format(_ pattern: String, _ parts: tm) -> String? {
        var parts = parts
        var buffer = [CChar](repeating: 0, count: 64)
        let n = strftime(&buffer, buffer.count, pattern, &parts)
        guard n > 0 else { return nil }
        return String(decoding: buffer.prefix(n).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// One build's make invocations: `make -C xen` in a work tree with the architecture's and the identity's variables,
/// every output appended to one log.
struct XenMake {
    let tree: URL
    let arch: Architecture
    let identity: BuildIdentity
    let log: URL

    /// `XEN_TARGET_ARCH` and `CROSS_COMPILE` for an architecture (Debian's cross toolchains).
    static func archVariables(_ arch: Architecture) -> [String] {
        ["XEN_TARGET_ARCH=\(arch.facts.xenTargetArch)", "CROSS_COMPILE=\(arch.facts.crossPrefix)"]
    }

    /// `make -C xen <vars> <targets>`. Failure: the first compiler errors (with the offending source line when the
    /// file is in the tree), else the log's last lines; status -1 when make timed out or could not start.
    func run(_ targets: [String], tick: (TimeInterval) -> Void = { _ in }) throws(XenSourceError) {
        let makePath = try Tool.require("make", package: "make")
        let arguments = ["-C", "xen"] + Self.archVariables(arch) + identity.makeVariables + targets
        Self.appendText("\n$ make \(arguments.joined(separator: " "))\n", to: log)
        let r = try Tool.run(makePath, arguments, in: tree, log: log, tick: tick)
        guard r.status == 0 else {
            throw .commandFailed(command: "make " + arguments.joined(separator: " "), status: r.status,
                                 excerpt: Self.errorExcerpt(r.output, xenDirectory: tree.appendingPathComponent("xen")), log: log.path)
        }
    }

    /// The first `error:` lines of compiler output (up to 8), each followed by the source line it points at when
    /// that file is readable; when there are none, the last 15 lines.
    public static func errorExcerpt(_ output: String, xenDirectory: URL?) -> [String] {
        let lines = output.split(separator: "\n").map(String.init)
        var excerpt: [String] = []
        var count = 0
        for line in lines where line.contains("error:") || line.contains("Error:") {
            guard count < 8 else { break }
            count += 1
            excerpt.append(line)
            // file:line:col: error: ...
            let parts = line.split(separator: ":", maxSplits: 3, omittingEmptySubsequences: false)
            if parts.count >= 3, let n = Int(parts[1]), n > 0, let dir = xenDirectory {
                let file = String(parts[0])
                let url = file.hasPrefix("/") ? URL(fileURLWithPath: file) : dir.appendingPathComponent(file)
                if let text = try? String(contentsOf: url, encoding: .utf8) {
                    let src = text.split(separator: "\n", omittingEmptySubsequences: false)
                    if n <= src.count { excerpt.append("    \(n) | \(src[n - 1])") }
                }
            }
        }
        return excerpt.isEmpty ? Tool.lastLines(output, 15) : excerpt
    }

    static func logURL(tree: URL, phase: String, arch: Architecture) -> URL {
        tree.deletingLastPathComponent().appendingPathComponent("\(phase)-\(arch.rawValue).log")
    }

    static func appendText(_ text: String, to url: URL) {
        if !Files.exists(url) { _ = FileManager.default.createFile(atPath: url.path, contents: nil) }
        guard let h = try? FileHandle(forWritingTo: url) else { return }
        defer { try? h.close() }
        _ = try? h.seekToEnd()
        try? h.write(contentsOf: Data(text.utf8))
    }

    /// Objects compiled according to `log`: the targets of Kbuild's `  CC      x.o` / `  AS      x.o` lines.
    static func compiledObjects(in log: URL) -> [String] {
        guard let text = try? Files.read(log) else { return [] }
        return text.split(separator: "\n").compactMap { line -> String? in
            guard line.hasPrefix("  CC ") || line.hasPrefix("  AS ") else { return nil }
            return line.split(separator: " ").last.map(String.init)
        }
    }

    static let prepareMakefile = """
    # Written by xen-board: the preparation steps of xen/Makefile's $(TARGET) recipe, without the link, so single
    # objects can be compiled (`make -C xen ... arch/arm/platforms/x.o`).
    .PHONY: xen-board-prepare
    xen-board-prepare: outputmakefile FORCE
    \t$(Q)$(MAKE) $(build)=tools
    \t$(Q)$(MAKE) $(build)=. include/xen/compile.h
    \t$(Q)$(MAKE) $(build)=include all
    \t$(Q)$(MAKE) $(build)=arch/$(SRCARCH) include
    \t$(Q)$(MAKE) $(build)=. arch/$(SRCARCH)/include/asm/asm-offsets.h

    """
}
