import UARTDrivers
import XenArm

/// Aggregate of many board models (`xen-board inspect --summary DIR`).
public struct InspectionSummary: Encodable {
    public struct Count: Encodable {
        public let code: String
        public let boards: Int
        /// A few boards that have it, for following up.
        public let examples: [String]
    }

    public let boards: Int
    public let ready: Int
    public let unreadable: Int
    public let blockers: [Count]
    public let consoleVerdicts: [String: Int]
    public let gicVersions: [String: Int]
    public let xenPlatforms: [String: Int]
    public let architectures: [String: Int]
    public let platformFileNeeded: Int

    /// What the summary keeps of one board: small, so a corpus of models need not stay in memory.
    public struct Row: Sendable {
        public let file: String
        public let ready: Bool
        public let blockerCodes: Set<FindingCode>
        public let consoleVerdict: ConsoleVerdict
        public let gicVersion: Int?
        public let xenPlatform: String?
        public let architecture: Architecture
        public let platformFileNeeded: Bool

        public init(_ m: BoardModel) {
            file = m.file ?? "?"
            ready = m.ready
            blockerCodes = Set(m.blockers.map(\.code))
            consoleVerdict = m.console.verdict
            gicVersion = m.gic.version
            xenPlatform = m.platform?.name
            architecture = m.architecture
            platformFileNeeded = m.platformFile.needed
        }
    }

    public init(rows: [Row], unreadable: Int) {
        boards = rows.count
        ready = rows.filter(\.ready).count
        self.unreadable = unreadable
        var byCode: [FindingCode: [String]] = [:]
        for r in rows {
            for code in r.blockerCodes { byCode[code, default: []].append(r.file) }
        }
        blockers = byCode.map { Count(code: $0.key.rawValue, boards: $0.value.count, examples: Array($0.value.sorted().prefix(3))) }
            .sorted { ($0.boards, $1.code) > ($1.boards, $0.code) }
        func tally(_ key: (Row) -> String) -> [String: Int] {
            var t: [String: Int] = [:]
            for r in rows { t[key(r), default: 0] += 1 }
            return t
        }
        consoleVerdicts = tally { $0.consoleVerdict.rawValue }
        gicVersions = tally { $0.gicVersion.map { "v\($0)" } ?? "none" }
        xenPlatforms = tally { $0.xenPlatform ?? "Generic System" }
        architectures = tally { $0.architecture.rawValue }
        platformFileNeeded = rows.filter(\.platformFileNeeded).count
    }

    public var text: String {
        var out = "\(boards) device trees: \(ready) ready for Xen 4.17 as-is, \(boards - ready) blocked"
        if unreadable > 0 { out += ", \(unreadable) unreadable" }
        out += "\n\n"
        func table(_ title: String, _ t: [String: Int]) -> String {
            title + ": " + t.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + "\n"
        }
        out += table("architecture", architectures)
        out += table("console", consoleVerdicts)
        out += table("GIC", gicVersions)
        out += table("Xen platform", xenPlatforms)
        out += "platform file needed: \(platformFileNeeded)\n\n"
        out += "blocker                              boards  example\n"
        for b in blockers {
            out += b.code.rightPadded(37) + String(b.boards).leftPadded(6) + "  " + (b.examples.first ?? "") + "\n"
        }
        return out
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
    func rightPadded(_ width: Int) -> String { count >= width ? self : self + String(repeating: " ", count: width - count) }
}
