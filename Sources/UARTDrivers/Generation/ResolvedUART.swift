import Foundation
import Infrastructure

/// A description problem, naming the file and the JSON key path (`transmit.put[1].reg`).
public struct UARTDescriptionError: Error, CustomStringConvertible, Equatable, Sendable {
    public let file: String
    public let key: String
    public let message: String

    public init(file: String, key: String, message: String) {
        self.file = file
        self.key = key
        self.message = message
    }

    public var description: String { "\(file): \(key.isEmpty ? "" : "\(key): ")\(message)" }
}

/// A register of a resolved description: its byte offset and named bits as masks.
public struct ResolvedRegister: Sendable, Equatable {
    public let name: String
    public let offset: UInt32
    /// Name -> (shift, width).
    public let bits: [String: (shift: Int, width: Int)]

    public static func == (a: ResolvedRegister, b: ResolvedRegister) -> Bool {
        a.name == b.name && a.offset == b.offset && a.bits.keys.sorted() == b.keys
    }

    var keys: [String] { bits.keys.sorted() }

    public func mask(_ bit: String) -> UInt32? {
        guard let b = bits[bit] else { return nil }
        return Self.mask(shift: b.shift, width: b.width)
    }

    static func mask(shift: Int, width: Int) -> UInt32 {
        let ones: UInt64 = width >= 32 ? 0xffff_ffff : (UInt64(1) << UInt64(width)) - 1
        return UInt32(truncatingIfNeeded: ones << UInt64(shift))
    }
}

public struct ResolvedCondition: Sendable, Equatable {
    public let register: String
    public let offset: UInt32
    public let mask: UInt32
    public let test: UARTDescription.Condition.Test
    /// The bit names, for comments.
    public let bits: [String]
}

/// One checked operation with numbers resolved.
public enum ResolvedOperation: Sendable, Equatable {
    case write(register: String, offset: UInt32, value: UInt32, terms: [String])
    case modify(register: String, offset: UInt32, clear: UInt32, set: UInt32, terms: [String])
    case wait(ResolvedCondition, timeoutUs: Int)
    case writeChar(register: String, offset: UInt32, value: UInt32)
    case read(register: String, offset: UInt32)

    var writesChar: Bool { if case .writeChar = self { return true } else { return false } }
}

public struct ResolvedSource: Sendable, Equatable {
    public let kind: UARTDescription.InterruptSource.Kind
    public let status: (register: String, offset: UInt32, mask: UInt32)
    public let enable: (register: String, offset: UInt32, mask: UInt32)
    public let acknowledge: (register: String, offset: UInt32, mask: UInt32)?

    public static func == (a: ResolvedSource, b: ResolvedSource) -> Bool {
        a.kind == b.kind && a.status == b.status && a.enable == b.enable && a.acknowledge?.offset == b.acknowledge?.offset
            && a.acknowledge?.mask == b.acknowledge?.mask
    }
}

/// A description checked and with every name turned into a number: the generators' input. Construction fails with
/// an error naming the file and key of the first problem.
public struct ResolvedUART: Sendable {
    public let description: UARTDescription
    public let file: String
    public let registers: [String: ResolvedRegister]
    public let initialize: [ResolvedOperation]
    public let txReady: ResolvedCondition
    public let put: [ResolvedOperation]
    public let rxReady: ResolvedCondition
    public let rxBefore: [ResolvedOperation]
    public let rxData: ResolvedRegister
    public let rxCharacterMask: UInt32
    public let rxErrorMask: UInt32
    public let rxAfter: [ResolvedOperation]
    public let sources: [ResolvedSource]
    public let vuartData: UInt32
    public let vuartStatus: UInt32
    public let vuartReady: UInt32
    public let earlyReady: ResolvedCondition
    public let earlyTransmit: [ResolvedOperation]
    public let earlyInitialize: [ResolvedOperation]

    /// C identifier stem: `imx-uart` -> `xb_imx_uart`.
    public var symbol: String { "xb_" + description.name.replacingOccurrences(of: "-", with: "_") }
    public var macroPrefix: String { symbol.uppercased() }

