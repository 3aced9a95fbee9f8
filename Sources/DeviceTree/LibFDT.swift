import CLibFDT

/// Second opinion on every blob read or written: libfdt's own full structural check.
public enum LibFDT {
    /// Runs `fdt_check_full` over the blob; throws a `.libfdt` error with libfdt's reason on failure.
    public static func check(_ blob: [UInt8]) throws {
        let rc = blob.withUnsafeBytes { raw -> Int32 in
            guard let base = raw.baseAddress else { return -FDT_ERR_TRUNCATED }
            return fdt_check_full(base, raw.count)
        }
        if rc != 0 {
            let reason = fdt_strerror(rc).map { String(cString: $0) } ?? "error \(rc)"
            throw DTBError(.libfdt, at: 0, "libfdt fdt_check_full rejected the blob: \(reason)")
        }
    }
}
