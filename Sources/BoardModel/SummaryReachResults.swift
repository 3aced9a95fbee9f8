/// A compile-check results file (`benchmarks/reach-compile-checks.sh` writes it): one line per combination,
/// `passed|failed KEY [EXAMPLE [SECONDS]]`, `#` comments and blank lines ignored.
public struct CompileCheckResults: Sendable, Equatable {
    public enum Outcome: String, Sendable, Codable { case passed, failed }

    public struct ParseError: Error, CustomStringConvertible, Sendable {
        public let file: String
        public let line: Int
        public let detail: String
        public var description: String { "\(file):\(line): \(detail)" }
    }

    /// Combination key -> outcome.
    public let outcomes: [String: Outcome]

    public init(outcomes: [String: Outcome]) { self.outcomes = outcomes }

    public init(parsing text: String, file: String) throws(ParseError) {
        var out: [String: Outcome] = [:]
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = String(raw).trimmed(of: " \t\r")
            guard !line.isEmpty, !line.hasPrefix("#") else { continue }
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard words.count >= 2, let outcome = Outcome(rawValue: words[0]) else {
                throw ParseError(file: file, line: i + 1, detail: "expected 'passed KEY ...' or 'failed KEY ...', got '\(line.prefix(80))'")
            }
            let parts = words[1].split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == 4, parts.allSatisfy({ !$0.isEmpty }) else {
                throw ParseError(file: file, line: i + 1, detail: "'\(words[1].prefix(80))' is not a combination key DRIVER/ARCH/HOOKS/xen-VERSION")
            }
            if let earlier = out[words[1]], earlier != outcome {
                throw ParseError(file: file, line: i + 1, detail: "\(words[1]) is recorded both passed and failed")
            }
            out[words[1]] = outcome
        }
        outcomes = out
    }
}

extension String {
    func trimmed(of set: String) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s = s.dropFirst() }
        while let l = s.last, set.contains(l) { s = s.dropLast() }
        return String(s)
    }
}
