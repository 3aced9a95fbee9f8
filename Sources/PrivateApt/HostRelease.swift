import Foundation

/// The machine's own Debian release, from `/etc/os-release` (`VERSION_CODENAME`).
public enum HostRelease {
    /// `bookworm`, `trixie`, ... or nil when the file names none.
    public static func codename(osRelease: URL = URL(fileURLWithPath: "/etc/os-release")) -> String? {
        guard let data = FileManager.default.contents(atPath: osRelease.path) else { return nil }
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") where line.hasPrefix("VERSION_CODENAME=") {
            let value = line.dropFirst("VERSION_CODENAME=".count).trimmingCharacters(in: CharacterSet(charactersIn: "\"' "))
            return value.isEmpty ? nil : value
        }
        return nil
    }
}
