import DeviceTree
import Foundation
import XCTest

/// Runs a tool and returns stdout; fails the test with stderr when it exits non-zero.
@discardableResult
func runTool(_ tool: String, _ args: [String], stdin: [UInt8]? = nil, file: StaticString = #filePath, line: UInt = #line) throws -> [UInt8] {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = [tool] + args
    let out = Pipe(), err = Pipe(), inp = Pipe()
    p.standardOutput = out
    p.standardError = err
    if stdin != nil { p.standardInput = inp }
    try p.run()
    if let stdin {
        inp.fileHandleForWriting.write(Data(stdin))
        try inp.fileHandleForWriting.close()
    }
    let data = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    if p.terminationStatus != 0 {
        throw NSError(domain: "run", code: Int(p.terminationStatus), userInfo: [
            NSLocalizedDescriptionKey: "\(tool) \(args.joined(separator: " ")) failed: \(String(decoding: errData, as: UTF8.self))",
        ])
    }
    return [UInt8](data)
}

/// Compiles DTS with the real dtc (optionally with `-@` for /__symbols__).
func compileDTS(_ dts: String, symbols: Bool = false) throws -> [UInt8] {
    try runTool("dtc", ["-q", "-I", "dts", "-O", "dtb"] + (symbols ? ["-@"] : []), stdin: Array(dts.utf8))
}

func tree(_ dts: String, symbols: Bool = false) throws -> DeviceTree {
    try DTBDecoder.decode(compileDTS(dts, symbols: symbols))
}

func hex(_ v: UInt64) -> String { "0x" + String(v, radix: 16) }
