import Foundation

/// The UART descriptions shipped with xen-board (`Data/descriptions/*.json`), checked, and the lookup the console
/// analysis and `gen` use: which description drives a node with these compatibles.
public enum UARTCatalog {
    /// Every shipped description, sorted by name; the first bad file is an error naming it.
    public static func shipped() throws(UARTDescriptionError) -> [ResolvedUART] {
        guard let dir = DataFiles.url("descriptions") else {
            throw UARTDescriptionError(file: "Data/descriptions", key: "", message: "the module's resources are missing")
        }
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).filter { $0.hasSuffix(".json") }.sorted()
        var out: [ResolvedUART] = []
        for n in names { out.append(try load(dir.appendingPathComponent(n))) }
        return out
    }

    /// Loads and checks one description file.
    public static func load(_ url: URL) throws(UARTDescriptionError) -> ResolvedUART {
        let d = try DataFiles.decode(UARTDescription.self, from: url)
        return try ResolvedUART(d, file: url.path)
    }

    /// Checks a description given as JSON text (`file` names it in errors).
    public static func parse(_ json: Data, file: String) throws(UARTDescriptionError) -> ResolvedUART {
        try ResolvedUART(try DataFiles.decode(UARTDescription.self, data: json, file: file), file: file)
    }

    /// The shipped description named `name` (`imx-uart`).
    public static func named(_ name: String) throws(UARTDescriptionError) -> ResolvedUART {
        let all = try shipped()
        guard let u = all.first(where: { $0.description.name == name }) else {
            throw UARTDescriptionError(file: "Data/descriptions", key: "", message: "no UART description '\(name)' (known: \(all.map(\.description.name).joined(separator: ", ")))")
        }
        return u
    }

    /// The shipped descriptions, read and checked once per process (nil when the data is bad: `shipped()` says
    /// why): the console analysis of every board looks here (`inspect --summary` analyses 1475 of them).
    static let cached: [ResolvedUART]? = try? shipped()

    /// The first shipped description with a compatible of the node, and that compatible (node order: the most
    /// specific compatible wins, as in Xen's `dt_match_node`).
    public static func description(for compatibles: [String]) -> (ResolvedUART, String)? {
        guard let all = cached else { return nil }
        for c in compatibles {
            if let u = all.first(where: { $0.description.compatibles.contains(c) }) { return (u, c) }
        }
        return nil
    }
}
