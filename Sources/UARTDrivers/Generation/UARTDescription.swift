import Foundation

/// A UART family's register interface as data (`Descriptions/*.json`): everything the driver generator needs and
/// nothing Xen-specific. Each description records where its register facts were read (`sources`).
/// The JSON keeps numbers as strings (`"0x94"`) so hex offsets stay readable; `ResolvedUART` checks them.
public struct UARTDescription: Codable, Sendable, Equatable {
    /// Short name, lowercase letters, digits and `-` (`imx-uart`): file names and C identifiers derive from it.
    public var name: String
    public var title: String
    /// Where each register fact comes from (document, driver source and version).
    public var sources: [String]
    /// `dt_match` compatibles, most generic last is fine: Xen matches any of them.
    public var compatibles: [String]
    /// Register access width in bits: 8, 16 or 32.
    public var accessWidth: Int
    /// Characters the TX FIFO holds when empty (what `tx_ready` reports).
    public var fifoDepth: Int
    public var registers: [String: Register]
    /// `init_preirq`, after which the UART transmits and receives with the firmware's baud rate.
    public var initialize: [Operation]
    public var transmit: Transmit
    public var receive: Receive
    /// Interrupt sources; empty: the driver always polls.
    public var interrupts: [InterruptSource]
    public var vuart: VUART
    public var earlyPrintk: EarlyPrintk

    public struct Register: Codable, Sendable, Equatable {
        public var offset: String
        /// Bit name -> bit number, or field name -> [shift, width].
        public var bits: [String: BitSpec]?
        public var note: String?
    }

    /// One bit (`9`) or a field (`[27, 5]`: shift 27, 5 bits wide).
    public enum BitSpec: Codable, Sendable, Equatable {
        case bit(Int)
        case field(shift: Int, width: Int)

        public init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let n = try? c.decode(Int.self) { self = .bit(n); return }
            let pair = try c.decode([Int].self)
            guard pair.count == 2 else {
                throw DecodingError.dataCorruptedError(in: c, debugDescription: "a field is [shift, width], got \(pair.count) numbers")
            }
            self = .field(shift: pair[0], width: pair[1])
        }

        public func encode(to encoder: Encoder) throws {
            var c = encoder.singleValueContainer()
            switch self {
            case .bit(let n): try c.encode(n)
            case .field(let s, let w): try c.encode([s, w])
            }
        }
    }

    /// A register condition: `all` = every named bit set, `none` = all clear, `any` = at least one set (or a field
    /// non-zero).
    public struct Condition: Codable, Sendable, Equatable {
        public var reg: String
        public var bits: [String]
        public var test: Test
        public enum Test: String, Codable, Sendable { case all, none, any }
    }

    /// One register operation. `op` decides which other keys apply:
    /// - `write` reg value: store `value` (terms OR'ed together);
    /// - `modify` reg [clear] [set]: read, clear the `clear` terms, set the `set` terms, store;
    /// - `keep` reg bits [set]: read, keep only `bits`, set `set`, store;
    /// - `wait` until(Condition) [timeoutUs]: poll until the condition holds (bounded in C, unbounded in early printk);
    /// - `writeChar` reg [value]: store the character (OR'ed with `value`);
    /// - `read` reg: read and discard (clears some status registers).
    public struct Operation: Codable, Sendable, Equatable {
        public var op: Kind
        public var reg: String?
        public var value: [String]?
        public var set: [String]?
        public var clear: [String]?
        public var bits: [String]?
        public var until: Condition?
        public var timeoutUs: Int?
        public var why: String?
        public enum Kind: String, Codable, Sendable { case write, modify, keep, wait, writeChar, read }
    }

    public struct Transmit: Codable, Sendable, Equatable {
        /// When the UART takes `readyCount` more characters without waiting (`tx_ready`).
        public var ready: Condition
        public var readyCount: Int
        /// `putc`: the steps that send one character (one `writeChar`).
        public var put: [Operation]
    }

    public struct Receive: Codable, Sendable, Equatable {
        /// A character is waiting.
        public var ready: Condition
        /// Steps before reading the data register (e.g. clearing latched status).
        public var before: [Operation]?
        public var data: String
        /// Bits of the data register that hold the character (a field or bit names); default the low 8 bits.
        public var character: [String]?
        /// Bits of the value read that mark a bad character: it is dropped.
        public var errors: [String]?
        /// Steps after the read (e.g. clearing an overrun flag).
        public var after: [Operation]?
    }

    /// An interrupt cause: pending when `status` has any of its bits (and, with `enable`, the source is enabled).
    public struct InterruptSource: Codable, Sendable, Equatable {
        public var kind: Kind
        public var status: BitSet
        /// Enable bits (set to unmask). Always given, so the generator can mask everything in `init_preirq`.
        public var enable: BitSet
        /// Written with the pending bits to acknowledge; absent: the cause clears itself (FIFO read or written).
        public var acknowledge: BitSet?
        public enum Kind: String, Codable, Sendable { case rx, tx, error }
    }

    public struct BitSet: Codable, Sendable, Equatable {
        public var reg: String
        public var bits: [String]
    }

    /// What Dom0's early console may poke (Xen's `vuart_info`): data register, status register and its ready value.
    public struct VUART: Codable, Sendable, Equatable {
        public var data: String
        public var status: String
        public var ready: [String]
    }

    /// Early printk: `ready` must be free of side effects (Xen calls it without a character to flush);
    /// `transmit` sends the character (one `writeChar`); `initialize` is optional.
    public struct EarlyPrintk: Codable, Sendable, Equatable {
        public var ready: Condition
        public var transmit: [Operation]
        public var initialize: [Operation]?
    }
}
