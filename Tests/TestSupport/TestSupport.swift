import DeviceTree
import Foundation
import XCTest

/// What a finished process printed.
public struct ProcessResult: Sendable {
    public let status: Int32
    public let stdout: String
    public let stderr: String
    public let stdoutBytes: [UInt8]
}

/// Runs a program to completion, feeding `stdin` and draining both pipes on separate threads (so neither can fill
/// up and stall the child).
public func runProcess(_ executable: URL, _ args: [String], in directory: URL? = nil, environment: [String: String] = [:],
                       stdin: [UInt8]? = nil) throws -> ProcessResult {
    let p = Process()
    p.executableURL = executable
    p.arguments = args
    if let directory { p.currentDirectoryURL = directory }
    p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    let out = Pipe(), err = Pipe(), inp = Pipe()
    p.standardOutput = out
    p.standardError = err
    p.standardInput = stdin == nil ? FileHandle.nullDevice : inp
    try p.run()
    if let stdin {
        let writer = inp.fileHandleForWriting
        Thread { writer.write(Data(stdin)); try? writer.close() }.start()
    }
    let errBox = DataBox()
    let done = DispatchSemaphore(value: 0)
    Thread { errBox.data = err.fileHandleForReading.readDataToEndOfFile(); done.signal() }.start()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    done.wait()
    p.waitUntilExit()
    return ProcessResult(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
                         stderr: String(decoding: errBox.data, as: UTF8.self), stdoutBytes: [UInt8](o))
}

private final class DataBox: @unchecked Sendable { var data = Data() }

/// Runs a tool found on PATH; returns stdout, throws with stderr on a non-zero exit.
@discardableResult
public func runTool(_ tool: String, _ args: [String], stdin: [UInt8]? = nil) throws -> [UInt8] {
    let r = try runProcess(URL(fileURLWithPath: "/usr/bin/env"), [tool] + args, stdin: stdin)
    guard r.status == 0 else {
        throw NSError(domain: tool, code: Int(r.status), userInfo: [NSLocalizedDescriptionKey: "\(tool) \(args.joined(separator: " ")) failed: \(r.stderr)"])
    }
    return r.stdoutBytes
}

/// Compiles DTS with the real dtc (optionally `-@` for /__symbols__).
public func compileDTS(_ dts: String, symbols: Bool = false) throws -> [UInt8] {
    try runTool("dtc", ["-q", "-I", "dts", "-O", "dtb"] + (symbols ? ["-@"] : []), stdin: Array(dts.utf8))
}

/// Compiles and decodes DTS.
public func decodeDTS(_ dts: String, symbols: Bool = false) throws -> DeviceTree {
    try DTBDecoder.decode(compileDTS(dts, symbols: symbols))
}

/// A missing prerequisite: a skip on a developer machine, a failure in CI (CI=true), where setup installs everything.
public func missing(_ what: String) throws -> Never {
    if ProcessInfo.processInfo.environment["CI"] != nil { XCTFail("\(what) is missing") }
    throw XCTSkip("\(what) is missing")
}

/// The built `xen-board` binary, run the way a user runs it (boards from this checkout's boards/).
public enum XenBoardCLI {
    public static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    public static var binary: URL { Bundle.main.bundleURL.appendingPathComponent("xen-board") }

    public static func run(_ args: [String], in directory: URL, environment: [String: String] = [:], stdin: [UInt8]? = nil) throws -> ProcessResult {
        try runProcess(binary, args, in: directory,
                       environment: ["XEN_BOARD_BOARDS": repository.appendingPathComponent("boards").path].merging(environment) { $1 }, stdin: stdin)
    }
}