    public init(_ d: UARTDescription, file: String) throws(UARTDescriptionError) {
        var r = Resolver(file: file)
        try r.checkHeader(d)
        registers = try r.registers(d.registers)
        description = d
        self.file = file
        initialize = try r.operations(d.initialize, key: "initialize")
        txReady = try r.condition(d.transmit.ready, key: "transmit.ready")
        put = try r.operations(d.transmit.put, key: "transmit.put")
        try r.requireOneCharWrite(put, key: "transmit.put")
        rxReady = try r.condition(d.receive.ready, key: "receive.ready")
        rxBefore = try r.operations(d.receive.before ?? [], key: "receive.before")
        rxData = try r.register(d.receive.data, key: "receive.data")
        if let c = d.receive.character { rxCharacterMask = try r.terms(c, in: rxData, key: "receive.character") } else { rxCharacterMask = 0xff }
        rxErrorMask = try r.terms(d.receive.errors ?? [], in: rxData, key: "receive.errors")
        rxAfter = try r.operations(d.receive.after ?? [], key: "receive.after")
        var sources: [ResolvedSource] = []
        for (i, s) in d.interrupts.enumerated() { sources.append(try r.source(s, key: "interrupts[\(i)]")) }
        self.sources = sources
        let vd = try r.register(d.vuart.data, key: "vuart.data"), vs = try r.register(d.vuart.status, key: "vuart.status")
        vuartData = vd.offset
        vuartStatus = vs.offset
        vuartReady = try r.terms(d.vuart.ready, in: vs, key: "vuart.ready")
        earlyReady = try r.condition(d.earlyPrintk.ready, key: "earlyPrintk.ready")
        earlyTransmit = try r.operations(d.earlyPrintk.transmit, key: "earlyPrintk.transmit")
        try r.requireOneCharWrite(earlyTransmit, key: "earlyPrintk.transmit")
        earlyInitialize = try r.operations(d.earlyPrintk.initialize ?? [], key: "earlyPrintk.initialize")
    }

    public var hasInterrupts: Bool { !sources.isEmpty }
    public func sources(_ kind: UARTDescription.InterruptSource.Kind) -> [ResolvedSource] { sources.filter { $0.kind == kind } }
}

/// Name and number checks shared by the resolution steps.
struct Resolver {
    let file: String
    var registers: [String: ResolvedRegister] = [:]
    var width = 32

    init(file: String) { self.file = file }

    func fail(_ key: String, _ message: String) -> UARTDescriptionError {
        UARTDescriptionError(file: file, key: key, message: message)
    }

    mutating func checkHeader(_ d: UARTDescription) throws(UARTDescriptionError) {
        let nameOK = !d.name.isEmpty && d.name.count <= 24 && d.name.first?.isLetter == true
            && d.name.unicodeScalars.allSatisfy { ($0 >= "a" && $0 <= "z") || ($0 >= "0" && $0 <= "9") || $0 == "-" }
        guard nameOK else { throw fail("name", "'\(d.name)' must be 1-24 lowercase letters, digits or '-', starting with a letter") }
        guard [8, 16, 32].contains(d.accessWidth) else { throw fail("accessWidth", "\(d.accessWidth) is not 8, 16 or 32") }
        width = d.accessWidth
        guard !d.compatibles.isEmpty else { throw fail("compatibles", "at least one compatible is needed") }
        for (i, c) in d.compatibles.enumerated() where c.isEmpty || c.contains("\"") || c.contains("\\") || c.count > 128 {
            throw fail("compatibles[\(i)]", "'\(c)' is not a usable compatible string")
        }
        guard (1...4096).contains(d.fifoDepth) else { throw fail("fifoDepth", "\(d.fifoDepth) is not in 1...4096") }
        guard (1...d.fifoDepth).contains(d.transmit.readyCount) else {
            throw fail("transmit.readyCount", "\(d.transmit.readyCount) is not in 1...fifoDepth (\(d.fifoDepth))")
        }
        guard !d.sources.isEmpty else { throw fail("sources", "say where the register facts come from") }
    }

