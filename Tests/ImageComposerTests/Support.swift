import Foundation
import Infrastructure
import TestSupport
import XCTest

/// Runs host tools for the ImageComposer tests.
enum Host {
    struct Result {
        let status: Int32
        let stdout: Data
        let stderr: String
        let timedOut: Bool
        var text: String { String(decoding: stdout, as: UTF8.self) }
    }

    /// The absolute path of `name` in $PATH, /usr/sbin or /sbin.
    static func which(_ name: String) -> String? { ProcessRunner.locate(name) }

    /// Runs `tool` (a name in $PATH or a path) with `arguments` through Infrastructure's ProcessRunner; stdin from
    /// `input` (a file), in `directory`; terminated after `timeout` seconds. A tool that is not installed is `missing`.
    static func run(_ tool: String, _ arguments: [String], input: URL? = nil, directory: URL? = nil,
                    timeout: TimeInterval = 120) throws -> Result {
        let stdin = try input.map { [UInt8](try Data(contentsOf: $0)) }
        if ProcessRunner.locate(tool) == nil { try missing("\(tool) (scripts/setup.sh installs it)") }
        // UTF-8 rather than ProcessRunner's plain C: the FAT tests hand mtools long names with non-ASCII characters.
        let r = try ProcessRunner.run(tool, arguments, in: directory, environment: ["LC_ALL": "C.UTF-8"], stdin: stdin, timeout: timeout)
        return Result(status: r.status, stdout: Data(r.stdoutBytes), stderr: r.stderr, timedOut: r.timedOut)
    }

    /// `missing` (a skip locally, a failure under CI) unless every tool is there.
    static func require(_ tools: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        for tool in tools where tool.hasPrefix("/") ? !FileManager.default.fileExists(atPath: tool) : which(tool) == nil {
            try missing("\(tool) (scripts/setup.sh installs it)", file: file, line: line)
        }
    }
}

/// A temporary directory removed at the end of the test case.
final class TemporaryDirectory {
    let url: URL
    init(_ prefix: String = "xb-composer") throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    func file(_ name: String) -> URL { url.appendingPathComponent(name) }
    deinit { try? FileManager.default.removeItem(at: url) }
}

/// Deterministic pseudo-random bytes (xorshift), for file contents.
func pseudoRandomBytes(_ count: Int, seed: UInt64) -> [UInt8] {
    var state = seed | 1
    var out = [UInt8](repeating: 0, count: count)
    out.withUnsafeMutableBytes { raw in
        var i = 0
        while i + 8 <= raw.count {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            raw.storeBytes(of: state, toByteOffset: i, as: UInt64.self)
            i += 8
        }
        while i < raw.count { state ^= state << 13; state ^= state >> 7; state ^= state << 17; raw[i] = UInt8(truncatingIfNeeded: state); i += 1 }
    }
    return out
}

/// A minimal little-endian ELF header (no program headers unless an interpreter is given), for tests that need
/// "a static executable" without a real one.
func fakeELF(machine: UInt16 = 183, is64Bit: Bool = true, interpreter: String? = nil, padding: Int = 4096) -> [UInt8] {
    var b = [UInt8](repeating: 0, count: max(padding, 256))
    b[0] = 0x7f; b[1] = 0x45; b[2] = 0x4c; b[3] = 0x46
    b[4] = is64Bit ? 2 : 1
    b[5] = 1
    b[6] = 1
    func le(_ v: UInt64, _ at: Int, _ size: Int) { for i in 0..<size { b[at + i] = UInt8(truncatingIfNeeded: v >> (8 * UInt64(i))) } }
    le(2, 16, 2)
    le(UInt64(machine), 18, 2)
    if is64Bit { le(56, 54, 2) } else { le(32, 42, 2) }
    if let interpreter {
        let phoff = 64, dataOffset = 160
        let text = Array(interpreter.utf8) + [0]
        if is64Bit {
            le(UInt64(phoff), 32, 8); le(1, 56, 2)
            le(3, phoff, 4); le(UInt64(dataOffset), phoff + 8, 8); le(UInt64(text.count), phoff + 32, 8)
        } else {
            le(UInt64(phoff), 28, 4); le(1, 44, 2)
            le(3, phoff, 4); le(UInt64(dataOffset), phoff + 4, 4); le(UInt64(text.count), phoff + 16, 4)
        }
        for (i, c) in text.enumerated() { b[dataOffset + i] = c }
    }
    return b
}
