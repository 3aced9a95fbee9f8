import XenArm

/// Board keys against the Xen version the board uses (issue 14, scope 5): a key whose dom0less property the version
/// does not accept (`XenArm.Dom0lessBindings`, data read from each version's source) is an error naming the key's
/// line, the version, where that version comes from and the versions that have the property.
enum BoardVersionChecks {
    static func check(_ board: Board) throws {
        for d in board.domUs {
            for key in d.lines.keys.sorted() {
                guard let binding = Dom0lessBindings.binding(forKey: "domu." + key),
                      let problem = Dom0lessBindings.problem(binding, version: board.xenVersion, arch: board.arch,
                                                             versionSource: versionSource(board))
                else { continue }
                throw board.error(line: d.line(of: key), "domu '\(d.name)': " + problem)
            }
        }
        try checkColouring(board)
    }

    /// Where the board's Xen version comes from, for messages.
    static func versionSource(_ board: Board) -> String {
        if board.xenVersionFromCommandLine { return "--xen-version \(board.xenVersion)" }
        if let line = board.xenVersionLine { return "[xen] version at line \(line)" }
        return "no [xen] version, the default for \(board.arch.rawValue)"
    }

    /// With LLC colouring on, Xen 4.20 refuses static memory ("LLC coloring and static memory are incompatible",
    /// xen/arch/arm/dom0less-build.c): one guest's `llc-colors` turns colouring on for the whole system.
    static func checkColouring(_ board: Board) throws {
        guard let coloured = board.domUs.first(where: { $0.llcColors != nil }),
              let staticMem = board.domUs.first(where: { $0.staticMem != nil }) else { return }
        throw board.error(line: staticMem.line(of: "static-mem"),
                          "domu '\(staticMem.name)' has static-mem, but domu '\(coloured.name)' sets llc-colors (line \(coloured.line(of: "llc-colors"))): Xen turns LLC colouring on for the whole system, and refuses static memory then (\"LLC coloring and static memory are incompatible\")")
    }
}

extension BoardFileParser {
    /// Colours Xen's default build supports: 2^LLC_COLORS_ORDER with the Kconfig default order 7
    /// (xen/common/Kconfig); the generated configuration keeps that default.
    static let llcColourLimit = 128

    /// `max-grant-frames`: 1 to 2^31 - 1 (Xen 4.20 panics "max_grant_frames (N) overflow" above INT32_MAX).
    static func maxGrantFrames(_ i: Instance, _ v: BoardFileSections) throws -> UInt32? {
        guard case .integer(let n)? = i.entries["max-grant-frames"]?.value else { return nil }
        guard (1...Int64(Int32.max)).contains(n) else {
            throw v.fail(i.line(of: "max-grant-frames"), "max-grant-frames must be 1 to \(Int32.max), got \(n)")
        }
        return UInt32(n)
    }

    /// `llc-colors`: Xen's colour configuration (xen/common/llc-coloring.c `parse_color_config`): comma-separated
    /// colours or inclusive ranges `A-B` with A <= B, each below `llcColourLimit`.
    static func llcColors(_ i: Instance, _ v: BoardFileSections) throws -> String? {
        guard let text = i.string("llc-colors") else { return nil }
        let fail = { (why: String) in v.fail(i.line(of: "llc-colors"), "llc-colors '\(text.prefix(60))': \(why) (expected colours or ranges like \"0-3,8\")") }
        guard !text.isEmpty else { throw fail("empty") }
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let ends = item.split(separator: "-", omittingEmptySubsequences: false)
            guard (1...2).contains(ends.count), ends.allSatisfy({ !$0.isEmpty && $0.count <= 4 && $0.allSatisfy({ $0.isASCII && $0.isNumber }) }),
                  let start = Int(ends[0]), let end = Int(ends[ends.count - 1]) else {
                throw fail("'\(item.prefix(20))' is not a colour or a range")
            }
            guard start <= end else { throw fail("range \(item) runs backwards") }
            guard end < llcColourLimit else { throw fail("colour \(end) is not below \(llcColourLimit) (Xen's NR_LLC_COLORS with LLC_COLORS_ORDER 7)") }
        }
        return text
    }
}

extension Board {
    /// The dom0less properties the board's `[[domu]]` keys write, each once, in catalog order.
    public var dom0lessBindings: [Dom0lessBinding] {
        let keys = Set(domUs.flatMap { $0.lines.keys.map { "domu." + $0 } })
        return Dom0lessBindings.all.filter { keys.contains($0.boardKey) }
    }

    /// Kconfig symbols Xen must be built with for those properties (`LLC_COLORING` for `llc-colors`).
    public var dom0lessKconfig: [String] { dom0lessBindings.compactMap(\.kconfig) }

    /// What Xen's command line must carry for them (`llc-coloring=on`).
    public var dom0lessXenArguments: [String] { dom0lessBindings.compactMap(\.xenBootargs) }
}
