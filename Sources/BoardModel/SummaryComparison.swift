import XenArm

/// `inspect --summary DIR --xen-version 4.17,4.20`: the same corpus analysed for several Xen versions, a column per
/// version, and the trees whose readiness or console verdict differs between them.
public struct VersionComparison: Encodable {
    public struct Change: Encodable, Equatable {
        public let file: String
        /// Readiness per version, in `versions` order.
        public let readiness: [String]
        public let consoleVerdicts: [String]
    }

    public let versions: [String]
    public let summaries: [InspectionSummary]
    public let changes: [Change]

    public static func scan(directory: String, arch: Architecture?, versions: [XenVersion]) throws(InspectionSummary.ScanError) -> VersionComparison {
        let (rows, unreadable) = try InspectionSummary.scanRows(directory: directory, arch: arch, versions: versions)
        return VersionComparison(rows: rows, unreadable: unreadable, versions: versions)
    }

    /// `rows[v]`: the rows for `versions[v]`, all in the same file order.
    public init(rows: [[InspectionSummary.Row]], unreadable: Int, versions: [XenVersion]) {
        self.versions = versions.map(\.rawValue)
        summaries = zip(rows, versions).map { InspectionSummary(rows: $0, unreadable: unreadable, version: $1) }
        var changes: [Change] = []
        for (i, first) in (rows.first ?? []).enumerated() {
            let across = rows.compactMap { $0.indices.contains(i) ? $0[i] : nil }
            let readiness = across.map(\.readiness.rawValue), verdicts = across.map(\.consoleVerdict.rawValue)
            if Set(readiness).count > 1 || Set(verdicts).count > 1 {
                changes.append(Change(file: first.file, readiness: readiness, consoleVerdicts: verdicts))
            }
        }
        self.changes = changes
    }

    public var text: String {
        let width = 10
        var out = "".rightPadded(28) + versions.map { ("Xen " + $0).leftPadded(width) }.joined() + "\n"
        func row(_ name: String, _ value: (InspectionSummary) -> Int) {
            out += name.rightPadded(28) + summaries.map { String(value($0)).leftPadded(width) }.joined() + "\n"
        }
        row("device trees", \.boards)
        row("ready", \.ready)
        row("  with Xen's own driver", \.readiness.xenDriver)
        row("  with a compatible added", \.readiness.compatibleAdded)
        row("  with a generated driver", \.readiness.generatedDriver)
        row("blocked", \.readiness.blocked)
        let verdicts = Set(summaries.flatMap(\.consoleVerdicts.keys)).sorted()
        for v in verdicts { row("console \(v)", { $0.consoleVerdicts[v] ?? 0 }) }
        let platforms = Set(summaries.flatMap(\.xenPlatforms.keys)).sorted()
        for p in platforms { row("platform \(p)", { $0.xenPlatforms[p] ?? 0 }) }
        out += "\n\(changes.count) tree(s) whose readiness or console verdict differs:\n"
        for c in changes {
            out += "  \(c.file): " + zip(versions, zip(c.readiness, c.consoleVerdicts)).map { "\($0) \($1.0) (\($1.1))" }.joined(separator: " -> ") + "\n"
        }
        return out
    }
}
