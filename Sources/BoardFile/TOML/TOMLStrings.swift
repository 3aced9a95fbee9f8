/// Strings: basic "…", multi-line basic """…""", literal '…' and multi-line literal '''…'''.
extension TOMLScanner {
    /// A string starts at the cursor (any of the four kinds).
    var atString: Bool { peek == UInt8(ascii: "\"") || peek == UInt8(ascii: "'") }

    mutating func parseString() throws -> String {
        if consume("\"\"\"") { return try parseMultiLine(quote: UInt8(ascii: "\""), escapes: true) }
        if consume("'''") { return try parseMultiLine(quote: UInt8(ascii: "'"), escapes: false) }
        if consume(UInt8(ascii: "\"")) { return try parseSingleLine(quote: UInt8(ascii: "\""), escapes: true) }
        if consume(UInt8(ascii: "'")) { return try parseSingleLine(quote: UInt8(ascii: "'"), escapes: false) }
        throw fail("expected a string, found \(describeNext())")
    }

    private mutating func parseSingleLine(quote: UInt8, escapes: Bool) throws -> String {
        var out: [UInt8] = []
        while let b = peek {
            if b == quote { advance(); return try decoded(out) }
            if b == 0x0a || b == 0x0d { throw fail("newline in a single-line string (use \"\"\" or ''' for multi-line strings)") }
            if TOMLScanner.isControl(b) { throw fail("control character \(TOMLScanner.hex(b)) in a string (escape it)") }
            if escapes && b == UInt8(ascii: "\\") {
                advance()
                out += try parseEscape()
            } else {
                out.append(b)
                advance()
            }
        }
        throw fail("unterminated string")
    }

    private mutating func parseMultiLine(quote: UInt8, escapes: Bool) throws -> String {
        var out: [UInt8] = []
        // A newline right after the opening delimiter is trimmed.
        _ = try consumeNewline()
        while let b = peek {
            if b == quote {
                var run = 0
                while peek(at: run) == quote { run += 1 }
                if run >= 3 {
                    guard run <= 5 else { throw fail("too many quotes closing a multi-line string") }
                    out += Array(repeating: quote, count: run - 3)
                    advance(by: run)
                    return try decoded(out)
                }
                out += Array(repeating: quote, count: run)
                advance(by: run)
            } else if b == 0x0a || b == 0x0d {
                _ = try consumeNewline()
                out.append(0x0a)
            } else if TOMLScanner.isControl(b) {
                throw fail("control character \(TOMLScanner.hex(b)) in a string (escape it)")
            } else if escapes && b == UInt8(ascii: "\\") {
                advance()
                if try !skipLineEndingBackslash() { out += try parseEscape() }
            } else {
                out.append(b)
                advance()
            }
        }
        throw fail("unterminated multi-line string")
    }

    /// `\` followed by optional whitespace and a newline: trims up to the next non-whitespace character.
    private mutating func skipLineEndingBackslash() throws -> Bool {
        var n = 0
        while let b = peek(at: n), b == 0x20 || b == 0x09 { n += 1 }
        guard peek(at: n) == 0x0a || (peek(at: n) == 0x0d && peek(at: n + 1) == 0x0a) else { return false }
        advance(by: n)
        while true {
            skipWhitespace()
            if try !consumeNewline() { return true }
        }
    }

    private mutating func parseEscape() throws -> [UInt8] {
        guard let e = peek else { throw fail("unterminated escape sequence") }
        advance()
        switch e {
        case UInt8(ascii: "b"): return [0x08]
        case UInt8(ascii: "t"): return [0x09]
        case UInt8(ascii: "n"): return [0x0a]
        case UInt8(ascii: "f"): return [0x0c]
        case UInt8(ascii: "r"): return [0x0d]
        case UInt8(ascii: "\""): return [0x22]
        case UInt8(ascii: "\\"): return [0x5c]
        case UInt8(ascii: "u"): return try parseUnicodeEscape(digits: 4)
        case UInt8(ascii: "U"): return try parseUnicodeEscape(digits: 8)
        default: throw fail("unknown escape sequence '\\\(e >= 0x20 && e < 0x7f ? String(Character(Unicode.Scalar(e))) : TOMLScanner.hex(e))'")
        }
    }

    private mutating func parseUnicodeEscape(digits: Int) throws -> [UInt8] {
        var value: UInt32 = 0
        for _ in 0..<digits {
            guard let b = peek, let d = TOMLScanner.hexValue(b) else { throw fail("\\u needs \(digits) hexadecimal digits") }
            value = value << 4 | UInt32(d)
            advance()
        }
        guard let scalar = Unicode.Scalar(value) else { throw fail("\\u escape \(String(value, radix: 16)) is not a Unicode scalar value") }
        return Array(String(Character(scalar)).utf8)
    }

    private func decoded(_ bytes: [UInt8]) throws -> String {
        // The input was validated as UTF-8 and escapes produce scalars, so this only fails on a bug.
        guard let s = String(validating: bytes, as: UTF8.self) else { throw fail("string is not UTF-8") }
        return s
    }

    static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return b - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return b - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return b - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    static func isBareKeyByte(_ b: UInt8) -> Bool {
        (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z")) || (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z"))
            || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) || b == UInt8(ascii: "-") || b == UInt8(ascii: "_")
    }

    /// A key: bare or quoted parts joined by dots (whitespace around the dots allowed).
    mutating func parseKey() throws -> [String] {
        var parts: [String] = []
        while true {
            skipWhitespace()
            if atString {
                if peek(at: 1) == peek && peek(at: 2) == peek { throw fail("a key cannot be a multi-line string") }
                parts.append(try parseString())
            } else {
                let start = position
                while let b = peek, TOMLScanner.isBareKeyByte(b) { advance() }
                guard position > start else { throw fail("expected a key, found \(describeNext())") }
                parts.append(String(decoding: bytes[start..<position], as: UTF8.self))
            }
            skipWhitespace()
            if !consume(UInt8(ascii: ".")) { return parts }
        }
    }
}
