import XenArm

extension ConsoleAnalysis {
    /// Blocker codes a generated driver settles: Xen has no (usable) driver for the console.
    static let settledByGeneratedDriver: Set<FindingCode> = [.consoleNoXenDriver, .consoleDriverWrongArch]

    /// This analysis with the console driven by a driver generated from its UART description, when Xen has none
    /// for this architecture (`auto`) or always (`generated`); unchanged when no description matches.
    func withGeneratedDriver(arch: Architecture, preference: ConsoleDriverPreference) -> ConsoleAnalysis {
        guard verdict == .unsupported || preference == .generated, path != nil,
              let (uart, compatible) = UARTCatalog.description(for: self.compatible),
              let port = UARTDriverPort.shipped(uart, xen: xenVersion.rawValue) else { return self }
        var findings = self.findings.filter { !Self.settledByGeneratedDriver.contains($0.code) }
        var early: [String] = []
        if let base = baseAddress, port.earlyPrintkArchitectures.contains(arch) {
            if arch == .arm32 && base > 0xffff_ffff {
                if !findings.contains(where: { $0.code == .earlyPrintkBaseAbove4g }) {
                    findings.append(.warning(.earlyPrintkBaseAbove4g, "early printk needs a 32-bit UART base on arm32; \(hex(base)) is above 4 GiB"))
                }
            } else {
                early = ["CONFIG_\(port.earlyPrintkChoice)=y", "CONFIG_EARLY_UART_BASE_ADDRESS=\(hex(base))"]
            }
        }
        let why = verdict == .supported ? "[xen] uart-driver = \"generated\" replaces Xen's \(xenDriver ?? "own") driver" : "no Xen \(xenVersion) \(arch.rawValue) driver"
        let detail = "\(why): xen-board generates \(port.kconfigSymbol) from the \"\(uart.description.name)\" UART description (matches \"\(compatible)\")"
        findings.append(.warning(.consoleGeneratedDriver, "console \(path ?? ""): \(detail); Xen must be built from source (`build --xen source`)"))
        var out = ConsoleAnalysis(path: path, compatible: self.compatible, source: source, baseAddress: baseAddress, size: size,
                                  driver: nil, matchedCompatible: compatible, regShift: 0, regIoWidth: max(1, uart.description.accessWidth / 8), interruptSPI: interruptSPI,
                                  verdict: .generatedDriver, detail: detail, dtuart: dtuart, earlyPrintk: early,
                                  findings: findings)
        out.generatedDriver = uart.description.name
        out.xenVersion = xenVersion
        return out
    }
}
