import Foundation
import Infrastructure
import ImageComposer
import XenArm

/// The external tools a build runs, each with its failure turned into an error that says what failed.
enum Tools {
    struct ToolError: Error, CustomStringConvertible {
        let description: String
    }

    /// Runs a tool; returns stdout. `environment` entries are added to the current environment.
    @discardableResult
    static func run(_ tool: String, _ args: [String], in directory: URL? = nil, stdin: [UInt8]? = nil,
                    environment: [String: String] = [:]) throws -> [UInt8] {
        let r: ProcessResult
        do {
            r = try ProcessRunner.run(tool, args, in: directory, environment: environment, stdin: stdin)
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
        try run("mkimage", ["-A", arch.mkimageArchitecture, "-O", "linux", "-T", "script", "-C", "none", "-n", "xen-board boot script",
                            "-d", input.path, output.path], environment: ["SOURCE_DATE_EPOCH": String(epoch.seconds)])
    }

    /// `mkimage -f` for a FIT image, run in the ITS's directory so /incbin/ paths resolve.
    static func mkimageFIT(its: URL, output: URL, epoch: SourceDateEpoch) throws {
        try run("mkimage", ["-f", its.lastPathComponent, output.path], in: its.deletingLastPathComponent(),
                environment: ["SOURCE_DATE_EPOCH": String(epoch.seconds)])
    }

    /// SHA-256 of bytes the build holds (user-given files, the DTB it wrote), in process.
    static func sha256(_ bytes: [UInt8]) throws -> String { try SHA256.hex(bytes) }
}

