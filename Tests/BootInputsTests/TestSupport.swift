import Foundation
import TestSupport
import XCTest
@testable import BootInputs

/// Builders of synthetic image headers, written field by field from the format descriptions (not from the parser).
enum Synth {
    static func put(_ bytes: inout [UInt8], _ offset: Int, _ value: UInt64, width: Int, bigEndian: Bool = false) {
        for i in 0..<width {
            let shift = bigEndian ? (width - 1 - i) * 8 : i * 8
            bytes[offset + i] = UInt8(truncatingIfNeeded: value >> UInt64(shift))
        }
    }

    /// arm64 `Image` header (Documentation/arm64/booting.rst) padded with `padding` bytes of code.
    static func arm64Image(textOffset: UInt64 = 0, imageSize: UInt64, flags: UInt64 = 0xA, pe: Bool = true,
                           padding: Int = 0) -> [UInt8]
    {
        var b = [UInt8](repeating: 0, count: 64 + padding)
        if pe { b[0] = 0x4D; b[1] = 0x5A } else { put(&b, 0, 0x1400_0010, width: 4) }   // "MZ" or `b #0x40`
        put(&b, 8, textOffset, width: 8)
        put(&b, 16, imageSize, width: 8)
        put(&b, 24, flags, width: 8)
        b[0x38] = 0x41; b[0x39] = 0x52; b[0x3A] = 0x4D; b[0x3B] = 0x64   // "ARM\x64"
        if pe { put(&b, 0x3C, 0x40, width: 4) }
        return b
    }

    /// arm32 `zImage` header: eight `mov r0, r0`, a branch, magic, start, end, endianness flag.
    static func zImage(start: UInt32, end: UInt32, bigEndian: Bool = false, length: Int = 0x40) -> [UInt8] {
        var b = [UInt8](repeating: 0, count: max(length, 0x30))
        for i in 0..<8 { put(&b, i * 4, 0xE1A0_0000, width: 4, bigEndian: bigEndian) }
        put(&b, 0x20, 0xEA00_0002, width: 4, bigEndian: bigEndian)
        put(&b, 0x24, 0x016F_2818, width: 4, bigEndian: bigEndian)
        put(&b, 0x28, UInt64(start), width: 4, bigEndian: bigEndian)
        put(&b, 0x2C, UInt64(end), width: 4, bigEndian: bigEndian)
        if b.count >= 0x34 { put(&b, 0x30, 0x0403_0201, width: 4, bigEndian: bigEndian) }
        return Array(b.prefix(length))
    }

    /// U-Boot legacy image: 64-byte big-endian header (CRC over the header with the CRC field zeroed) + payload.
    static func uImage(arch: UInt8, type: UInt8 = 2, compression: UInt8 = 0, os: UInt8 = 5, name: String = "Linux",
                       load: UInt32 = 0x8000, entry: UInt32 = 0x8000, payload: [UInt8] = [1, 2, 3, 4]) -> [UInt8]
    {
        var b = [UInt8](repeating: 0, count: 64)
        put(&b, 0, 0x2705_1956, width: 4, bigEndian: true)
        put(&b, 8, 1_700_000_000, width: 4, bigEndian: true)
        put(&b, 12, UInt64(payload.count), width: 4, bigEndian: true)
        put(&b, 16, UInt64(load), width: 4, bigEndian: true)
        put(&b, 20, UInt64(entry), width: 4, bigEndian: true)
        put(&b, 24, UInt64(CRC32.checksum(payload)), width: 4, bigEndian: true)
        b[28] = os; b[29] = arch; b[30] = type; b[31] = compression
        for (i, c) in name.utf8.prefix(32).enumerated() { b[32 + i] = c }
        put(&b, 4, UInt64(CRC32.checksum(b)), width: 4, bigEndian: true)
        return b + payload
    }

    /// ELF header with `e_machine`.
    static func elf(is64: Bool, machine: UInt16, bigEndian: Bool = false, type: UInt16 = 2) -> [UInt8] {
        var b = [UInt8](repeating: 0, count: is64 ? 64 : 52)
        b[0] = 0x7F; b[1] = 0x45; b[2] = 0x4C; b[3] = 0x46
        b[4] = is64 ? 2 : 1; b[5] = bigEndian ? 2 : 1; b[6] = 1
        put(&b, 16, UInt64(type), width: 2, bigEndian: bigEndian)
        put(&b, 18, UInt64(machine), width: 2, bigEndian: bigEndian)
        return b
    }

    /// Flattened device tree header (40 bytes) with `totalsize`, padded to `length`.
    static func fdt(totalSize: UInt32, length: Int) -> [UInt8] {
        var b = [UInt8](repeating: 0, count: max(length, 40))
        put(&b, 0, 0xD00D_FEED, width: 4, bigEndian: true)
        put(&b, 4, UInt64(totalSize), width: 4, bigEndian: true)
        put(&b, 20, 17, width: 4, bigEndian: true)
        return Array(b.prefix(length))
    }

    /// gzip member header + empty deflate block + trailer (what `gzip` writes for an empty input, minus the name).
    static let gzipEmpty: [UInt8] = [0x1F, 0x8B, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0x03, 0x03, 0x00, 0, 0, 0, 0, 0, 0, 0, 0]
}

/// A fresh directory under the system temporary directory, removed by the test's teardown.
func makeTemporaryDirectory(_ test: XCTestCase, _ name: String = "bootinputs") throws -> URL {
    let dir = FileManager.default.temporaryDirectory
        .appendingPathComponent("\(name)-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    test.addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
    return dir
}

/// Runs a step that needs apt's index (and the network): a missing apt (or package) goes through the one skip
/// helper, so it skips on a developer machine and fails under CI. Returns the body's value.
func needingApt<T>(_ what: String, _ body: () throws -> T) throws -> T? {
    do {
        return try body()
    } catch let error as PackageError {
        switch error {
        case .unknownPackage, .toolMissing, .downloadFailed, .aptFailed:
            try missing("\(what): \(error)")
        default:
            throw error
        }
    }
}

/// `e_machine` of an ELF file read directly (offset 18, little-endian), with its magic checked.
func elfMachine(of url: URL) throws -> UInt16? {
    let handle = try FileHandle(forReadingFrom: url)
    defer { try? handle.close() }
    guard let head = try handle.read(upToCount: 20), head.count == 20 else { return nil }
    let b = [UInt8](head)
    guard b[0] == 0x7F, b[1] == 0x45, b[2] == 0x4C, b[3] == 0x46, b[5] == 1 else { return nil }
    return UInt16(b[18]) | UInt16(b[19]) << 8
}

/// Wall-clock seconds of `body`.
func timed<T>(_ body: () throws -> T) rethrows -> (T, Double) {
    let start = Date()
    let value = try body()
    return (value, Date().timeIntervalSince(start))
}
