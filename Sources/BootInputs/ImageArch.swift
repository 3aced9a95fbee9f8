/// The CPU architecture a boot image runs on. Raw values match the board vocabulary (`arm64`, `arm32`) so callers
/// can convert from their own architecture type with `ImageArch(rawValue:)`.
public enum ImageArch: String, Sendable, Codable, CaseIterable {
    case arm64, arm32

    /// The Debian architecture whose packages carry images for this one: `arm64` or `armhf`.
    public var debianArchitecture: String { self == .arm64 ? "arm64" : "armhf" }

    /// The ELF `e_machine` value of executables for this architecture: EM_AARCH64 (183) or EM_ARM (40).
    public var elfMachine: UInt16 { self == .arm64 ? 183 : 40 }

    /// Accepts the board names (`arm64`, `arm32`) and the common aliases `aarch64`, `armhf`, `arm`.
    public init?(name: String) {
        switch name.lowercased() {
        case "arm64", "aarch64": self = .arm64
        case "arm32", "armhf", "arm", "armv7": self = .arm32
        default: return nil
        }
    }
}