    static func number(_ s: String) -> UInt64? { Numbers.optional(s) }

    static func isIdentifier(_ s: String) -> Bool {
        guard let f = s.unicodeScalars.first, (f >= "A" && f <= "Z") || (f >= "a" && f <= "z") else { return false }
        return s.count <= 32 && s.unicodeScalars.allSatisfy {
            ($0 >= "A" && $0 <= "Z") || ($0 >= "a" && $0 <= "z") || ($0 >= "0" && $0 <= "9") || $0 == "_"
        }
    }

    mutating func registers(_ regs: [String: UARTDescription.Register]) throws(UARTDescriptionError) -> [String: ResolvedRegister] {
        guard !regs.isEmpty else { throw fail("registers", "no registers") }
        let limit = UInt64(0x10000)
        for (name, reg) in regs.sorted(by: { $0.key < $1.key }) {
            let key = "registers.\(name)"
            guard Self.isIdentifier(name) else { throw fail(key, "register names are C identifiers (letters, digits, '_')") }
            guard let off = Self.number(reg.offset), off < limit else { throw fail(key + ".offset", "'\(reg.offset)' is not a number below 0x10000") }
            guard off % UInt64(width / 8) == 0 else { throw fail(key + ".offset", "\(reg.offset) is not aligned to the \(width)-bit access width") }
            var bits: [String: (shift: Int, width: Int)] = [:]
            for (b, spec) in (reg.bits ?? [:]) {
                guard Self.isIdentifier(b) else { throw fail("\(key).bits.\(b)", "bit names are C identifiers") }
                let (s, w): (Int, Int)
                switch spec {
                case .bit(let n): (s, w) = (n, 1)
                case .field(let sh, let wd): (s, w) = (sh, wd)
                }
                guard s >= 0, w >= 1, s + w <= width else {
                    throw fail("\(key).bits.\(b)", "bits \(s)..\(s + w - 1) do not fit a \(width)-bit register")
                }
                bits[b] = (s, w)
            }
            registers[name] = ResolvedRegister(name: name, offset: UInt32(off), bits: bits)
        }
        return registers
    }

    func register(_ name: String?, key: String) throws(UARTDescriptionError) -> ResolvedRegister {
        guard let name else { throw fail(key, "a register name is required") }
        guard let r = registers[name] else {
            throw fail(key, "unknown register '\(name)' (known: \(registers.keys.sorted().joined(separator: ", ")))")
        }
        return r
    }

    /// Terms OR'ed together: a bit or field name of `reg` (its whole mask), `FIELD=n`, or a number.
    func terms(_ terms: [String], in reg: ResolvedRegister, key: String) throws(UARTDescriptionError) -> UInt32 {
        var value: UInt64 = 0
        let limit: UInt64 = width == 32 ? 0xffff_ffff : (UInt64(1) << UInt64(width)) - 1
        for (i, t) in terms.enumerated() {
            let k = "\(key)[\(i)]"
            if let n = Self.number(t) {
                guard n <= limit else { throw fail(k, "\(t) does not fit a \(width)-bit register") }
                value |= n
            } else if let eq = t.firstIndex(of: "=") {
                let field = String(t[..<eq]), v = String(t[t.index(after: eq)...])
                guard let f = reg.bits[field] else { throw fail(k, "\(reg.name) has no field '\(field)'") }
                guard let n = Self.number(v), n < (UInt64(1) << UInt64(f.width)) else {
                    throw fail(k, "'\(v)' does not fit the \(f.width)-bit field \(reg.name).\(field)")
                }
                value |= n << UInt64(f.shift)
            } else if let m = reg.mask(t) {
                value |= UInt64(m)
            } else {
                let known = reg.bits.keys.sorted().joined(separator: ", ")
                throw fail(k, "\(reg.name) has no bit '\(t)'\(known.isEmpty ? "" : " (known: \(known))")")
            }
        }
        return UInt32(truncatingIfNeeded: value)
    }

