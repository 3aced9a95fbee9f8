/// Integers, floats, booleans and date-times: the value is read as one run of characters, then classified.
extension TOMLScanner {
    mutating func parseScalar() throws -> TOMLNode {
        let line = self.line
        let token = readScalarToken()
        guard !token.isEmpty else { throw fail("expected a value, found \(describeNext())") }
        let text = String(decoding: token, as: UTF8.self)
        if text == "true" { return .boolean(true) }
        if text == "false" { return .boolean(false) }
        if let dt = try TOMLDateTimeParser.parse(token, fail: { fail($0, line: line) }) { return .datetime(dt) }
        if let i = try TOMLNumberParser.integer(token, fail: { fail($0, line: line) }) { return .integer(i) }
        if let f = TOMLNumberParser.float(token) { return .float(f) }
        throw fail("'\(text)' is not a valid value (strings need quotes; numbers, true/false and dates are written bare)", line: line)
    }

    /// Letters, digits and `_ + - . :`; the space between a date and a time (`1979-05-27 07:32:00`) is included.
    private mutating func readScalarToken() -> [UInt8] {
        var token: [UInt8] = []
        while let b = peek {
            if TOMLScanner.isScalarByte(b) {
                token.append(b)
                advance()
            } else if b == 0x20, TOMLDateTimeParser.isFullDate(token), let h = peek(at: 1), let h2 = peek(at: 2),
                      TOMLNumberParser.isDigit(h), TOMLNumberParser.isDigit(h2), peek(at: 3) == UInt8(ascii: ":") {
                token.append(UInt8(ascii: "T"))
                advance()
            } else {
                break
            }
        }
        return token
    }

    static func isScalarByte(_ b: UInt8) -> Bool {
        isBareKeyByte(b) || b == UInt8(ascii: "+") || b == UInt8(ascii: ".") || b == UInt8(ascii: ":")
    }
}

enum TOMLNumberParser {
    static func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }

    /// Digits with single `_` between digits only; `valid` says which bytes are digits.
    static func digits(_ s: ArraySlice<UInt8>, _ valid: (UInt8) -> Bool) -> String? {
        guard let first = s.first, let last = s.last, valid(first), valid(last) else { return nil }
        var out = ""
        var previousUnderscore = false
        for b in s {
            if b == UInt8(ascii: "_") {
                if previousUnderscore { return nil }
                previousUnderscore = true
            } else {
                guard valid(b) else { return nil }
                previousUnderscore = false
                out.append(Character(Unicode.Scalar(b)))
            }
        }
        return out
    }

    /// nil when the token is not integer-shaped; an error when it is but does not fit in 64 bits.
    static func integer(_ t: [UInt8], fail: (String) -> TOMLError) throws -> Int64? {
        let text = String(decoding: t, as: UTF8.self)
        let prefixes: [(String, Int, (UInt8) -> Bool)] = [
            ("0x", 16, { TOMLScanner.hexValue($0) != nil }), ("0o", 8, { $0 >= 0x30 && $0 <= 0x37 }), ("0b", 2, { $0 == 0x30 || $0 == 0x31 }),
        ]
        for (prefix, radix, valid) in prefixes where text.hasPrefix(prefix) {
            guard let d = digits(t.dropFirst(2), valid) else { return nil }
            guard let v = Int64(d, radix: radix) else { throw fail("integer \(text) does not fit in 64 bits") }
            return v
        }
        var body = t[...]
        var sign = ""
        if let f = body.first, f == UInt8(ascii: "+") || f == UInt8(ascii: "-") {
            sign = f == UInt8(ascii: "-") ? "-" : ""
            body = body.dropFirst()
        }
        guard let d = digits(body, isDigit) else { return nil }
        guard d == "0" || !d.hasPrefix("0") else { throw fail("integer \(text) has a leading zero") }
        guard let v = Int64(sign + d) else { throw fail("integer \(text) does not fit in 64 bits") }
        return v
    }

    /// A TOML float: decimal integer part, then a fraction and/or an exponent; or inf / nan with an optional sign.
    static func float(_ t: [UInt8]) -> Double? {
        var body = t[...]
        var negative = false
        if let f = body.first, f == UInt8(ascii: "+") || f == UInt8(ascii: "-") {
            negative = f == UInt8(ascii: "-")
            body = body.dropFirst()
        }
        let word = String(decoding: body, as: UTF8.self)
        if word == "inf" { return negative ? -.infinity : .infinity }
        if word == "nan" { return .nan }
        let exponentAt = body.firstIndex { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }
        let mantissa = body[..<(exponentAt ?? body.endIndex)]
        let dot = mantissa.firstIndex(of: UInt8(ascii: "."))
        guard let intPart = digits(mantissa[..<(dot ?? mantissa.endIndex)], isDigit), intPart == "0" || !intPart.hasPrefix("0") else { return nil }
        var text = (negative ? "-" : "") + intPart
        if let dot {
            guard let frac = digits(mantissa[mantissa.index(after: dot)...], isDigit) else { return nil }
            text += "." + frac
        }
        if let e = exponentAt {
            var exp = body[body.index(after: e)...]
            var expSign = ""
            if let f = exp.first, f == UInt8(ascii: "+") || f == UInt8(ascii: "-") {
                expSign = f == UInt8(ascii: "-") ? "-" : ""
                exp = exp.dropFirst()
            }
            guard let ed = digits(exp, isDigit) else { return nil }
            text += "e" + expSign + ed
        }
        guard dot != nil || exponentAt != nil else { return nil }
        return Double(text)
    }
}

