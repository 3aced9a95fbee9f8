import DeviceTree
import Foundation
import Infrastructure
import XCTest

/// Runs a program to completion through Infrastructure's process runner (the one every module uses).
public func runProcess(_ executable: URL, _ args: [String], in directory: URL? = nil, environment: [String: String] = [:],
                       stdin: [UInt8]? = nil, timeout: TimeInterval = 1800) throws -> ProcessResult {
    try ProcessRunner.run(executable.path, args, in: directory, environment: environment, stdin: stdin, timeout: timeout)
}

/// Runs a tool found on PATH; returns stdout, throws with stderr on a non-zero exit.
@discardableResult
public func runTool(_ tool: String, _ args: [String], stdin: [UInt8]? = nil) throws -> [UInt8] {
    let r = try ProcessRunner.run(tool, args, stdin: stdin)
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

/// The one skip helper: a missing prerequisite (tool, fetched input) is a skip on a developer machine and a
/// failure under CI (`CI` set, and not `false`/`0`), where scripts/setup.sh and `xen-board fetch` provide everything.
/// Every test that can lack an input goes through here; scripts/test.sh also fails a CI run that skipped anything.
public func missing(_ what: String, file: StaticString = #filePath, line: UInt = #line) throws -> Never {
    if TestEnvironment.isCI { throw MissingInput(description: "\(what) is missing (CI=true: scripts/setup.sh and xen-board fetch provide it)") }
    throw XCTSkip("\(what) is missing", file: file, line: line)
}

/// `missing` unless `tool` (a name on PATH or an absolute path) is there; returns its path.
@discardableResult
public func requireTool(_ tool: String, file: StaticString = #filePath, line: UInt = #line) throws -> String {
    guard let path = ProcessRunner.locate(tool) else { try missing("\(tool) (scripts/setup.sh installs it)", file: file, line: line) }
    return path
}

/// The value of `body`, or `missing(what: error)` when it throws: for what this machine may lack (a source
/// package, a cross toolchain), never for what is tested.
public func prerequisite<T>(_ what: String, file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> T) throws -> T {
    do { return try body() } catch { try missing("\(what): \(error)", file: file, line: line) }
}

/// `missing` unless every file (a tool's absolute path, a firmware image) exists.
public func requireFiles(_ paths: [String], file: StaticString = #filePath, line: UInt = #line) throws {
    for path in paths where !FileManager.default.fileExists(atPath: path) {
        try missing("\(path) (scripts/setup.sh installs it)", file: file, line: line)
    }
}

/// A prerequisite missing under CI: thrown, so the test fails.
public struct MissingInput: Error, CustomStringConvertible {
    public let description: String
}

public enum TestEnvironment {
    /// True under CI (`CI=true`, as .ci/run sets it).
    public static var isCI: Bool {
        guard let v = ProcessInfo.processInfo.environment["CI"] else { return false }
        return !["", "0", "false", "no"].contains(v.lowercased())
    }
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
