import Foundation
import Subprocess
import ImageComposer
import XenArm

/// The external tools a build runs, each with its failure turned into an error that says what failed.
enum Tools {
    struct ToolError: Error, CustomStringConvertible {
        let description: String
    }

    /// Runs a tool; returns stdout. `environment` entries are added to the current environment.
    @discardableResult
    static func run(_ tool: String, _ args: [String], stdin: [UInt8]? = nil, environment: [String: String] = [:]) throws -> [UInt8] {
        let r: Subprocess.Result
        do {
            r = try Subprocess.run(tool, args, environment: environment, stdin: stdin)
        } catch {
            throw ToolError(description: "cannot run \(tool): \(error) (run scripts/setup.sh)")
        }
        guard r.status == 0 else {
            let msg = r.stderr.trimmingCharacters(in: .whitespacesAndNewlines)
            throw ToolError(description: "\(tool) \(args.joined(separator: " ")) failed (exit \(r.status))\(msg.isEmpty ? "" : ": \(msg)")")
        }
        return r.stdoutBytes
    }

    /// `mkimage -T script` with the right `-A`; the header timestamp comes from SOURCE_DATE_EPOCH (reproducible).
    static func mkimageScript(arch: Architecture, input: URL, output: URL, epoch: SourceDateEpoch) throws {
        try run("mkimage", ["-A", arch == .arm64 ? "arm64" : "arm", "-O", "linux", "-T", "script", "-C", "none", "-n", "xen-board boot script",
                            "-d", input.path, output.path], environment: ["SOURCE_DATE_EPOCH": String(epoch.seconds)])
    }

    /// `mkimage -f` for a FIT image, run in the ITS's directory so /incbin/ paths resolve.
    static func mkimageFIT(its: URL, output: URL, epoch: SourceDateEpoch) throws {
        try run("sh", ["-c", "cd \"$1\" && mkimage -f \"$2\" \"$3\" >/dev/null", "mkimage-fit", its.deletingLastPathComponent().path,
                       its.lastPathComponent, output.path], environment: ["SOURCE_DATE_EPOCH": String(epoch.seconds)])
    }

    static func sha256(_ bytes: [UInt8]) -> String {
        guard let out = try? run("sha256sum", ["-"], stdin: bytes) else { return "unavailable" }
        return String(decoding: out.prefix(64), as: UTF8.self)
    }
}

