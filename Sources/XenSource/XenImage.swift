import Foundation
import XenArm

/// Header checks of Xen's `xen/xen` output.
public enum XenImage {
    /// "ARM\x64" at 0x38 for an arm64 Image; 0x016F2818 (little-endian) at 0x24 for an arm32 zImage. Returns a
    /// short description; throws `badImage` when the file is not the expected kind.
    @discardableResult
    public static func check(_ url: URL, arch: Architecture) throws(XenSourceError) -> String {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw .badImage(path: url.path, detail: "missing after the build")
        }
        let bytes = [UInt8](data)
        func le32(_ o: Int) -> UInt32? {
            guard bytes.count >= o + 4 else { return nil }
            return UInt32(bytes[o]) | UInt32(bytes[o + 1]) << 8 | UInt32(bytes[o + 2]) << 16 | UInt32(bytes[o + 3]) << 24
        }
        switch arch {
        case .arm64:
            guard le32(0x38) == 0x644d_5241 else { throw .badImage(path: url.path, detail: "not an arm64 Image (no \"ARM\\x64\" magic at 0x38)") }
            return "arm64 Image (\(bytes.count) bytes)"
        case .arm32:
            guard le32(0x24) == 0x016f_2818 else { throw .badImage(path: url.path, detail: "not an arm32 zImage (no 0x016f2818 magic at 0x24)") }
            return "arm32 zImage (\(bytes.count) bytes)"
        }
    }
}
