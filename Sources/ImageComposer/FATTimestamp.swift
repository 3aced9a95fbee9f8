/// A FAT directory-entry date and time (UTC; FAT has no time zone), from a `SourceDateEpoch` (internal).
/// FAT dates cover 1980-01-01 to 2107-12-31 with 2-second resolution: earlier epochs (0 included) give
/// 1980-01-01 00:00:00, later ones 2107-12-31 23:59:58.
struct FATTimestamp: Equatable {
    /// Bits 15-9 year - 1980, 8-5 month, 4-0 day.
    let date: UInt16
    /// Bits 15-11 hours, 10-5 minutes, 4-0 seconds / 2.
    let time: UInt16

    static let earliest: UInt64 = 315_532_800        // 1980-01-01T00:00:00Z
    static let latest: UInt64 = 4_354_819_198         // 2107-12-31T23:59:58Z

    init(_ epoch: SourceDateEpoch) {
        let seconds = min(max(epoch.seconds, Self.earliest), Self.latest)
        let days = Int64(seconds / 86_400)
        let secondOfDay = Int(seconds % 86_400)
        let (year, month, day) = Self.civil(daysSince1970: days)
        date = UInt16((year - 1980) << 9 | month << 5 | day)
        time = UInt16((secondOfDay / 3600) << 11 | (secondOfDay / 60 % 60) << 5 | (secondOfDay % 60) / 2)
    }

    /// Proleptic Gregorian (year, month 1-12, day 1-31) of a day count since 1970-01-01 (H. Hinnant's algorithm).
    static func civil(daysSince1970 days: Int64) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        return (Int(year), Int(month), Int(day))
    }
}
