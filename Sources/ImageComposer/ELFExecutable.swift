/// The little that must be known about a program before it is put into an initramfs as its only binary: that it is
/// an ELF executable, for which CPU, and that it is statically linked (a dynamically linked busybox would make the
/// kernel's start of `/init` fail with a bare "No working init found").
public struct ELFExecutable: Sendable, Equatable {
    /// The CPU an ELF file is built for (`e_machine`).
    public enum Machine: Sendable, Equatable, CustomStringConvertible {
        case aarch64, arm, x86_64, other(UInt16)

        init(_ value: UInt16) {
            switch value {
            case 183: self = .aarch64
            case 40: self = .arm
            case 62: self = .x86_64
            default: self = .other(value)
            }
        }

        public var description: String {
            switch self {
            case .aarch64: return "aarch64"
            case .arm: return "arm"
            case .x86_64: return "x86-64"
            case .other(let v): return "e_machine \(v)"
            }
        }
    }

    public let machine: Machine
    public let is64Bit: Bool
    /// The `PT_INTERP` program interpreter (e.g. `/lib/ld-linux-aarch64.so.1`), nil for a static executable.
    public let interpreter: String?

    /// Parses the ELF header and program headers of `bytes`.
    /// - Throws: `ELFError` naming what was expected at which offset.
    public init(_ bytes: [UInt8]) throws(ELFError) {
        guard bytes.count >= 52, bytes[0] == 0x7f, bytes[1] == 0x45, bytes[2] == 0x4c, bytes[3] == 0x46 else {
            throw .notELF(prefix: Array(bytes.prefix(4)))
        }
        guard bytes[4] == 1 || bytes[4] == 2 else { throw .malformed(offset: 4, expected: "EI_CLASS 1 (32-bit) or 2 (64-bit)") }
        guard bytes[5] == 1 else { throw .malformed(offset: 5, expected: "EI_DATA 1 (little-endian)") }
        is64Bit = bytes[4] == 2
        func field(_ offset: Int, _ size: Int) throws(ELFError) -> Int {
            guard let v = bytes.loadLE(at: offset, size: size), v <= UInt64(Int.max) else {
                throw .malformed(offset: offset, expected: "a \(size)-byte field inside the \(bytes.count)-byte file")
            }
            return Int(v)
        }
        let type = try field(16, 2)
        guard type == 2 || type == 3 else { throw .malformed(offset: 16, expected: "e_type 2 (EXEC) or 3 (DYN), got \(type)") }
        machine = Machine(UInt16(truncatingIfNeeded: try field(18, 2)))
        let phoff = try field(is64Bit ? 32 : 28, is64Bit ? 8 : 4)
        let phentsize = try field(is64Bit ? 54 : 42, 2)
        let phnum = try field(is64Bit ? 56 : 44, 2)
        guard phentsize >= (is64Bit ? 56 : 32) else {
            throw .malformed(offset: is64Bit ? 54 : 42, expected: "e_phentsize of at least \(is64Bit ? 56 : 32), got \(phentsize)")
        }
        var interpreter: String?
        for i in 0..<phnum {
            let (product, overflow) = phentsize.multipliedReportingOverflow(by: i)
            guard !overflow, phoff <= Int.max - product else { throw .malformed(offset: phoff, expected: "program headers inside the file") }
            let ph = phoff + product
            guard try field(ph, 4) == 3 else { continue }    // PT_INTERP
            let offset = try field(ph + (is64Bit ? 8 : 4), is64Bit ? 8 : 4)
            let size = try field(ph + (is64Bit ? 32 : 16), is64Bit ? 8 : 4)
            guard offset <= bytes.count, size <= bytes.count - offset else {
                throw .malformed(offset: ph, expected: "a PT_INTERP segment inside the \(bytes.count)-byte file")
            }
            interpreter = String(decoding: bytes[offset..<(offset + size)].prefix { $0 != 0 }, as: UTF8.self)
        }
        self.interpreter = interpreter
    }
}

/// A file that should have been an ELF executable is not one.
public enum ELFError: Error, Sendable, Equatable, CustomStringConvertible {
    case notELF(prefix: [UInt8])
    case malformed(offset: Int, expected: String)

    public var description: String {
        switch self {
        case .notELF(let prefix):
            return "expected an ELF executable (7f 45 4c 46), got \(prefix.map { String(format2: $0) }.joined(separator: " "))"
        case .malformed(let offset, let expected): return "malformed ELF at byte \(offset): expected \(expected)"
        }
    }
}

extension String {
    /// Two lower-case hex digits.
    init(format2 byte: UInt8) {
        let s = String(byte, radix: 16)
        self = s.count == 1 ? "0" + s : s
    }
}
