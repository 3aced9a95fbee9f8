import Foundation
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
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [tool] + args
        p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe(), err = Pipe(), inp = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = stdin == nil ? FileHandle.nullDevice : inp
        do { try p.run() } catch { throw ToolError(description: "cannot run \(tool): \(error.localizedDescription) (run scripts/setup.sh)") }
        if let stdin {
            DispatchQueue.global().async {
                inp.fileHandleForWriting.write(Data(stdin))
                try? inp.fileHandleForWriting.close()
            }
        }
        // stderr on another thread so neither pipe can fill up and stall the tool.
        let errBox = DataBox()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async { errBox.data = err.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        let output = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        let errData = errBox.data
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            let msg = String(decoding: errData, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw ToolError(description: "\(tool) \(args.joined(separator: " ")) failed (exit \(p.terminationStatus))\(msg.isEmpty ? "" : ": \(msg)")")
        }
        return [UInt8](output)
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

private final class DataBox: @unchecked Sendable { var data = Data() }
