/// gzip compression by the host's `gzip` (deterministic: `-n` leaves out the name and the timestamp).
public enum Gzip {
    /// `bytes` compressed with `gzip -n -9`.
    public static func compress(_ bytes: [UInt8]) throws(ExternalToolError) -> [UInt8] {
        try ExternalTool.filter("gzip", arguments: ["-n", "-9", "-c"], input: bytes)
    }

    /// `bytes` decompressed with `gzip -dc`.
    public static func decompress(_ bytes: [UInt8]) throws(ExternalToolError) -> [UInt8] {
        try ExternalTool.filter("gzip", arguments: ["-dc"], input: bytes)
    }

    /// Whether `bytes` start with the gzip magic (1f 8b).
    public static func isCompressed(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b
    }
}
