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

    /// Boards per readiness category (every category present, zeros included).
    public struct ReadinessCounts: Encodable, Equatable {
        public let xenDriver: Int
        public let compatibleAdded: Int
        public let generatedDriver: Int
        public let blocked: Int

        init(_ rows: [Row]) {
            func count(_ r: Readiness) -> Int { rows.filter { $0.readiness == r }.count }
            xenDriver = count(.xenDriver); compatibleAdded = count(.compatibleAdded)
            generatedDriver = count(.generatedDriver); blocked = count(.blocked)
        }
    }

    /// The Xen version every board was analysed for.
    public let xenVersion: String
    public let boards: Int
    /// Boards without a blocker (every category but `blocked`).
    public let ready: Int
    public let readiness: ReadinessCounts
    public let unreadable: Int
    public let blockers: [Count]
    public let consoleVerdicts: [String: Int]
    public let gicVersions: [String: Int]
    public let xenPlatforms: [String: Int]
    public let architectures: [String: Int]
    public let platformFileNeeded: Int
    /// The reach shares and blockers (`inspect --summary` with the reach analysis; BoardBringUp computes the rows).
    public var reach: ReachSummary? = nil

    /// What the summary keeps of one board: small, so a corpus of models need not stay in memory.
    public struct Row: Sendable {
        public let file: String
        public let ready: Bool
        public let blockerCodes: Set<FindingCode>
        public let consoleVerdict: ConsoleVerdict
        public let readiness: Readiness
        public let gicVersion: Int?
        public let xenPlatform: String?
        public let architecture: Architecture
        public let platformFileNeeded: Bool

        public init(_ m: BoardModel) {
            file = m.file ?? "?"
            ready = m.ready
            blockerCodes = Set(m.blockers.map(\.code))
            consoleVerdict = m.console.verdict
            readiness = m.readiness
            gicVersion = m.gic.version
            xenPlatform = m.platform?.name
            architecture = m.architecture
            platformFileNeeded = m.platformFile.needed
        }
    }

    public init(rows: [Row], unreadable: Int, version: XenVersion = .v4_17) {
        xenVersion = version.rawValue
        boards = rows.count
        ready = rows.filter(\.ready).count
        readiness = ReadinessCounts(rows)
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
        var out = "\(boards) device trees: \(readiness.xenDriver) ready with Xen \(xenVersion)'s own console driver, "
            + "\(readiness.compatibleAdded) with a compatible added to a Xen driver, \(readiness.generatedDriver) with a generated driver, "
            + "\(readiness.blocked) blocked"
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
        if let reach { out += "\n" + reach.text }
        return out
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
    func rightPadded(_ width: Int) -> String { count >= width ? self : self + String(repeating: " ", count: width - count) }
}
