/// UARTs Xen 4.17 has no `dt_match` entry for but whose registers an existing driver already handles, where
/// xen-board has no variant patch (`Data/variants`, checked first, gives those the `compatible-added` verdict): the
/// port needs a tree change, which stays a blocker with this advice. Data, not logic.
public struct RegisterCompatibility: Sendable, Equatable {
    /// Compatible, where `*` matches any run of characters.
    public let pattern: String
    public let driver: String
    /// What differs and what to do about it.
    public let quirk: String

    public func matches(_ compatible: String) -> Bool { glob(pattern[...], compatible[...]) }

    private func glob(_ p: Substring, _ s: Substring) -> Bool {
        guard let star = p.firstIndex(of: "*") else { return p == s }
        let head = p[..<star], rest = p[p.index(after: star)...]
        guard s.hasPrefix(head) else { return false }
        var tail = s.dropFirst(head.count)
        while true {
            if glob(rest, tail) { return true }
            if tail.isEmpty { return false }
            tail = tail.dropFirst()
        }
    }

    public static let table: [RegisterCompatibility] = [
        .init(pattern: "arm,sbsa-uart", driver: "pl011",
              quirk: "SBSA generic UART is a PL011 subset; Xen 4.17 matches it only through ACPI SPCR: add \"arm,pl011\" to the node's compatible, and keep firmware's baud setting"),
        .init(pattern: "ti,omap*-uart", driver: "ns16550",
              quirk: "OMAP UART is 8250-compatible with a 4-byte stride; Xen's omap driver is arm32-only: add \"ns16550a\" with reg-shift = <2>, reg-io-width = <4>"),
        .init(pattern: "mediatek,mt*-uart", driver: "ns16550",
              quirk: "16550-compatible with 32-bit registers: add \"ns16550a\" with reg-shift = <2> and reg-io-width = <4>"),
        .init(pattern: "nvidia,tegra*-uart", driver: "ns16550",
              quirk: "Tegra UART is 16550-compatible with a 4-byte stride: add \"ns16550a\" with reg-shift = <2>"),
        .init(pattern: "intel,xscale-uart", driver: "ns16550", quirk: "16550 with reg-shift = <2>: add \"ns16550a\""),
        .init(pattern: "mrvl,pxa-uart", driver: "ns16550", quirk: "16550 with reg-shift = <2>: add \"ns16550a\""),
        .init(pattern: "ti,da830-uart", driver: "ns16550", quirk: "16550 with reg-shift = <2>: add \"ns16550a\""),
        .init(pattern: "altr,16550-FIFO*", driver: "ns16550", quirk: "16550: add \"ns16550a\""),
        .init(pattern: "ns8250", driver: "ns16550", quirk: "8250 register set: add \"ns16550\""),
        .init(pattern: "ns16450", driver: "ns16550", quirk: "16450 register set: add \"ns16550\""),
        .init(pattern: "ns16750", driver: "ns16550", quirk: "16750 (16550 superset): add \"ns16550a\""),
        .init(pattern: "ns16850", driver: "ns16550", quirk: "16850 (16550 superset): add \"ns16550a\""),
        .init(pattern: "xlnx,xuartps", driver: "cadence", quirk: "Cadence UART r1p8: add \"cdns,uart-r1p8\""),
        .init(pattern: "amlogic,meson-*-uart", driver: "meson", quirk: "Meson UART: add \"amlogic,meson-gx-uart\""),
        .init(pattern: "renesas,*scif*", driver: "scif", quirk: "SCIF family: add the generic \"renesas,scif\" (or scifa/hscif) compatible"),
        .init(pattern: "samsung,exynos*-uart", driver: "exynos4210",
              quirk: "Samsung UART register set of the exynos4210 driver, which Xen 4.17 builds for arm32 only"),
        .init(pattern: "apple,s5l-uart", driver: "exynos4210",
              quirk: "Samsung-style UART; the exynos4210 driver is arm32-only in Xen 4.17"),
    ]

    public static func lookup(_ compatibles: [String]) -> (RegisterCompatibility, String)? {
        for c in compatibles {
            if let entry = table.first(where: { $0.matches(c) }) { return (entry, c) }
        }
        return nil
    }
}
