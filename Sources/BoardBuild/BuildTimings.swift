import Foundation

/// Wall time per build phase, split into the tool's own work and the rest (package cache, external tools such as
/// mkimage and sha256sum, copying files), for `xen-board build --timings` and the benchmark.
public final class BuildTimings: @unchecked Sendable {
    public struct Phase: Sendable {
        public let name: String
        public let seconds: Double
        public let own: Bool
    }

    public private(set) var phases: [Phase] = []

    public init() {}

    @discardableResult
    func measure<T>(_ name: String, own: Bool, _ body: () throws -> T) rethrows -> T {
        let start = DispatchTime.now().uptimeNanoseconds
        defer { phases.append(Phase(name: name, seconds: Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9, own: own)) }
        return try body()
    }

    /// Sets the duration of the last phase (for a phase measured across several statements).
    func adjustLast(seconds: Double) {
        guard let last = phases.popLast() else { return }
        phases.append(Phase(name: last.name, seconds: seconds, own: last.own))
    }

    public var ownSeconds: Double { phases.filter(\.own).map(\.seconds).reduce(0, +) }
    public var otherSeconds: Double { phases.filter { !$0.own }.map(\.seconds).reduce(0, +) }

    public var text: String {
        var lines = phases.map { p in
            let name = p.name.count >= 44 ? p.name : p.name + String(repeating: " ", count: 44 - p.name.count)
            return name + String(format: "%8.1f ms  ", p.seconds * 1000) + (p.own ? "own" : "tools/IO")
        }
        lines.append(String(format: "own work %.1f ms, tools and file I/O %.1f ms", ownSeconds * 1000, otherSeconds * 1000))
        return lines.joined(separator: "\n")
    }
}
