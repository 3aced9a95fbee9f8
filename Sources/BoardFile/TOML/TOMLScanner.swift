/// A cursor over the UTF-8 bytes of a TOML document that knows its line (LF or CRLF ends a line).
struct TOMLScanner {
    let bytes: [UInt8]
    let file: String
    private(set) var position = 0
    private(set) var line = 1

    /// - Throws: when `bytes` is not UTF-8, naming the line of the first bad byte.
    init(bytes: [UInt8], file: String) throws {
        self.bytes = bytes
        self.file = file
        if String(validating: bytes, as: UTF8.self) == nil {
            let line = TOMLScanner.lineOfFirstInvalidUTF8(bytes)
            throw TOMLError(file: file, line: line, message: "not UTF-8 text (TOML files are UTF-8)")
        }
    }

    var atEnd: Bool { position >= bytes.count }
    var peek: UInt8? { position < bytes.count ? bytes[position] : nil }

    func peek(at offset: Int) -> UInt8? {
        let p = position + offset
        return p >= 0 && p < bytes.count ? bytes[p] : nil
    }

    func fail(_ message: String) -> TOMLError { TOMLError(file: file, line: line, message: message) }
    func fail(_ message: String, line: Int) -> TOMLError { TOMLError(file: file, line: line, message: message) }

    /// Moves over one byte (counting lines).
    mutating func advance() {
        guard position < bytes.count else { return }
        if bytes[position] == UInt8(ascii: "\n") { line += 1 }
        position += 1
    }

    mutating func advance(by n: Int) { for _ in 0..<n { advance() } }

    mutating func consume(_ byte: UInt8) -> Bool {
        guard peek == byte else { return false }
        advance()
        return true
    }

    /// True (and consumed) when the next bytes are `text`.
    mutating func consume(_ text: String) -> Bool {
        let t = Array(text.utf8)
        guard position + t.count <= bytes.count, Array(bytes[position..<position + t.count]) == t else { return false }
        advance(by: t.count)
        return true
    }

    mutating func skipWhitespace() {
        while let b = peek, b == 0x20 || b == 0x09 { advance() }
    }

    /// A newline (LF or CRLF) is next; consumed. A CR without LF is an error.
    mutating func consumeNewline() throws -> Bool {
        if consume(0x0a) { return true }
        if peek == 0x0d {
            guard peek(at: 1) == 0x0a else { throw fail("a carriage return must be followed by a line feed") }
            advance(by: 2)
            return true
        }
        return false
    }

    /// A `# comment` up to (not including) the end of the line; control characters other than tab are errors.
    mutating func skipComment() throws {
        guard consume(UInt8(ascii: "#")) else { return }
        while let b = peek, b != 0x0a {
            if b == 0x0d && peek(at: 1) == 0x0a { return }
            if TOMLScanner.isControl(b) { throw fail("control character \(TOMLScanner.hex(b)) in a comment") }
            advance()
        }
    }

    /// Whitespace, comments and newlines (between array items and between lines of the document).
    mutating func skipBlank() throws {
        while true {
            skipWhitespace()
            try skipComment()
            if try !consumeNewline() { return }
        }
    }

    /// After a value or header: only whitespace and a comment may follow on the line.
    mutating func expectEndOfLine(after what: String) throws {
        skipWhitespace()
        try skipComment()
        let ended = try atEnd || consumeNewline()
        guard ended else {
            throw fail("unexpected \(describeNext()) after \(what) (expected the end of the line)")
        }
    }

    /// The next character, for error messages.
    func describeNext() -> String {
        guard let b = peek else { return "end of file" }
        if b == 0x0a || b == 0x0d { return "end of line" }
        if TOMLScanner.isControl(b) || b >= 0x80 { return "byte \(TOMLScanner.hex(b))" }
        return "'\(Character(Unicode.Scalar(b)))'"
    }

    /// U+0000-U+0008, U+000A-U+001F and U+007F: not allowed in comments or strings (tab is).
    static func isControl(_ b: UInt8) -> Bool { (b < 0x20 && b != 0x09) || b == 0x7f }

    static func hex(_ b: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return "0x" + String(digits[Int(b >> 4)]) + String(digits[Int(b & 0x0f)])
    }

    /// The line of the first byte where `bytes` stops being valid UTF-8.
    static func lineOfFirstInvalidUTF8(_ bytes: [UInt8]) -> Int {
        var line = 1
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let s): if s == "\n" { line += 1 }
            case .emptyInput, .error: return line
            }
        }
    }
}
