import XenArm

/// The two reach shares over the virt-capable boards (issue 13): (a) boards whose console driver family CI boots,
/// (b) boards whose `new` + `gen` output compile-checks in Xen's tree; and what blocks the rest.
public struct ReachSummary: Encodable, Sendable {
    public struct Combination: Encodable, Sendable {
        public let key: String
        public let driver: String
        public let arch: String
        public let hooks: [String]
        public let xen: String
        /// Boards this combination's compile check stands for.
        public let boards: Int
        /// The first board (by file name): the one the benchmark compile-checks.
        public let example: String
        /// `passed`, `failed`, or nil when no results were given or the results do not have it.
        public let compileCheck: CompileCheckResults.Outcome?
    }

    public struct BlockerCount: Encodable, Sendable {
        public let kind: String
        public let detail: String
        public let boards: Int
        public let examples: [String]
    }

    public struct Share: Encodable, Sendable {
        public let boards: Int
        public let of: Int
        public var percent: Double { of == 0 ? 0 : Double(boards) * 100 / Double(of) }
        public var text: String { "\(boards)/\(of) = \(String(format: "%.1f", percent))%" }
        private enum CodingKeys: String, CodingKey { case boards, of, percent }
        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(boards, forKey: .boards); try c.encode(of, forKey: .of)
            try c.encode((percent * 10).rounded() / 10, forKey: .percent)
        }
    }

    /// One virt-capable board: its console family, combination, and blocker (after the compile checks when given).
    public struct Board: Encodable, Sendable {
        public let file: String
        public let family: String?
        public let combination: String?
        public let blocker: String?
        public let blockerDetail: String?
    }

    /// The Xen version `new` writes into every board (`inspect --xen-version`) and the compile checks use.
    public let xenVersion: String
    public let virtCapable: Int
    /// Families CI boots (`ConsoleFamily.bootedInCI`).
    public let bootedFamilies: [String]
    /// (a): the console family `new` picks is booted in CI.
    public let bootedFamily: Share
    /// Boards whose `new` + `gen` succeed in memory with no blocker left.
    public let generated: Share
    /// (b): `generated` and the combination's compile check passed (nil without results).
    public let compileChecked: Share?
    public let families: [String: Int]
    public let combinations: [Combination]
    /// Why the rest are not counted in (b) (in `generated` without results).
    public let blockers: [BlockerCount]
    /// Every virt-capable board, by file name.
    public let rows: [Board]

    public init(rows: [ReachRow], results: CompileCheckResults?, version: XenVersion = .v4_17) {
        xenVersion = version.rawValue
        let booted = Set(ConsoleFamily.bootedInCI.map(\.family))
        virtCapable = rows.count
        bootedFamilies = booted.sorted().map(\.description)
        bootedFamily = Share(boards: rows.filter { $0.family.map(booted.contains) ?? false }.count, of: rows.count)
        let generatedRows = rows.filter { $0.combination != nil }
        generated = Share(boards: generatedRows.count, of: rows.count)
        var families: [String: Int] = [:]
        for r in rows { families[r.family?.description ?? "none", default: 0] += 1 }
        self.families = families
        var byCombination: [CompileCombination: [String]] = [:]
        for r in generatedRows { if let c = r.combination { byCombination[c, default: []].append(r.file) } }
        combinations = byCombination.map { c, files in
            Combination(key: c.key, driver: c.driver, arch: c.arch.rawValue, hooks: c.hooks, xen: c.xen.rawValue, boards: files.count,
                        example: files.min() ?? "", compileCheck: results?.outcomes[c.key])
        }.sorted { ($0.boards, $1.key) > ($1.boards, $0.key) }
        var final: [(String, ReachBlocker?)] = rows.map { ($0.file, $0.blocker) }
        if let results {
            final = rows.map { r in
                guard let c = r.combination else { return (r.file, r.blocker) }
                switch results.outcomes[c.key] {
                case .passed?: return (r.file, nil)
                case .failed?: return (r.file, .compileFailed(combination: c.key))
                case nil: return (r.file, .notCompileChecked(combination: c.key))
                }
            }
            compileChecked = Share(boards: final.filter { $0.1 == nil }.count, of: rows.count)
        } else {
            compileChecked = nil
        }
        let finalBlocker = Dictionary(final.map { ($0.0, $0.1) }, uniquingKeysWith: { a, _ in a })
        self.rows = rows.map { r in
            let b = finalBlocker[r.file] ?? r.blocker
            return Board(file: r.file, family: r.family?.description, combination: r.combination?.key, blocker: b?.kind, blockerDetail: b?.detail)
        }.sorted { $0.file < $1.file }
        var byBlocker: [ReachBlocker: [String]] = [:]
        for (file, b) in final { if let b { byBlocker[b, default: []].append(file) } }
        blockers = byBlocker.map { b, files in
            BlockerCount(kind: b.kind, detail: b.detail, boards: files.count, examples: Array(files.sorted().prefix(3)))
        }.sorted { ($0.boards, $1.kind, $1.detail) > ($1.boards, $0.kind, $0.detail) }
    }

    public var text: String {
        var out = "reach over \(virtCapable) virt-capable device trees (GICv3, or GICv2 with GICH/GICV, plus an arch timer), boards for Xen \(xenVersion):\n"
        out += "  (a) console driver family booted in CI (\(bootedFamilies.joined(separator: ", "))): \(bootedFamily.text)\n"
        out += "  new + gen succeed in memory, no blocker left: \(generated.text)\n"
        if let b = compileChecked {
            let checked = combinations.filter { $0.compileCheck != nil }.count
            out += "  (b) new + gen output compile-checks in Xen: \(b.text) (\(checked)/\(combinations.count) combinations checked)\n"
        } else {
            out += "  (b) not measured: pass --compile-checks FILE (benchmarks/reach-compile-checks.sh writes it); \(combinations.count) combinations\n"
        }
        out += "\nreach blocker                        boards  detail (example)\n"
        for b in blockers.prefix(25) {
            out += b.kind.rightPadded(37) + String(b.boards).leftPadded(6) + "  " + b.detail.prefix(70) + " (" + (b.examples.first ?? "") + ")\n"
        }
        if blockers.count > 25 { out += "  ... \(blockers.count - 25) more (--json lists all)\n" }
        return out
    }
}