/// RFC 3339 date-times as TOML 1.0 allows them (seconds required, fraction optional, `T`, `t` or space).
enum TOMLDateTimeParser {
    static func isFullDate(_ t: [UInt8]) -> Bool {
        t.count == 10 && t[4] == UInt8(ascii: "-") && t[7] == UInt8(ascii: "-") && [0, 1, 2, 3, 5, 6, 8, 9].allSatisfy { TOMLNumberParser.isDigit(t[$0]) }
    }

    private static func number(_ t: ArraySlice<UInt8>) -> Int? {
        guard !t.isEmpty, t.allSatisfy(TOMLNumberParser.isDigit) else { return nil }
        return Int(String(decoding: t, as: UTF8.self))
    }

    /// nil when the token is not date/time-shaped (no `-` at 4 or `:` at 2); an error when it is but is invalid.
    static func parse(_ t: [UInt8], fail: (String) -> TOMLError) throws -> TOMLDateTime? {
        let text = String(decoding: t, as: UTF8.self)
        let looksLikeDate = t.count >= 5 && t[4] == UInt8(ascii: "-") && t[0..<4].allSatisfy(TOMLNumberParser.isDigit)
        let looksLikeTime = t.count >= 3 && t[2] == UInt8(ascii: ":") && t[0..<2].allSatisfy(TOMLNumberParser.isDigit)
        guard looksLikeDate || looksLikeTime else { return nil }
        let bad = fail("'\(text)' is not a valid date-time (RFC 3339, e.g. 1979-05-27T07:32:00Z, 1979-05-27 or 07:32:00)")
        if looksLikeTime {
            guard try checkTime(t[...], bad) == t.endIndex else { throw bad }
            return TOMLDateTime(kind: .localTime, text: text)
        }
        guard t.count >= 10, isFullDate(Array(t[0..<10])), let y = number(t[0..<4]), let m = number(t[5..<7]), let d = number(t[8..<10]),
              (1...12).contains(m), (1...daysIn(month: m, year: y)).contains(d) else { throw bad }
        if t.count == 10 { return TOMLDateTime(kind: .localDate, text: text) }
        guard t[10] == UInt8(ascii: "T") || t[10] == UInt8(ascii: "t") else { throw bad }
        let afterTime = try checkTime(t[11...], bad)
        var normal = Array(t)
        normal[10] = UInt8(ascii: "T")
        if afterTime == t.endIndex { return TOMLDateTime(kind: .localDateTime, text: String(decoding: normal, as: UTF8.self)) }
        let offset = t[afterTime...]
        if offset.count == 1, offset.first == UInt8(ascii: "Z") || offset.first == UInt8(ascii: "z") {
            normal[afterTime] = UInt8(ascii: "Z")
        } else {
            guard offset.count == 6, let s = offset.first, s == UInt8(ascii: "+") || s == UInt8(ascii: "-"),
                  offset[afterTime + 3] == UInt8(ascii: ":"), let oh = number(offset[(afterTime + 1)..<(afterTime + 3)]),
                  let om = number(offset[(afterTime + 4)...]), oh < 24, om < 60 else { throw bad }
        }
        return TOMLDateTime(kind: .offsetDateTime, text: String(decoding: normal, as: UTF8.self))
    }

    /// HH:MM:SS(.fraction)? at the start of `t`; returns the index after it.
    private static func checkTime(_ t: ArraySlice<UInt8>, _ bad: TOMLError) throws -> Int {
        let s = t.startIndex
        guard t.count >= 8, t[s + 2] == UInt8(ascii: ":"), t[s + 5] == UInt8(ascii: ":"),
              let h = number(t[s..<(s + 2)]), let m = number(t[(s + 3)..<(s + 5)]), let sec = number(t[(s + 6)..<(s + 8)]),
              h < 24, m < 60, sec <= 60 else { throw bad }
        var end = s + 8
        if end < t.endIndex, t[end] == UInt8(ascii: ".") {
            end += 1
            let digitsStart = end
            while end < t.endIndex, TOMLNumberParser.isDigit(t[end]) { end += 1 }
            guard end > digitsStart else { throw bad }
        }
        return end
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