    func condition(_ c: UARTDescription.Condition, key: String) throws(UARTDescriptionError) -> ResolvedCondition {
        let reg = try register(c.reg, key: key + ".reg")
        let mask = try terms(c.bits, in: reg, key: key + ".bits")
        guard mask != 0 else { throw fail(key + ".bits", "a condition needs at least one bit") }
        return ResolvedCondition(register: reg.name, offset: reg.offset, mask: mask, test: c.test, bits: c.bits)
    }

    func operations(_ ops: [UARTDescription.Operation], key: String) throws(UARTDescriptionError) -> [ResolvedOperation] {
        var out: [ResolvedOperation] = []
        for (i, op) in ops.enumerated() { out.append(try operation(op, key: "\(key)[\(i)]")) }
        return out
    }

    func operation(_ op: UARTDescription.Operation, key: String) throws(UARTDescriptionError) -> ResolvedOperation {
        switch op.op {
        case .wait:
            guard let until = op.until else { throw fail(key + ".until", "a wait needs an 'until' condition") }
            let t = op.timeoutUs ?? 10_000
            guard (1...1_000_000).contains(t) else { throw fail(key + ".timeoutUs", "\(t) is not in 1...1000000") }
            return .wait(try condition(until, key: key + ".until"), timeoutUs: t)
        case .read:
            let reg = try register(op.reg, key: key + ".reg")
            return .read(register: reg.name, offset: reg.offset)
        case .write, .writeChar:
            let reg = try register(op.reg, key: key + ".reg")
            let v = try terms(op.value ?? [], in: reg, key: key + ".value")
            if op.op == .writeChar { return .writeChar(register: reg.name, offset: reg.offset, value: v) }
            return .write(register: reg.name, offset: reg.offset, value: v, terms: op.value ?? [])
        case .modify, .keep:
            let reg = try register(op.reg, key: key + ".reg")
            let set = try terms(op.set ?? [], in: reg, key: key + ".set")
            let clear: UInt32
            if op.op == .keep {
                clear = ~(try terms(op.bits ?? [], in: reg, key: key + ".bits"))
            } else {
                clear = try terms(op.clear ?? [], in: reg, key: key + ".clear")
            }
            guard set != 0 || clear != 0 else { throw fail(key, "a \(op.op.rawValue) that changes no bit") }
            let terms = (op.set ?? []).map { "+" + $0 } + (op.op == .keep ? (op.bits ?? []).map { "keep " + $0 } : (op.clear ?? []).map { "-" + $0 })
            return .modify(register: reg.name, offset: reg.offset, clear: clear, set: set, terms: terms)
        }
    }

    func requireOneCharWrite(_ ops: [ResolvedOperation], key: String) throws(UARTDescriptionError) {
        let n = ops.filter(\.writesChar).count
        guard n == 1 else { throw fail(key, "needs exactly one 'writeChar' step, has \(n)") }
    }

    func bitSet(_ b: UARTDescription.BitSet, key: String) throws(UARTDescriptionError) -> (register: String, offset: UInt32, mask: UInt32) {
        let reg = try register(b.reg, key: key + ".reg")
        let mask = try terms(b.bits, in: reg, key: key + ".bits")
        guard mask != 0 else { throw fail(key + ".bits", "no bits") }
        return (reg.name, reg.offset, mask)
    }

    func source(_ s: UARTDescription.InterruptSource, key: String) throws(UARTDescriptionError) -> ResolvedSource {
        var ack: (register: String, offset: UInt32, mask: UInt32)?
        if let a = s.acknowledge { ack = try bitSet(a, key: key + ".acknowledge") }
        return ResolvedSource(kind: s.kind, status: try bitSet(s.status, key: key + ".status"), enable: try bitSet(s.enable, key: key + ".enable"),
                              acknowledge: ack)
    }
}
