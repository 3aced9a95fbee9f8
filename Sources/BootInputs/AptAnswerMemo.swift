import Foundation

/// Remembers apt-cache's answers in `<cache>/apt-answers.json` for as long as apt's state is unchanged, so a
/// cached build does not pay about a second per `apt-cache` run. The state is the list of index files under
/// `/var/lib/apt/lists` (name, size, modification time), the sources and preferences under `/etc/apt`, and the
/// enabled foreign architectures: `apt-get update`, a new pin or a new architecture all change it and empty the memo.
/// Packages apt does not know are never remembered. Writes are atomic (temporary file + rename); concurrent
/// writers lose at most some remembered answers.
struct MemoizedSource: PackageSource {
    let base: any PackageSource
    let file: URL
    /// The current apt state's fingerprint, or nil when it cannot be read (then nothing is remembered).
    let stateKey: @Sendable () -> String?

    /// Record fields worth remembering: what resolution reads.
    static let keptFields = ["Package", "Version", "Architecture", "Size", "SHA256", "Filename", "Depends", "Pre-Depends"]

    struct Memo: Codable {
        var key: String
        var answers: [String: [String: String]]
    }

    func records(for specs: [PackageSpec]) throws(PackageError) -> [AptRecord] {
        guard let key = stateKey() else { return try base.records(for: specs) }
        var memo = load()
        if memo?.key != key { memo = Memo(key: key, answers: [:]) }
        var answers = memo?.answers ?? [:]
        let missing = specs.filter { answers[$0.description] == nil }
        if !missing.isEmpty {
            let fresh = try base.records(for: missing)
            for spec in missing {
                guard let record = fresh.first(where: { $0.answers(spec) }) else { continue }
                answers[spec.description] = record.fields.filter { Self.keptFields.contains($0.key) }
            }
            save(Memo(key: key, answers: answers))
        }
        return specs.compactMap { answers[$0.description].map { AptRecord(fields: $0) } }
    }

    func download(_ package: ResolvedPackage, into directory: URL) throws(PackageError) {
        try base.download(package, into: directory)
    }

    private func load() -> Memo? {
        guard let data = FileManager.default.contents(atPath: file.path) else { return nil }
        return try? JSONDecoder().decode(Memo.self, from: data)
    }

    /// Best effort: a memo that cannot be written only costs apt-cache runs later.
    private func save(_ memo: Memo) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        guard let data = try? encoder.encode(memo) else { return }
        let directory = file.deletingLastPathComponent()
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let temporary = directory.appendingPathComponent(".\(file.lastPathComponent).\(UUID().uuidString)")
        guard FileManager.default.createFile(atPath: temporary.path, contents: data) else { return }
        if CacheFiles.rename(temporary, to: file) != 0 { CacheFiles.remove(temporary) }
    }

    /// Fingerprint of the machine's apt state (see the type's description), or nil without an apt index.
    @Sendable static func aptStateKey() -> String? {
        let fm = FileManager.default
        var lines: [String] = []
        func add(_ path: String) {
            guard let attributes = try? fm.attributesOfItem(atPath: path),
                  attributes[.type] as? FileAttributeType == .typeRegular else { return }
            let size = (attributes[.size] as? NSNumber)?.uint64Value ?? 0
            let time = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            lines.append("\(path) \(size) \(time)")
        }
        guard let lists = try? fm.contentsOfDirectory(atPath: "/var/lib/apt/lists") else { return nil }
        for name in lists.sorted() where name != "lock" { add("/var/lib/apt/lists/" + name) }
        for dir in ["/etc/apt/sources.list.d", "/etc/apt/preferences.d"] {
            for name in ((try? fm.contentsOfDirectory(atPath: dir)) ?? []).sorted() { add(dir + "/" + name) }
        }
        for path in ["/etc/apt/sources.list", "/etc/apt/preferences", "/var/lib/dpkg/arch"] { add(path) }
        guard !lines.isEmpty else { return nil }
        return fnv1a64(lines.joined(separator: "\n"))
    }

    /// FNV-1a 64-bit hash as 16 hex digits (a fingerprint, not a security measure).
    static func fnv1a64(_ text: String) -> String {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
