import CCrypto
import Foundation

/// SHA-256 computed in process by the system's libcrypto (OpenSSL's EVP API, which uses the CPU's SHA instructions
/// where it has them). One implementation for the package cache, the build manifest and the tests.
public struct SHA256: Sendable {
    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        /// libcrypto refused a step (out of memory, or a library without SHA-256).
        case library(String)
        /// The file could not be opened or read.
        case read(path: String, detail: String)

        public var description: String {
            switch self {
            case .library(let step): return "SHA-256: libcrypto failed in \(step)"
            case .read(let path, let detail): return "\(path): cannot read it to hash it: \(detail)"
            }
        }
    }

    /// Lower-case hex digest of `bytes`.
    public static func hex<C: Collection>(_ bytes: C) throws(Failure) -> String where C.Element == UInt8 {
        let hasher = try SHA256Hasher()
        try hasher.update(Array(bytes))
        return try hasher.finish()
    }

    /// Lower-case hex digest of the file at `url`, read in 4 MiB pieces (never whole into memory).
    public static func hex(ofFile url: URL) throws(Failure) -> String {
        let handle: FileHandle
        do { handle = try FileHandle(forReadingFrom: url) } catch {
            throw .read(path: url.path, detail: error.localizedDescription)
        }
        defer { try? handle.close() }
        let hasher = try SHA256Hasher()
        while true {
            let piece: Data?
            do { piece = try handle.read(upToCount: 4 << 20) } catch { throw .read(path: url.path, detail: error.localizedDescription) }
            guard let piece, !piece.isEmpty else { break }
            try hasher.update([UInt8](piece))
        }
        return try hasher.finish()
    }

    /// True for 64 lower-case hex digits (the form `hex` returns and apt's SHA256 fields use, lower-cased).
    public static func isHexDigest(_ s: String) -> Bool {
        s.utf8.count == 64 && s.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }
}

/// One running digest over libcrypto's EVP context, freed with the hasher.
final class SHA256Hasher {
    private let context: OpaquePointer

    deinit { EVP_MD_CTX_free(context) }

    init() throws(SHA256.Failure) {
        guard let context = EVP_MD_CTX_new() else { throw .library("EVP_MD_CTX_new") }
        guard EVP_DigestInit_ex(context, EVP_sha256(), nil) == 1 else {
            EVP_MD_CTX_free(context)
            throw .library("EVP_DigestInit_ex")
        }
        self.context = context
    }

    func update(_ bytes: [UInt8]) throws(SHA256.Failure) {
        let ok = bytes.withUnsafeBytes { EVP_DigestUpdate(context, $0.baseAddress, $0.count) }
        guard ok == 1 else { throw .library("EVP_DigestUpdate") }
    }

    func finish() throws(SHA256.Failure) -> String {
        var digest = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        guard EVP_DigestFinal_ex(context, &digest, &length) == 1, length == 32 else { throw .library("EVP_DigestFinal_ex") }
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for b in digest { out.append(digits[Int(b >> 4)]); out.append(digits[Int(b & 0xf)]) }
        return String(decoding: out, as: UTF8.self)
    }
}
