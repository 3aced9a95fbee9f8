import Foundation
import XenArm

/// What differs between Xen versions for a generated UART driver (file paths, Kconfig anchors, the DT address call),
/// as data (`Data/xen/xen-<version>.json`), so a new Xen version is a new file, not new code.
public struct XenLayout: Codable, Sendable, Equatable {
    public var version: String
    /// Where these facts were read.
    public var source: String
    public var driverDirectory: String
    public var driverKconfig: String
    public var driverMakefile: String
    public var debugKconfig: String
    /// Where `debug-*.inc` files live, per architecture (`arm32` / `arm64`).
    public var earlyIncludeDirectory: [String: String]
    /// The end of Kconfig.debug's `choice "Early printk"` (the first `endchoice`): new choice entries go before it.
    public var earlyChoiceEnd: String
    /// The `config EARLY_PRINTK` line: new `EARLY_UART_*` symbols go before it.
    public var earlyPrintkSymbol: String
    /// The head of `config EARLY_PRINTK_INC`: new `default "debug-*.inc"` lines go after it.
    public var earlyIncludeDefaults: String
    /// The C call that reads the node's first `reg` into `addr` and `size`.
    public var addressCall: String
    public var addressType: String
    /// An extra scratch register a multi-step `early_uart_transmit` may use: `r12` (arm32), a number `16` (arm64, x16).
    public var earlyScratch: [String: String]
    public var earlyScratchWhy: String
    /// Whether IRQ handlers and `serial_rx_interrupt`/`serial_tx_interrupt` take `struct cpu_user_regs *regs`
    /// (xen/include/xen/irq.h, serial.h): 4.17 yes, 4.20 no. Absent: yes.
    public var interruptRegs: Bool?

    public func includeDirectory(_ arch: Architecture) -> String { earlyIncludeDirectory[arch.rawValue] ?? "" }
    public func scratch(_ arch: Architecture) -> String { earlyScratch[arch.rawValue] ?? "" }

    /// The layouts shipped with xen-board, by version (`4.17`).
    public static func shipped(_ version: String) throws -> XenLayout {
        let name = "xen-" + version
        guard let url = DataFiles.url("xen/" + name + ".json") else {
            throw UARTDescriptionError(file: "Data/xen/\(name).json", key: "", message: "xen-board has no layout for Xen \(version)")
        }
        return try DataFiles.decode(XenLayout.self, from: url)
    }
}

/// The data files shipped in this module's resources (`Data/`).
enum DataFiles {
    static var root: URL? { Bundle.module.resourceURL?.appendingPathComponent("Data", isDirectory: true) }

    static func url(_ relative: String) -> URL? {
        guard let u = root?.appendingPathComponent(relative), FileManager.default.fileExists(atPath: u.path) else { return nil }
        return u
    }

    /// Decodes a JSON file; errors name the file and the key path.
    static func decode<T: Decodable>(_ type: T.Type, from url: URL) throws(UARTDescriptionError) -> T {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw UARTDescriptionError(file: url.path, key: "", message: "cannot be read")
        }
        return try decode(type, data: data, file: url.path)
    }

    static func decode<T: Decodable>(_ type: T.Type, data: Data, file: String) throws(UARTDescriptionError) -> T {
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch let DecodingError.keyNotFound(key, ctx) {
            throw UARTDescriptionError(file: file, key: path(ctx.codingPath), message: "missing key '\(key.stringValue)'")
        } catch let DecodingError.typeMismatch(_, ctx), let DecodingError.valueNotFound(_, ctx) {
            throw UARTDescriptionError(file: file, key: path(ctx.codingPath), message: ctx.debugDescription)
        } catch let DecodingError.dataCorrupted(ctx) {
            let detail = (ctx.underlyingError as NSError?)?.userInfo["NSDebugDescription"] as? String
            throw UARTDescriptionError(file: file, key: path(ctx.codingPath), message: detail ?? ctx.debugDescription)
        } catch {
            throw UARTDescriptionError(file: file, key: "", message: "\(error)")
        }
    }

    static func path(_ keys: [CodingKey]) -> String {
        var s = ""
        for k in keys {
            if let i = k.intValue { s += "[\(i)]" } else { s += (s.isEmpty ? "" : ".") + k.stringValue }
        }
        return s
    }
}
